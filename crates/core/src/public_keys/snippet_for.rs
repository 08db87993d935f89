//! Snippets for a stored key and assistant (offline: everything comes from the last sync).

use super::manage::assistant_names;
use super::view::KeyRecord;
use crate::agency::{Agency, ClientOrgView};
use crate::error::CoreError;
use crate::jwt::JwtTtl;
use crate::keys::origin::normalize_origin;
use crate::keys::restrictions::KeyRestrictions;
use crate::keys::KeysError;
use crate::snippets::{generate, PrivateKeyGuard, Snippet, SnippetKind, SnippetRequest};
use crate::store::tokens;

/// What the user picked on the snippets screen (or with `agencydesk snippet`).
#[derive(Debug, Clone)]
pub struct SnippetChoice {
    pub kind: SnippetKind,
    /// The public key: embedded by the key-based kinds; for JWT and proxy mode its restrictions
    /// are the ones each minted token (or the proxy) carries. Those kinds may go without one:
    /// they then serve exactly `site_origin` and the assistant.
    pub key_id: Option<String>,
    pub assistant_id: String,
    /// The client's website, to warn when the key does not allow it.
    pub site_origin: Option<String>,
    pub token_ttl: JwtTtl,
    /// The API address the snippet calls instead of the org's own (a proxy, a test server).
    pub api_base_url: Option<String>,
}

impl Agency {
    /// Guards snippets against every private key agencydesk holds, by fingerprint.
    pub fn snippet_guard(&self) -> Result<PrivateKeyGuard, CoreError> {
        Ok(PrivateKeyGuard::new(
            self.list_clients()?
                .into_iter()
                .filter_map(|org| org.key_fingerprint),
        ))
    }

    pub fn snippet(&self, org_id: &str, choice: &SnippetChoice) -> Result<Snippet, CoreError> {
        let org = self.get_client(org_id)?;
        let key = match &choice.key_id {
            Some(key_id) => Some(self.stored_public_key(org_id, key_id)?),
            None => None,
        };
        let assistant_name = assistant_name(&org, &choice.assistant_id)?;
        let site_origin = choice
            .site_origin
            .as_deref()
            .map(normalize_origin)
            .transpose()
            .map_err(KeysError::from)?;
        let restrictions = match (&key, &site_origin) {
            (Some(key), _) => key.restrictions(),
            // Only the kinds without an embedded key get here without one: generating refuses
            // the others for the missing key.
            (None, Some(site)) => KeyRestrictions::builder()
                .origin(site.clone())
                .assistant(&choice.assistant_id)
                .build()?,
            (None, None) => return Err(KeysError::SnippetNeedsKeyOrSite.into()),
        };
        let request = SnippetRequest {
            kind: choice.kind,
            org_id: org.id.clone(),
            public_key_value: key.and_then(|k| k.value),
            assistant_id: choice.assistant_id.clone(),
            assistant_name,
            client_name: org.name.clone(),
            api_base_url: Some(
                choice
                    .api_base_url
                    .clone()
                    .unwrap_or_else(|| org.base_url.clone()),
            ),
            restrictions,
            site_origin,
            token_ttl: choice.token_ttl,
        };
        Ok(generate(&request, &self.snippet_guard()?)?)
    }

    /// A public key of `org_id` as last synced.
    pub(super) fn stored_public_key(
        &self,
        org_id: &str,
        key_id: &str,
    ) -> Result<KeyRecord, CoreError> {
        let row = self
            .store()
            .read(|c| tokens::get(c, key_id))?
            .filter(|row| row.org_id == org_id)
            .ok_or_else(|| KeysError::KeyNotFound {
                key_id: key_id.to_owned(),
            })?;
        if !row.is_public() {
            return Err(KeysError::NotPublic { key_id: row.id }.into());
        }
        Ok(KeyRecord::from_row(&row)?)
    }
}

/// The name of one of the org's assistants: empty for a known but unnamed one, an error for an
/// id the org does not have.
pub(super) fn assistant_name(org: &ClientOrgView, assistant_id: &str) -> Result<String, KeysError> {
    if let Some(name) = assistant_names(org).remove(assistant_id) {
        return Ok(name);
    }
    org.assistants
        .iter()
        .any(|a| a.id == assistant_id)
        .then(String::new)
        .ok_or_else(|| KeysError::AssistantNotFound {
            assistant_id: assistant_id.to_owned(),
        })
}
