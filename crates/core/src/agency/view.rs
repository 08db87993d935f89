//! What the UI sees of an org: no key, only its fingerprint.

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::store::clients::{ClientOrgRow, OrgKind, OrgStatus};
use crate::store::{assistants, sync_state, tokens, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AssistantView {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ClientOrgView {
    /// Vapi's org id.
    pub id: String,
    pub name: String,
    pub base_url: String,
    pub kind: OrgKind,
    pub status: OrgStatus,
    /// `…` + 8 hex digits identifying the linked key; `null` while no key is linked.
    pub key_fingerprint: Option<String>,
    pub assistants: Vec<AssistantView>,
    pub public_key_count: u32,
    pub last_sync_at: Option<String>,
    /// What the user has to do next, when anything (e.g. paste the org's private key).
    pub next_step: Option<String>,
}

fn next_step(status: OrgStatus) -> Option<String> {
    match status {
        OrgStatus::Linked => None,
        OrgStatus::PendingKey => Some(
            "Vapi created this org. Open it in the Vapi dashboard, copy its private API key and \
             paste it here to finish linking."
                .to_owned(),
        ),
        OrgStatus::KeyRejected => Some(
            "Vapi no longer accepts the stored key. Paste the org's current private API key to \
             relink it."
                .to_owned(),
        ),
        OrgStatus::KeyMissing => Some(
            "The key is missing from the keychain (it was removed outside agencydesk). Link this \
             org again: paste its private API key."
                .to_owned(),
        ),
    }
}

pub(super) fn build(conn: &Connection, row: ClientOrgRow) -> Result<ClientOrgView, StoreError> {
    let assistants = assistants::list_for_org(conn, &row.id)?
        .into_iter()
        .map(|a| AssistantView {
            id: a.id,
            name: a.name,
        })
        .collect();
    let public_key_count = tokens::count_public(conn, &row.id)?;
    let last_sync_at = sync_state::get(conn, &row.id)?.and_then(|s| s.last_sync_at);
    Ok(ClientOrgView {
        next_step: next_step(row.status),
        id: row.id,
        name: row.name,
        base_url: row.base_url,
        kind: row.kind,
        status: row.status,
        key_fingerprint: row.key_fingerprint,
        assistants,
        public_key_count,
        last_sync_at,
    })
}
