//! Call recordings kept on this computer: `<data dir>/archive/<client>/<yyyy-mm>/<call id>.wav`
//! (or the folder Settings moved the archive to),
//! fetched from Vapi (which forgets calls after the org's retention), checked by checksum,
//! resumable after any interruption.

mod archive;
mod folder;
mod play;
mod progress;
mod relocate;
mod retention;

pub use folder::{archive_root, ARCHIVE_DIR};
pub use play::RecordingSource;
pub use progress::{
    no_archive_progress, ArchiveFailure, ArchiveProgress, ArchiveReport, ArchiveSink,
};
pub use relocate::{ArchiveLocation, ArchiveMove, MARKER};
pub use retention::{AfterSyncReport, AtRiskCall, AT_RISK_DAYS};
