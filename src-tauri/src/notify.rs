//! Desktop notifications, sent from Rust (the window is granted no notification permission):
//! a spend threshold crossed for the first time this month.

use agencydesk_core::billing::{AlertCheck, CrossedThreshold};
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// Linux notification servers may read the body as markup: a client named `<b>` stays text.
fn body_text(text: &str) -> String {
    if cfg!(target_os = "linux") {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}

fn message(crossed: &CrossedThreshold) -> String {
    let whose = crossed
        .threshold
        .org_name
        .as_deref()
        .unwrap_or("The agency (all clients)");
    format!(
        "{whose} reached {} USD this month (spent {} USD so far).",
        crossed.at, crossed.spent
    )
}

/// One notification per threshold the check found crossed for the first time this month. The
/// plugin hands each to the platform on a task of its own, so event sinks may call this.
pub fn spend_alerts<R: Runtime>(app: &AppHandle<R>, check: &AlertCheck) {
    for crossed in check.crossed.iter().filter(|c| c.first_time) {
        let shown = app
            .notification()
            .builder()
            .title("Spend alert")
            .body(body_text(&message(crossed)))
            .show();
        if let Err(e) = shown {
            tracing::warn!(error = %e, "a spend alert notification could not be shown");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn markup_in_names_stays_text() {
        assert_eq!(body_text("<b>A&B</b>"), "&lt;b&gt;A&amp;B&lt;/b&gt;");
    }
}
