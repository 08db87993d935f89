//! The sync as the app and the CLI start it: for the agency's linked orgs, keys from the
//! keychain.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::engine::{sync_calls, SyncTarget};
use super::options::SyncOptions;
use super::progress::{ProgressSink, SyncReport};
use super::search_backfill::backfill_search_index;
use super::success_backfill::backfill_success;
use crate::agency::{Agency, AgencyError};
use crate::blocking::blocking;
use crate::error::CoreError;
use crate::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};

impl Agency {
    /// Indexes for search the calls cached before the index existed (after an upgrade; nothing
    /// to do otherwise), off the async runtime; returns how many. Then reads the success
    /// evaluations of calls cached before those were kept. The app runs it when it opens the
    /// real agency (client reports also run the second part themselves).
    pub async fn build_search_index(&self) -> Result<u64, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || {
            let indexed = backfill_search_index(&store)?;
            backfill_success(&store)?;
            Ok(indexed)
        })
        .await
    }

    /// Syncs the calls of one org (`Some(id)`, any kind) or of every client org that has a key
    /// (`None`; orgs still waiting for their key are skipped). Per-org failures are in the
    /// report; the error is only for an unknown org id or an unreadable database.
    ///
    /// The CLI: `agency.sync_calls(org.as_deref(), SyncOptions::default(), sink, cancel).await?`.
    pub async fn sync_calls(
        &self,
        org_id: Option<&str>,
        options: SyncOptions,
        progress: ProgressSink,
        cancel: CancellationToken,
    ) -> Result<SyncReport, CoreError> {
        let chosen = self.chosen_orgs(org_id)?;
        let mut targets = Vec::with_capacity(chosen.len());
        for row in chosen {
            targets.push(SyncTarget {
                client: self.client_for(&row.id).await,
                org_id: row.id,
                org_name: row.name,
            });
        }
        Ok(sync_calls(
            Arc::clone(self.store()),
            targets,
            &options,
            progress,
            cancel,
        )
        .await)
    }

    /// One org (`Some(id)`, any kind) or every client org that has a key (`None`): what a sync
    /// or a recordings archive works on.
    pub(crate) fn chosen_orgs(&self, org_id: Option<&str>) -> Result<Vec<ClientOrgRow>, CoreError> {
        let rows = self
            .store()
            .read(|c| Ok::<_, CoreError>(clients::list(c)?))?;
        let chosen: Vec<_> = match org_id {
            Some(id) => {
                let row = rows.into_iter().find(|r| r.id == id).ok_or_else(|| {
                    AgencyError::ClientNotFound {
                        org_id: id.to_owned(),
                    }
                })?;
                vec![row]
            }
            None => rows
                .into_iter()
                .filter(|r| r.kind == OrgKind::Client && r.status != OrgStatus::PendingKey)
                .collect(),
        };
        Ok(chosen)
    }
}
