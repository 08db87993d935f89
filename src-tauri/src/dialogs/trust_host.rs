//! "Send this org's key to HOST?": the only way the window can trust a host other than Vapi's.

use std::sync::Arc;

use agencydesk_core::agency::{Confirmer, HostConfirmer, TrustQuestion};
use tauri::{AppHandle, Runtime};

/// The confirmer of one command: a native dialog naming the host, answered by a click.
pub fn confirmer<R: Runtime>(app: &AppHandle<R>) -> Confirmer {
    Arc::new(DialogConfirmer { app: app.clone() })
}

struct DialogConfirmer<R: Runtime> {
    #[cfg_attr(feature = "e2e", allow(dead_code))]
    app: AppHandle<R>,
}

impl<R: Runtime> HostConfirmer for DialogConfirmer<R> {
    /// Blocks until the owner answers (core calls it on a blocking thread, never the main one).
    #[cfg(not(feature = "e2e"))]
    fn confirm(&self, question: &TrustQuestion) -> bool {
        use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
        let host = &question.host;
        self.app
            .dialog()
            .message(message(question))
            .title(format!("Send a private key to {host}?"))
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                format!("Trust {host}"),
                "Cancel".to_owned(),
            ))
            .blocking_show()
    }

    /// The e2e build cannot click a native dialog: it answers "no", so a test sees the refusal
    /// the owner's Cancel would give.
    #[cfg(feature = "e2e")]
    fn confirm(&self, question: &TrustQuestion) -> bool {
        tracing::warn!(host = %question.host, "e2e build: a host to trust was refused without a dialog");
        false
    }
}

#[cfg_attr(feature = "e2e", allow(dead_code))]
fn message(question: &TrustQuestion) -> String {
    let whose = question
        .org_name
        .as_deref()
        .map_or_else(|| "the org's".to_owned(), |name| format!("{name}'s"));
    format!(
        "agencydesk is about to send {whose} private Vapi key to {host} ({url}).\n\n\
         {host} is not Vapi's own address (api.vapi.ai). Whoever runs it can use the key to \
         read and change everything in the org. Trust it only if you set it up yourself, such \
         as your own proxy or an address Vapi gave you.\n\n\
         If you did not just enter this address yourself, choose Cancel.",
        host = question.host,
        url = question.url,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_names_the_host_and_the_org() {
        let text = message(&TrustQuestion {
            host: "proxy.example".into(),
            url: "https://proxy.example/vapi".into(),
            org_name: Some("Acme Dental".into()),
        });
        assert!(text.contains("Acme Dental's private Vapi key to proxy.example"));
        assert!(text.contains("https://proxy.example/vapi"));
    }
}
