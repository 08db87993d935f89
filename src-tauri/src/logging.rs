//! Diagnostics go to stderr, filtered by `RUST_LOG` (default: warnings). Never a secret: keys are
//! `Sensitive` and print as `<redacted>`. The last errors (warnings, errors, and commands that
//! failed) are also kept in memory, key-shaped values masked, for "Copy diagnostics".

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Mutex;

use agencydesk_core::agency::RECENT_ERRORS;
use agencydesk_core::key_shapes::mask_key_shapes;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

static RECENT: Mutex<VecDeque<String>> = Mutex::new(VecDeque::new());

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter);
    // A second init (tests) keeps the first subscriber; that is fine.
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(RecentErrors.with_filter(filter_fn(|meta| {
            meta.is_event()
                && (*meta.level() <= Level::WARN || meta.fields().field("error").is_some())
        })))
        .try_init();
}

/// The last errors logged in this process, oldest first.
pub fn recent_errors() -> Vec<String> {
    RECENT
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .cloned()
        .collect()
}

/// Keeps WARN and ERROR events, and any event with an `error` field (a command's failure is
/// logged at INFO: it is the user's to read, not a fault), whatever `RUST_LOG` says; its filter
/// (in `init`) is decided per call site, so other events cost nothing here.
struct RecentErrors;

impl<S: Subscriber> Layer<S> for RecentErrors {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        let mut text = Text::default();
        event.record(&mut text);
        let line = format!(
            "{} {} {}:{}",
            chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
            meta.level(),
            meta.target(),
            text.0
        );
        let mut recent = RECENT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if recent.len() == RECENT_ERRORS {
            recent.pop_front();
        }
        recent.push_back(mask_key_shapes(&line));
    }
}

#[derive(Default)]
struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // Writing to a String cannot fail.
        let _ = if field.name() == "message" {
            write!(self.0, " {value:?}")
        } else {
            write!(self.0, " {}={value:?}", field.name())
        };
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = if field.name() == "message" {
            write!(self.0, " {value}")
        } else {
            write!(self.0, " {}={value}", field.name())
        };
    }
}
