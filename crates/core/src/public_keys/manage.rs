//! Managing a client org's public keys through its Vapi client, keeping the store in step.
//!
//! Decisions that could leave a client's site without a working key (turning off or deleting
//! the last enabled key, deleting a key still switched on) are made on Vapi's live list, not the
//! possibly stale store, and need an explicit [`IfInUse::Proceed`].

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::view::{self, KeyRecord, PublicKeyView};
use crate::agency::{Agency, ClientOrgView};
use crate::error::CoreError;
use crate::keys::audit::AuditPolicy;
use crate::keys::restrictions::KeyRestrictions;
use crate::keys::KeysError;
use crate::store::tokens;
use crate::vapi::{CreateTokenDto, Token, TokenRestrictions, TokenTag, UpdateTokenDto};

/// Vapi's limit on token names.
pub const MAX_KEY_NAME_CHARS: usize = 40;

/// What to do when an action would stop a key that may be in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfInUse {
    /// Refuse with an explanation (the default in the UI and CLI).
    Refuse,
    /// The user confirmed that the site may stop working.
    Proceed,
}

pub(super) fn assistant_names(org: &ClientOrgView) -> HashMap<String, String> {
    org.assistants
        .iter()
        .filter_map(|a| a.name.clone().map(|name| (a.id.clone(), name)))
        .collect()
}

pub(super) fn check_name(name: &str) -> Result<String, KeysError> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_KEY_NAME_CHARS {
        return Err(KeysError::InvalidName { chars });
    }
    Ok(name.to_owned())
}

/// The org's public key `key_id` from a live token list.
pub(super) fn find_public<'t>(
    tokens: &'t [Token],
    org_id: &str,
    key_id: &str,
) -> Result<&'t Token, KeysError> {
    let token = tokens
        .iter()
        .find(|t| t.id == key_id && t.org_id == org_id)
        .ok_or_else(|| KeysError::KeyNotFound {
            key_id: key_id.to_owned(),
        })?;
    if token.is_public() {
        Ok(token)
    } else {
        Err(KeysError::NotPublic {
            key_id: key_id.to_owned(),
        })
    }
}

/// Whether the org has an enabled public key other than `key_id`.
pub(super) fn another_working_key(tokens: &[Token], org_id: &str, key_id: &str) -> bool {
    tokens
        .iter()
        .any(|t| t.org_id == org_id && t.id != key_id && t.is_public() && t.is_enabled())
}

impl Agency {
    /// The org's public keys as last synced (works offline), newest first.
    pub fn public_keys(
        &self,
        org_id: &str,
        policy: &AuditPolicy,
    ) -> Result<Vec<PublicKeyView>, CoreError> {
        let org = self.get_client(org_id)?;
        let names = assistant_names(&org);
        let rows = self.store().read(|c| tokens::list_for_org(c, org_id))?;
        rows.iter()
            .filter(|row| row.is_public())
            .map(|row| {
                Ok(view::build(
                    &KeyRecord::from_row(row)?,
                    &org.name,
                    &names,
                    policy,
                ))
            })
            .collect()
    }

    /// Fetches the org (keys included) from Vapi, then lists its public keys.
    pub async fn refresh_public_keys(
        &self,
        org_id: &str,
        policy: &AuditPolicy,
    ) -> Result<Vec<PublicKeyView>, CoreError> {
        self.refresh_client(org_id).await?;
        self.public_keys(org_id, policy)
    }

    /// Creates a public key. `restrictions` come from [`KeyRestrictions::builder`], so they are
    /// the safe ones unless an override was given.
    pub async fn create_public_key(
        &self,
        org_id: &str,
        name: &str,
        restrictions: &KeyRestrictions,
        policy: &AuditPolicy,
    ) -> Result<PublicKeyView, CoreError> {
        let name = check_name(name)?;
        let client = self.client_for(org_id).await?;
        let dto = CreateTokenDto {
            tag: TokenTag::Public,
            name: Some(name),
            restrictions: Some(restrictions.to_wire()),
        };
        let token = client.create_token(&dto).await?;
        // Vapi has no field for it, so the log is where a widened default's reason is kept.
        for ack in restrictions.acknowledgements() {
            tracing::warn!(%org_id, key_id = %token.id, scope = ?ack.scope, reason = %ack.reason,
                "public key created with a safe default given up");
        }
        self.resync_keys(org_id).await;
        self.key_view(org_id, &token, policy)
    }

    /// Replaces a key's restrictions (and name, when given). Whether the key is on or off is
    /// kept as it is: editing origins must not switch a disabled key back on.
    pub async fn update_public_key(
        &self,
        org_id: &str,
        key_id: &str,
        name: Option<&str>,
        restrictions: &KeyRestrictions,
        policy: &AuditPolicy,
    ) -> Result<PublicKeyView, CoreError> {
        let name = name.map(check_name).transpose()?;
        let client = self.client_for(org_id).await?;
        let current = client.list_tokens().await?;
        let token = find_public(&current, org_id, key_id)?;
        let dto = UpdateTokenDto {
            name,
            restrictions: Some(restrictions.with_enabled(token.is_enabled()).to_wire()),
            ..UpdateTokenDto::default()
        };
        let updated = client.update_token(key_id, &dto).await?;
        self.resync_keys(org_id).await;
        self.key_view(org_id, &updated, policy)
    }

    /// Turns a key on or off (`restrictions.enabled`), leaving its other restrictions untouched.
    pub async fn set_public_key_enabled(
        &self,
        org_id: &str,
        key_id: &str,
        enabled: bool,
        if_in_use: IfInUse,
        policy: &AuditPolicy,
    ) -> Result<PublicKeyView, CoreError> {
        let client = self.client_for(org_id).await?;
        let current = client.list_tokens().await?;
        let token = find_public(&current, org_id, key_id)?;
        let switching_off_last =
            !enabled && token.is_enabled() && !another_working_key(&current, org_id, key_id);
        if switching_off_last && if_in_use == IfInUse::Refuse {
            return Err(KeysError::LastWorkingKey.into());
        }
        let updated = set_enabled(&client, token, enabled).await?;
        self.resync_keys(org_id).await;
        self.key_view(org_id, &updated, policy)
    }

    /// Deletes a key. A key that is still switched on is only deleted with
    /// [`IfInUse::Proceed`]: turn it off first and watch the site.
    pub async fn delete_public_key(
        &self,
        org_id: &str,
        key_id: &str,
        if_in_use: IfInUse,
    ) -> Result<(), CoreError> {
        let client = self.client_for(org_id).await?;
        let current = client.list_tokens().await?;
        let token = find_public(&current, org_id, key_id)?;
        if token.is_enabled() && if_in_use == IfInUse::Refuse {
            return Err(if another_working_key(&current, org_id, key_id) {
                KeysError::DeleteEnabledKey
            } else {
                KeysError::LastWorkingKey
            }
            .into());
        }
        client.delete_token(key_id).await?;
        self.resync_keys(org_id).await;
        Ok(())
    }

    /// Brings the stored keys in line with Vapi after a change. Best effort: the change itself
    /// succeeded, and failing it now would invite a retry that repeats it (a second new key).
    pub(super) async fn resync_keys(&self, org_id: &str) {
        if let Err(error) = self.refresh_client(org_id).await {
            tracing::warn!(%org_id, %error, "keys changed at Vapi but the local copy is not refreshed");
        }
    }

    /// The view of a token Vapi just returned.
    pub(super) fn key_view(
        &self,
        org_id: &str,
        token: &Token,
        policy: &AuditPolicy,
    ) -> Result<PublicKeyView, CoreError> {
        let org = self.get_client(org_id)?;
        Ok(view::build(
            &KeyRecord::from_token(token),
            &org.name,
            &assistant_names(&org),
            policy,
        ))
    }
}

/// PATCHes only `enabled`; Vapi replaces restrictions whole, so the rest is sent back as is.
pub(super) async fn set_enabled(
    client: &crate::vapi::VapiClient,
    token: &Token,
    enabled: bool,
) -> Result<Token, CoreError> {
    let restrictions = TokenRestrictions {
        enabled: Some(enabled),
        ..token.restrictions.clone().unwrap_or_default()
    };
    let dto = UpdateTokenDto {
        restrictions: Some(restrictions),
        ..UpdateTokenDto::default()
    };
    Ok(client.update_token(&token.id, &dto).await?)
}

/// When a key was made, for names like "Website (rotated 2025-06-01)".
pub(super) fn today(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%d").to_string()
}
