//! The live progress of `agencydesk sync` on a terminal: one line per org (phase, pages, calls,
//! how far back), redrawn in place a few times a second. Also keeps when each org finished, for
//! the summary's per-org duration.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use agencydesk_core::sync::{CancellationToken, ProgressSink, SyncPhase, SyncProgress};

/// How often the lines are redrawn at most.
const REDRAW_EVERY: Duration = Duration::from_millis(100);
/// Org names are cut to this many characters so a line fits an 80-column terminal.
const NAME_WIDTH: usize = 24;

struct OrgLine {
    event: SyncProgress,
    finished: Option<Instant>,
}

struct Board {
    started: Instant,
    orgs: Vec<OrgLine>,
    /// Lines currently on screen (to move back over when redrawing).
    drawn: usize,
    dirty: bool,
}

/// Progress of every org of one run. Cheap to clone.
#[derive(Clone)]
pub struct Progress {
    board: Arc<Mutex<Board>>,
}

impl Progress {
    pub fn new() -> Self {
        Self {
            board: Arc::new(Mutex::new(Board {
                started: Instant::now(),
                orgs: Vec::new(),
                drawn: 0,
                dirty: false,
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Board> {
        self.board.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The sink to hand to the sync: records each event (never draws from the sync's threads).
    pub fn sink(&self) -> ProgressSink {
        let progress = self.clone();
        Arc::new(move |event: SyncProgress| progress.record(event))
    }

    fn record(&self, event: SyncProgress) {
        let mut board = self.lock();
        let finished = event.phase.is_final().then(Instant::now);
        match board
            .orgs
            .iter_mut()
            .find(|o| o.event.org_id == event.org_id)
        {
            Some(line) => {
                line.finished = line.finished.or(finished);
                line.event = event;
            }
            None => board.orgs.push(OrgLine { event, finished }),
        }
        board.dirty = true;
    }

    /// Time from the start of the run to the org's final event.
    pub fn duration_of(&self, org_id: &str) -> Option<Duration> {
        let board = self.lock();
        let line = board.orgs.iter().find(|o| o.event.org_id == org_id)?;
        line.finished.map(|t| t.duration_since(board.started))
    }

    /// Redraws the lines on `out` until `stop` fires, then clears them.
    pub async fn draw(self, mut out: impl Write + Send, stop: CancellationToken) {
        let mut tick = tokio::time::interval(REDRAW_EVERY);
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                _ = tick.tick() => self.redraw(&mut out),
            }
        }
        self.clear(&mut out);
    }

    fn redraw(&self, out: &mut impl Write) {
        let mut board = self.lock();
        if !board.dirty {
            return;
        }
        let mut text = up(board.drawn);
        for line in &board.orgs {
            // Clear the old line, then write the new one.
            text.push_str("\r\x1b[2K");
            text.push_str(&describe(&line.event));
            text.push('\n');
        }
        board.drawn = board.orgs.len();
        board.dirty = false;
        // A terminal that went away is no reason to stop the sync.
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }

    fn clear(&self, out: &mut impl Write) {
        let mut board = self.lock();
        if board.drawn > 0 {
            let text = format!("{}\r\x1b[J", up(board.drawn));
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
            board.drawn = 0;
        }
    }
}

/// ANSI: cursor up `n` lines.
fn up(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("\x1b[{n}A")
    }
}

pub fn phase_word(phase: SyncPhase) -> &'static str {
    match phase {
        SyncPhase::Listing => "starting",
        SyncPhase::Backfill => "history",
        SyncPhase::Incremental => "updates",
        SyncPhase::Done => "done",
        SyncPhase::Failed => "failed",
        SyncPhase::Cancelled => "cancelled",
    }
}

/// One org's line: `Acme Dental   history   12 pages   11834 calls  back to 2026-08-01`.
fn describe(event: &SyncProgress) -> String {
    let name: String = event.org_name.chars().take(NAME_WIDTH).collect();
    let mut line = format!(
        "{name:<NAME_WIDTH$} {:<9} {:>4} {:<5} {:>8} calls",
        phase_word(event.phase),
        event.pages,
        if event.pages == 1 { "page" } else { "pages" },
        event.calls
    );
    if let (false, Some(reached)) = (event.phase.is_final(), &event.reached) {
        // The date part of the ISO timestamp: enough to see the backfill move back in time.
        line.push_str("  back to ");
        line.push_str(reached.get(..10).unwrap_or(reached));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(phase: SyncPhase, reached: Option<&str>) -> SyncProgress {
        SyncProgress {
            org_id: "org-1".into(),
            org_name: "A very long client organisation name".into(),
            phase,
            pages: 12,
            calls: 11_834,
            reached: reached.map(str::to_owned),
            message: String::new(),
        }
    }

    #[test]
    fn a_line_fits_eighty_columns_and_shows_how_far_back() {
        let line = describe(&event(
            SyncPhase::Backfill,
            Some("2026-08-01T10:00:00.000Z"),
        ));
        assert!(line.chars().count() <= 80, "{line}");
        assert!(
            line.starts_with("A very long client organ history"),
            "{line}"
        );
        assert!(line.contains("history"), "{line}");
        assert!(line.ends_with("back to 2026-08-01"), "{line}");
        let done = describe(&event(SyncPhase::Done, Some("2026-08-01T10:00:00.000Z")));
        assert!(!done.contains("back to"), "{done}");
    }

    #[test]
    fn redraw_moves_back_over_the_previous_lines() {
        let progress = Progress::new();
        let sink = progress.sink();
        sink(event(SyncPhase::Backfill, None));
        let mut out = Vec::new();
        progress.redraw(&mut out);
        let first = String::from_utf8(out).unwrap();
        assert!(!first.contains("\x1b[1A"), "{first:?}");
        sink(event(SyncPhase::Done, None));
        let mut out = Vec::new();
        progress.redraw(&mut out);
        let second = String::from_utf8(out).unwrap();
        assert!(second.starts_with("\x1b[1A"), "{second:?}");
        assert!(second.contains("done"), "{second:?}");
        assert!(progress.duration_of("org-1").is_some());
        // Nothing new: nothing written.
        let mut out = Vec::new();
        progress.redraw(&mut out);
        assert!(out.is_empty());
    }
}
