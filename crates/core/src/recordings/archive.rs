//! `Agency::archive_recordings`: every ended call's recording fetched once into the archive
//! folder. A few calls at a time; each file is written whole (`.partial` then rename) and only
//! then recorded with its checksum, so a run killed at any point leaves no half file counted as
//! archived, and the next run skips what is already on disk and verified.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::NaiveDate;
use futures::stream::{self, StreamExt};
use tokio_util::sync::CancellationToken;

use super::folder::{archive_root, relative_path, sha256_hex, verified};
use super::progress::{ArchiveFailure, ArchiveProgress, ArchiveReport, ArchiveSink};
use crate::agency::Agency;
use crate::atomic_file;
use crate::blocking::blocking;
use crate::error::CoreError;
use crate::store::recordings::{self, ArchivedFile, RecordingCandidate};
use crate::store::settings;
use crate::store::{time, Store};
use crate::vapi::{CallArtifact, VapiClient, VapiError};
use crate::write_error::WriteError;

/// Recordings fetched at once: enough to hide latency, few enough not to trip Vapi's rate limit.
const CONCURRENCY: usize = 4;
/// Failures a report lists (the count is complete).
const MAX_LISTED_FAILURES: usize = 20;
/// Rounds of the client's own retries a rate-limited recording may go through.
const RATE_LIMITED_ROUNDS: u32 = 10;

struct Job {
    client: Arc<Result<VapiClient, String>>,
    org_name: String,
    call: RecordingCandidate,
}

enum Outcome {
    Already,
    Archived(u64),
    NoRecording,
    Failed(String),
    Cancelled,
}

impl Agency {
    /// The archive folder: where Settings moved it, else `<data dir>/archive`.
    pub fn archive_folder(&self) -> Result<PathBuf, CoreError> {
        let (chosen, _) = self.store().read(settings::archive_location)?;
        if let Some(folder) = chosen {
            return Ok(PathBuf::from(folder));
        }
        self.default_archive_folder()
    }

    pub(crate) fn default_archive_folder(&self) -> Result<PathBuf, CoreError> {
        self.store().data_dir().map(archive_root).ok_or_else(|| {
            CoreError::InvalidInput("This agency has no data folder to archive into.".into())
        })
    }

    /// Archives the recordings of one org's cached calls (`Some(id)`) or of every client org
    /// with a key, created on or after `since`. Returns when every call was dealt with or
    /// `cancel` fired; per-call failures are in the report, the error is only for an unknown
    /// org or an unreadable database.
    pub async fn archive_recordings(
        &self,
        org_id: Option<&str>,
        since: Option<NaiveDate>,
        progress: ArchiveSink,
        cancel: CancellationToken,
    ) -> Result<ArchiveReport, CoreError> {
        let root = self.archive_folder()?;
        let marked = root.clone();
        blocking(move || super::relocate::mark(&marked)).await?;
        let since = since.map(time::day_start_ms);
        let mut jobs = Vec::new();
        for row in self.chosen_orgs(org_id)? {
            let org = row.id.clone();
            let calls = self
                .read_blocking(move |c| recordings::candidates(c, &org, since))
                .await?;
            if calls.is_empty() {
                continue;
            }
            let client = Arc::new(self.client_for(&row.id).await.map_err(|e| e.to_string()));
            jobs.extend(calls.into_iter().map(|call| Job {
                client: Arc::clone(&client),
                org_name: row.name.clone(),
                call,
            }));
        }
        let state = Mutex::new(ArchiveReport {
            progress: ArchiveProgress {
                total: jobs.len() as u64,
                ..ArchiveProgress::default()
            },
            failures: Vec::new(),
            folder: root.display().to_string(),
        });
        progress(
            &state
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .progress,
        );
        let store = Arc::clone(self.store());
        stream::iter(jobs)
            .map(|job| archive_one(job, &root, &store, &cancel))
            .buffer_unordered(CONCURRENCY)
            .for_each(|(call_id, outcome)| {
                let mut guard = state.lock().unwrap_or_else(PoisonError::into_inner);
                let report = &mut *guard;
                let p = &mut report.progress;
                match outcome {
                    Outcome::Already => p.already += 1,
                    Outcome::Archived(bytes) => {
                        p.archived += 1;
                        p.bytes += bytes;
                    }
                    Outcome::NoRecording => p.without_recording += 1,
                    Outcome::Failed(message) => {
                        p.failed += 1;
                        if report.failures.len() < MAX_LISTED_FAILURES {
                            report.failures.push(ArchiveFailure { call_id, message });
                        }
                    }
                    Outcome::Cancelled => {}
                }
                let p = &mut report.progress;
                p.done = p.archived + p.already + p.without_recording + p.failed;
                progress(p);
                std::future::ready(())
            })
            .await;
        if cancel.is_cancelled() {
            return Err(CoreError::Cancelled);
        }
        Ok(state.into_inner().unwrap_or_else(PoisonError::into_inner))
    }
}

async fn archive_one(
    job: Job,
    root: &Path,
    store: &Arc<Store>,
    cancel: &CancellationToken,
) -> (String, Outcome) {
    let id = job.call.call_id.clone();
    let outcome = archive_call(job, root, store, cancel)
        .await
        .unwrap_or_else(|e| Outcome::Failed(e.to_string()));
    (id, outcome)
}

/// The client gives up on a request after a few 429s. The archive's workers share one key's rate
/// limit and can lose that race several times in a row, so a rate-limited recording waits its
/// turn again (as long as Vapi asks, a bounded number of rounds) instead of failing.
async fn fetch_patiently(client: &VapiClient, call_id: &str) -> Result<Option<Vec<u8>>, VapiError> {
    let mut round = 0;
    loop {
        match client
            .call_artifact(call_id, CallArtifact::MonoRecording)
            .await
        {
            Err(VapiError::RateLimited { retry_after }) if round < RATE_LIMITED_ROUNDS => {
                round += 1;
                let wait = retry_after
                    .unwrap_or(Duration::from_secs(1))
                    .min(Duration::from_secs(30));
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
}

async fn archive_call(
    job: Job,
    root: &Path,
    store: &Arc<Store>,
    cancel: &CancellationToken,
) -> Result<Outcome, CoreError> {
    let call = job.call;
    if let Some(file) = call.archived.clone() {
        let root = root.to_path_buf();
        if blocking(move || Ok::<_, CoreError>(verified(&root, &file))).await? {
            return Ok(Outcome::Already);
        }
    }
    if cancel.is_cancelled() {
        return Ok(Outcome::Cancelled);
    }
    let client = match &*job.client {
        Ok(client) => client,
        Err(message) => return Ok(Outcome::Failed(message.clone())),
    };
    let Some(relative) =
        relative_path(&call.org_id, &job.org_name, &call.created_at, &call.call_id)
    else {
        return Ok(Outcome::Failed("the call's id cannot name a file".into()));
    };
    let fetched = tokio::select! {
        () = cancel.cancelled() => return Ok(Outcome::Cancelled),
        fetched = fetch_patiently(client, &call.call_id) => fetched?,
    };
    let store = Arc::clone(store);
    let Some(bytes) = fetched else {
        blocking(move || {
            store.write(|tx| {
                Ok::<_, CoreError>(recordings::record_none(
                    tx,
                    &call.call_id,
                    &call.org_id,
                    &time::now(),
                )?)
            })
        })
        .await?;
        return Ok(Outcome::NoRecording);
    };
    let path = root.join(&relative);
    blocking(move || {
        let file = ArchivedFile {
            path: relative,
            bytes: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| WriteError::new(parent, &e))?;
        }
        atomic_file::write(&path, &bytes).map_err(|e| WriteError::new(&path, &e))?;
        store.write(|tx| {
            Ok::<_, CoreError>(recordings::record_archived(
                tx,
                &call.call_id,
                &call.org_id,
                &file,
                &time::now(),
            )?)
        })?;
        Ok(Outcome::Archived(file.bytes))
    })
    .await
}
