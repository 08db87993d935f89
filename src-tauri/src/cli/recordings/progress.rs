//! The live line of `recordings archive` on a terminal's standard error, redrawn in place a few
//! times a second from the latest count (the archive's tasks only record it).

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use agencydesk_core::recordings::{ArchiveProgress, ArchiveSink};
use agencydesk_core::sync::CancellationToken;
use tokio::task::JoinHandle;

const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct LiveLine {
    latest: Arc<Mutex<Option<ArchiveProgress>>>,
    stop: CancellationToken,
    drawing: Option<JoinHandle<()>>,
}

pub fn line(p: &ArchiveProgress) -> String {
    format!(
        "Recordings: {}/{} ({} archived, {} already, {} without, {} failed, {:.1} MB)",
        p.done,
        p.total,
        p.archived,
        p.already,
        p.without_recording,
        p.failed,
        p.bytes as f64 / 1_000_000.0
    )
}

impl LiveLine {
    /// Draws only when standard error is a terminal (a person watching).
    pub fn start() -> Self {
        let latest: Arc<Mutex<Option<ArchiveProgress>>> = Arc::default();
        let stop = CancellationToken::new();
        let drawing = std::io::stderr().is_terminal().then(|| {
            let (latest, stop) = (Arc::clone(&latest), stop.clone());
            tokio::spawn(async move {
                let mut shown = String::new();
                loop {
                    let stopping = tokio::select! {
                        () = stop.cancelled() => true,
                        () = tokio::time::sleep(REDRAW_EVERY) => false,
                    };
                    let now = latest
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .as_ref()
                        .map(line);
                    if let Some(now) = now.filter(|n| *n != shown) {
                        let mut err = std::io::stderr().lock();
                        let _ = write!(err, "\r\x1b[2K{now}");
                        let _ = err.flush();
                        shown = now;
                    }
                    if stopping {
                        if !shown.is_empty() {
                            eprintln!();
                        }
                        return;
                    }
                }
            })
        });
        Self {
            latest,
            stop,
            drawing,
        }
    }

    pub fn sink(&self) -> ArchiveSink {
        let latest = Arc::clone(&self.latest);
        Arc::new(move |p: &ArchiveProgress| {
            *latest.lock().unwrap_or_else(PoisonError::into_inner) = Some(p.clone());
        })
    }

    pub async fn finish(self) {
        self.stop.cancel();
        if let Some(drawing) = self.drawing {
            let _ = drawing.await;
        }
    }
}
