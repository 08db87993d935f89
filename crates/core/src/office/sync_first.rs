//! A sync before invoicing or charting (the CLI's `--sync`, and every `--demo` run, whose cache
//! starts empty): an org that did not finish is an error naming it, since its invoice would
//! silently miss calls.

use crate::agency::Agency;
use crate::error::CoreError;
use crate::sync::{no_progress, CancellationToken, SyncOptions, SyncReport};

impl Agency {
    /// Syncs one org's calls (`Some(id)`) or every client's.
    pub async fn sync_before_billing(&self, org_id: Option<&str>) -> Result<SyncReport, CoreError> {
        let report = self
            .sync_calls(
                org_id,
                SyncOptions::default(),
                no_progress(),
                CancellationToken::new(),
            )
            .await?;
        if let Some(failed) = report.failed().next() {
            return Err(CoreError::SyncIncomplete {
                client: failed.org_name.clone(),
                message: failed
                    .error
                    .as_ref()
                    .map_or_else(|| "no reason given".to_owned(), |e| e.message.clone()),
            });
        }
        Ok(report)
    }
}
