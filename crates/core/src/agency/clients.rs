//! Managing linked orgs: create, list, refresh, unlink, and a Vapi client for one of them.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::snapshot::Snapshot;
use super::{account_for, view, Agency, AgencyError, ClientOrgView};
use crate::error::CoreError;
use crate::sensitive::SecretKey;
use crate::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use crate::store::{time, trusted_hosts};
use crate::vapi::{ClientOptions, CreateOrgDto, VapiClient, VapiError};

/// Vapi's limit on org names.
const MAX_ORG_NAME_CHARS: usize = 40;

impl Agency {
    /// Creates a new Vapi org for a client through the agency's key. The org's own private key
    /// exists only in the Vapi dashboard, so the row stays `pending_key` until it is pasted with
    /// [`Agency::link_client`]; the view's `next_step` says so. The org lives where the agency's
    /// org does: its stored address, never one passed in.
    pub async fn create_client_org(&self, name: &str) -> Result<ClientOrgView, CoreError> {
        let name = name.trim();
        let chars = name.chars().count();
        if chars == 0 || chars > MAX_ORG_NAME_CHARS {
            return Err(CoreError::InvalidInput(format!(
                "A client org name needs between 1 and {MAX_ORG_NAME_CHARS} characters \
                 (Vapi's limit); this one has {chars}."
            )));
        }
        let agency = self
            .store
            .read(|c| Ok::<_, CoreError>(clients::agency_org(c)?))?
            .ok_or(AgencyError::AgencyNotLinked)?;
        let destination = self.key_destination(&agency.id, &agency.base_url)?;
        let client = self.client_for_row(&agency).await?;
        let dto = CreateOrgDto {
            name: Some(name.to_owned()),
            ..CreateOrgDto::default()
        };
        let org = match client.create_org(&dto).await {
            Ok(org) => org,
            Err(e) => return Err(self.note_key_rejection(&agency, e)),
        };
        let row = ClientOrgRow {
            id: org.id.clone(),
            name: org.name.unwrap_or_else(|| name.to_owned()),
            base_url: destination.as_stored(),
            key_fingerprint: None,
            kind: OrgKind::Client,
            status: OrgStatus::PendingKey,
            linked_at: None,
            updated_at: time::now(),
        };
        self.store.write(|tx| {
            clients::upsert(tx, &row)?;
            // The agency's host was confirmed for its key; the new org's key will go there too.
            if destination.needs_trust() {
                trusted_hosts::trust(tx, &row.id, destination.host(), &row.updated_at)?;
            }
            Ok::<_, CoreError>(view::build(tx, row.clone())?)
        })
    }

    /// Every org: the agency's own first, then clients by name.
    pub fn list_clients(&self) -> Result<Vec<ClientOrgView>, CoreError> {
        self.store.read(|c| {
            let rows = clients::list(c)?;
            rows.into_iter()
                .map(|row| Ok(view::build(c, row)?))
                .collect()
        })
    }

    /// The agency's own org, when linked.
    pub fn agency_org(&self) -> Result<Option<ClientOrgView>, CoreError> {
        self.store.read(|c| {
            clients::agency_org(c)?
                .map(|row| Ok(view::build(c, row)?))
                .transpose()
        })
    }

    /// Fetches the org's name, assistants and keys again through its stored key. When Vapi
    /// refuses the key, the org is marked `key_rejected` and the error is returned.
    pub async fn refresh_client(&self, org_id: &str) -> Result<ClientOrgView, CoreError> {
        let row = self.row(org_id)?;
        let client = self.client_for_row(&row).await?;
        let snapshot = match Snapshot::refresh(&client, org_id).await {
            Ok(snapshot) => snapshot,
            Err(CoreError::Vapi(e)) => return Err(self.note_key_rejection(&row, e)),
            Err(e) => return Err(e),
        };
        let updated = ClientOrgRow {
            name: snapshot
                .org
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| row.name.clone()),
            status: OrgStatus::Linked,
            updated_at: time::now(),
            ..row
        };
        self.store.write(|tx| {
            clients::upsert(tx, &updated)?;
            snapshot.store_children(tx)?;
            Ok::<_, CoreError>(view::build(tx, updated.clone())?)
        })
    }

    /// Forgets an org: its key is removed from the keychain first (so a key is never left
    /// behind without a row pointing at it), then its rows, including synced calls.
    pub async fn unlink_client(&self, org_id: &str) -> Result<(), CoreError> {
        let row = self.row(org_id)?;
        let account = account_for(row.kind, &row.id);
        self.keychain_call(move |k| k.delete(&account)).await?;
        self.store
            .write(|tx| Ok::<_, CoreError>(clients::delete(tx, &row.id)?))?;
        Ok(())
    }

    /// A Vapi client for a linked org, with its key from the keychain.
    pub async fn client_for(&self, org_id: &str) -> Result<VapiClient, CoreError> {
        let row = self.row(org_id)?;
        self.client_for_row(&row).await
    }

    /// The one place a stored key meets an address: the address is checked first, so a key is
    /// not even read from the keychain for a host it may not go to.
    async fn client_for_row(&self, row: &ClientOrgRow) -> Result<VapiClient, CoreError> {
        self.client_with_options(row, self.client_options.clone())
            .await
    }

    /// Every client holding a key is made here, after the org's address passed the trust check.
    async fn client_with_options(
        &self,
        row: &ClientOrgRow,
        options: ClientOptions,
    ) -> Result<VapiClient, CoreError> {
        let destination = self.key_destination(&row.id, &row.base_url)?;
        let key = self.key_of_row(row).await?;
        Ok(VapiClient::with_options(
            &destination.as_stored(),
            key,
            options,
        )?)
    }

    /// Vapi's time now, for times Vapi judges by its own clock (a JWT's `iat` and `exp`): one
    /// quick question to the org's Vapi, without retries; this machine's time when it cannot be
    /// asked (offline, no key), so minting never waits long.
    pub(crate) async fn vapi_now(&self, org_id: &str) -> DateTime<Utc> {
        let quick = ClientOptions {
            max_retries: 0,
            connect_timeout: Duration::from_secs(3),
            request_timeout: Duration::from_secs(5),
            ..self.client_options.clone()
        };
        let Ok(row) = self.row(org_id) else {
            return Utc::now();
        };
        match self.client_with_options(&row, quick).await {
            Ok(client) => client.fetch_server_now().await,
            Err(_) => Utc::now(),
        }
    }

    /// A linked org's private key, for work that must stay inside core (signing test JWTs).
    /// Never to be returned to the app or CLI.
    pub(crate) async fn private_key(&self, org_id: &str) -> Result<SecretKey, CoreError> {
        let row = self.row(org_id)?;
        self.key_of_row(&row).await
    }

    async fn key_of_row(&self, row: &ClientOrgRow) -> Result<SecretKey, CoreError> {
        if row.status == OrgStatus::PendingKey {
            return Err(AgencyError::PendingKey {
                name: row.name.clone(),
            }
            .into());
        }
        let account = account_for(row.kind, &row.id);
        let found = self.keychain_call(move |k| k.get(&account)).await?;
        // A missing key shows on the org (its status says "link again") until it is found again.
        let status = match &found {
            None if row.status == OrgStatus::Linked => Some(OrgStatus::KeyMissing),
            Some(_) if row.status == OrgStatus::KeyMissing => Some(OrgStatus::Linked),
            _ => None,
        };
        if let Some(status) = status {
            let marked = self
                .store
                .write(|tx| clients::set_status(tx, &row.id, status, &time::now()));
            if let Err(e) = marked {
                tracing::warn!(org_id = %row.id, error = %e, "could not record the key's presence");
            }
        }
        Ok(found.ok_or_else(|| AgencyError::KeyMissing {
            name: row.name.clone(),
        })?)
    }

    /// Marks the org `key_rejected` when Vapi refused its key, then hands the error back.
    fn note_key_rejection(&self, row: &ClientOrgRow, error: VapiError) -> CoreError {
        if error.is_key_rejected() {
            let marked = self
                .store
                .write(|tx| clients::set_status(tx, &row.id, OrgStatus::KeyRejected, &time::now()));
            if let Err(e) = marked {
                tracing::warn!(org_id = %row.id, error = %e, "could not mark key as rejected");
            }
        }
        error.into()
    }
}
