//! `Agency::dispute_kit`: the zip file for one call, and `Agency::dispute_kits_flagged` for every
//! call the billing audit finds billed for other minutes than it lasted.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;
use serde::Serialize;
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::summary::discrepancy_summary;
use crate::agency::Agency;
use crate::atomic_file;
use crate::billing::audit::{audit_calls, AuditOptions};
use crate::billing::Period;
use crate::blocking::blocking;
use crate::calls::CallDetail;
use crate::error::CoreError;
use crate::recordings::RecordingSource;
use crate::vapi::CallArtifact;
use crate::write_error::WriteError;

/// Most kits one `--flagged` run writes (the audit counts them all).
const MAX_FLAGGED: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct DisputeKit {
    pub call_id: String,
    /// The zip file written.
    pub path: String,
    /// Whether the recording and the logs are in it (Vapi may no longer have them).
    pub recording: bool,
    pub logs: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct FlaggedKits {
    pub kits: Vec<DisputeKit>,
    pub folder: String,
}

fn transcript(d: &CallDetail) -> String {
    if let Some(t) = d.transcript.as_deref().filter(|t| !t.trim().is_empty()) {
        return format!("{}\n", t.trim_end());
    }
    let mut out = String::new();
    for m in &d.messages {
        if let Some(text) = m.text.as_deref() {
            out.push_str(&format!("{}: {text}\n", m.role));
        }
    }
    out
}

/// Where an artifact came from, or why it is missing, for the summary.
fn fetched(result: &Result<Option<Vec<u8>>, CoreError>, archived: bool) -> String {
    match result {
        Ok(Some(_)) if archived => "recording.wav (from the archive on this computer)".into(),
        Ok(Some(_)) => "included (fetched from Vapi)".into(),
        Ok(None) => "Vapi has none for this call (or no longer keeps it)".into(),
        Err(e) => format!("not included: {e}"),
    }
}

impl Agency {
    /// Writes the dispute kit of a cached call to `out` (whole or not at all): `call.json` as
    /// cached, `transcript.txt`, `call-logs.jsonl.gz` and `recording.wav` when they can be had,
    /// and `summary.txt`.
    pub async fn dispute_kit(&self, call_id: &str, out: &Path) -> Result<DisputeKit, CoreError> {
        let detail = self.call_detail(call_id, true).await?;
        let json = self.cached_call(call_id, true).await?;
        let found = self.recording(call_id).await;
        let in_archive = matches!(found, Ok(Some((_, RecordingSource::Archive))));
        let recording: Result<Option<Vec<u8>>, CoreError> =
            found.map(|r| r.map(|(bytes, _)| bytes));
        let client = self.client_for(&detail.org_id).await;
        let logs: Result<Option<Vec<u8>>, CoreError> = match &client {
            Ok(client) => client
                .call_artifact(call_id, CallArtifact::Logs)
                .await
                .map_err(CoreError::from),
            Err(e) => Err(CoreError::InvalidInput(e.to_string())),
        };
        let summary = discrepancy_summary(
            &detail,
            &fetched(&recording, in_archive),
            &match &logs {
                Ok(Some(_)) => "call-logs.jsonl.gz (fetched from Vapi)".into(),
                other => fetched(other, false),
            },
        );
        let call_json = serde_json::to_vec_pretty(&json)
            .map_err(|e| CoreError::Internal(format!("the call could not be written: {e}")))?;
        let text = transcript(&detail);
        let out = out.to_path_buf();
        let kit = DisputeKit {
            call_id: call_id.to_owned(),
            path: out.display().to_string(),
            recording: matches!(recording, Ok(Some(_))),
            logs: matches!(logs, Ok(Some(_))),
        };
        let recording = recording.ok().flatten();
        let logs = logs.ok().flatten();
        blocking(move || {
            let mut files: Vec<(&str, &[u8], bool)> = vec![
                ("summary.txt", summary.as_bytes(), true),
                ("call.json", call_json.as_slice(), true),
                ("transcript.txt", text.as_bytes(), true),
            ];
            // The logs are gzip already: stored as they are.
            if let Some(logs) = &logs {
                files.push(("call-logs.jsonl.gz", logs.as_slice(), false));
            }
            if let Some(recording) = &recording {
                files.push(("recording.wav", recording.as_slice(), true));
            }
            let bytes = zip_bytes(&files).map_err(|e| WriteError::new(&out, &e))?;
            atomic_file::write(&out, &bytes).map_err(|e| WriteError::new(&out, &e))?;
            Ok::<_, CoreError>(())
        })
        .await?;
        Ok(kit)
    }

    /// A dispute kit (`<call id>.zip` in `out_dir`) for every call of the client in `period`
    /// whose billed minutes differ from its real duration (the billing audit's finding).
    pub async fn dispute_kits_flagged(
        &self,
        org_id: &str,
        period: Period,
        out_dir: &Path,
    ) -> Result<FlaggedKits, CoreError> {
        let period = period.validated()?;
        let org = org_id.to_owned();
        let audit = self
            .read_blocking(move |c| {
                let options = AuditOptions {
                    max_listed: MAX_FLAGGED,
                    ..AuditOptions::at(Utc::now())
                };
                audit_calls(c, &org, &period, &options)
            })
            .await?;
        std::fs::create_dir_all(out_dir).map_err(|e| WriteError::new(out_dir, &e))?;
        let mut kits = Vec::new();
        for finding in &audit.duration_mismatch.calls {
            let safe = finding
                .call_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !safe {
                continue;
            }
            let path: PathBuf = out_dir.join(format!("{}.zip", finding.call_id));
            kits.push(self.dispute_kit(&finding.call_id, &path).await?);
        }
        Ok(FlaggedKits {
            kits,
            folder: out_dir.display().to_string(),
        })
    }
}

fn zip_bytes(files: &[(&str, &[u8], bool)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes, deflate) in files {
        let method = if *deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        zip.start_file(
            *name,
            SimpleFileOptions::default().compression_method(method),
        )?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
