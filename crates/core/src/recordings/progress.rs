//! What an archive run tells while it runs and when it ends, in the sync's style
//! (`sync::progress`): a sink the app forwards to the window and the CLI draws on a terminal.

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

/// Where an archive run stands: counts over every call it considers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ArchiveProgress {
    /// Calls considered (ended, cached, not known to have no recording).
    #[ts(type = "number")]
    pub total: u64,
    /// Calls dealt with so far, whatever the result.
    #[ts(type = "number")]
    pub done: u64,
    /// Recordings fetched and written by this run.
    #[ts(type = "number")]
    pub archived: u64,
    /// Already on disk, whole (checksum verified): nothing fetched.
    #[ts(type = "number")]
    pub already: u64,
    /// Vapi has no recording (nobody spoke, or the call is past retention).
    #[ts(type = "number")]
    pub without_recording: u64,
    #[ts(type = "number")]
    pub failed: u64,
    /// Bytes written by this run.
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ArchiveFailure {
    pub call_id: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ArchiveReport {
    pub progress: ArchiveProgress,
    /// The first failures (at most 20), each with a sentence.
    pub failures: Vec<ArchiveFailure>,
    /// The archive folder.
    pub folder: String,
}

/// Where progress goes; called from the run's tasks, so it must be quick.
pub type ArchiveSink = Arc<dyn Fn(&ArchiveProgress) + Send + Sync>;

pub fn no_archive_progress() -> ArchiveSink {
    Arc::new(|_| {})
}
