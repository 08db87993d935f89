//! Linking an org by pasting its private key.
//!
//! Order matters: everything is fetched from Vapi first (which also proves the key works), then
//! the key goes to the keychain, and only then is anything written to SQLite, in one transaction.
//! If the keychain refuses, the database is untouched; if the database write fails for a new
//! org, the keychain entry is removed again.

use super::snapshot::Snapshot;
use super::trust::Confirmer;
use super::{account_for, view, Agency, AgencyError, ClientOrgView};
use crate::error::CoreError;
use crate::sensitive::SecretKey;
use crate::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use crate::store::time;
use crate::vapi::{VapiClient, DEFAULT_BASE_URL};

/// Name shown for an org Vapi reports without one.
const UNNAMED_ORG: &str = "Unnamed org";

impl Agency {
    /// Links a client's org with its private key (or updates the key of an org already linked).
    /// `base_url` defaults to Vapi's production API; any host but Vapi's or this machine's is
    /// put to `confirmer` before the key goes anywhere.
    pub async fn link_client(
        &self,
        base_url: Option<&str>,
        key: SecretKey,
        confirmer: &Confirmer,
    ) -> Result<ClientOrgView, CoreError> {
        self.link(OrgKind::Client, base_url, key, confirmer).await
    }

    /// Links the agency's own org, whose key is used to create client orgs.
    pub async fn link_agency(
        &self,
        base_url: Option<&str>,
        key: SecretKey,
        confirmer: &Confirmer,
    ) -> Result<ClientOrgView, CoreError> {
        self.link(OrgKind::Agency, base_url, key, confirmer).await
    }

    async fn link(
        &self,
        kind: OrgKind,
        base_url: Option<&str>,
        key: SecretKey,
        confirmer: &Confirmer,
    ) -> Result<ClientOrgView, CoreError> {
        let key = SecretKey::from_pasted(key.expose()).ok_or_else(|| {
            CoreError::InvalidInput(
                "Paste the org's private API key (Vapi dashboard → Organization → API Keys)."
                    .to_owned(),
            )
        })?;
        let base_url = base_url
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(DEFAULT_BASE_URL);
        // The org is not known before Vapi answers, so a host other than Vapi's is confirmed
        // for this key now and recorded for the org it turns out to be.
        let cleared = self.clear_destination(None, base_url, confirmer).await?;
        let client = VapiClient::with_options(
            &cleared.destination.as_stored(),
            key.clone(),
            self.client_options.clone(),
        )?;
        let snapshot = Snapshot::discover(&client, &key).await?;
        let org_id = snapshot.org.id.clone();

        let (existing, agency) = self
            .store
            .read(|c| Ok::<_, CoreError>((clients::get(c, &org_id)?, clients::agency_org(c)?)))?;
        check_conflicts(kind, existing.as_ref(), agency.as_ref(), &snapshot)?;

        let account = account_for(kind, &org_id);
        let stored_key = key.clone();
        self.keychain_call({
            let account = account.clone();
            move |k| k.set(&account, &stored_key)
        })
        .await?;

        let now = time::now();
        let row = ClientOrgRow {
            id: org_id.clone(),
            name: snapshot
                .org
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .or_else(|| existing.as_ref().map(|e| e.name.clone()))
                .unwrap_or_else(|| UNNAMED_ORG.to_owned()),
            base_url: cleared.destination.as_stored(),
            key_fingerprint: Some(key.fingerprint()),
            kind,
            status: OrgStatus::Linked,
            linked_at: Some(now.clone()),
            updated_at: now,
        };
        let written = self.store.write(|tx| {
            clients::upsert(tx, &row)?;
            cleared.record(tx, &row.id, &row.updated_at)?;
            snapshot.store_children(tx)?;
            Ok::<_, CoreError>(view::build(tx, row.clone())?)
        });
        if written.is_err() && existing.is_none() {
            // Best effort: a new org whose row could not be written must not leave its key behind.
            if let Err(e) = self.keychain_call(move |k| k.delete(&account)).await {
                tracing::warn!(org_id = %org_id, error = %e, "could not remove key after failed link");
            }
        }
        written
    }
}

fn check_conflicts(
    kind: OrgKind,
    existing: Option<&ClientOrgRow>,
    agency: Option<&ClientOrgRow>,
    snapshot: &Snapshot,
) -> Result<(), AgencyError> {
    let name = || {
        snapshot
            .org
            .name
            .clone()
            .unwrap_or_else(|| UNNAMED_ORG.to_owned())
    };
    match kind {
        OrgKind::Client if existing.is_some_and(|e| e.kind == OrgKind::Agency) => {
            Err(AgencyError::AlreadyAgency { name: name() })
        }
        OrgKind::Agency if existing.is_some_and(|e| e.kind == OrgKind::Client) => {
            Err(AgencyError::AlreadyClient { name: name() })
        }
        OrgKind::Agency => match agency {
            Some(current) if current.id != snapshot.org.id => Err(AgencyError::OtherAgencyLinked {
                name: current.name.clone(),
            }),
            _ => Ok(()),
        },
        OrgKind::Client => Ok(()),
    }
}
