//! What agencydesk fetches about an org through its key, and how it becomes rows.

use rusqlite::Transaction;

use super::AgencyError;
use crate::error::CoreError;
use crate::sensitive::SecretKey;
use crate::store::assistants::{self, AssistantRow};
use crate::store::tokens::{self, TokenRow};
use crate::store::{time, StoreError};
use crate::vapi::{Assistant, Org, Token, VapiClient};

pub(super) struct Snapshot {
    pub org: Org,
    pub tokens: Vec<Token>,
    pub assistants: Vec<Assistant>,
}

impl Snapshot {
    /// Fetches the org this key belongs to, with its tokens and assistants.
    ///
    /// `GET /org` may list several orgs for account-level access; tokens and assistants are
    /// scoped by key, so the key's org is the one the token list says the key itself belongs to
    /// (or, failing that, what the tokens and assistants report as `orgId`).
    pub async fn discover(client: &VapiClient, key: &SecretKey) -> Result<Self, CoreError> {
        let orgs = client.list_orgs().await?;
        let tokens = client.list_tokens().await?;
        let assistants = client.list_assistants().await?;
        let org = match <[Org; 1]>::try_from(orgs) {
            Ok([only]) => only,
            Err(orgs) if orgs.is_empty() => return Err(AgencyError::NoOrgForKey.into()),
            Err(orgs) => {
                let own_token = tokens
                    .iter()
                    .find(|t| t.value.as_ref().is_some_and(|v| v.expose() == key.expose()));
                let owner = own_token
                    .or(tokens.first())
                    .map(|t| t.org_id.as_str())
                    .or(assistants.first().map(|a| a.org_id.as_str()));
                owner
                    .and_then(|id| orgs.into_iter().find(|o| o.id == id))
                    .ok_or(AgencyError::OrgNotIdentified)?
            }
        };
        Ok(Self::scoped(org, tokens, assistants))
    }

    /// Fetches a known org through its own key.
    pub async fn refresh(client: &VapiClient, org_id: &str) -> Result<Self, CoreError> {
        let org = client.get_org(org_id).await?;
        let tokens = client.list_tokens().await?;
        let assistants = client.list_assistants().await?;
        Ok(Self::scoped(org, tokens, assistants))
    }

    /// Keeps only what belongs to `org`.
    fn scoped(org: Org, tokens: Vec<Token>, assistants: Vec<Assistant>) -> Self {
        let tokens = tokens.into_iter().filter(|t| t.org_id == org.id).collect();
        let assistants = assistants
            .into_iter()
            .filter(|a| a.org_id == org.id)
            .collect();
        Self {
            org,
            tokens,
            assistants,
        }
    }

    /// Replaces the stored assistants and tokens of the org with this snapshot's.
    pub fn store_children(&self, tx: &Transaction<'_>) -> Result<(), StoreError> {
        let assistant_rows: Vec<AssistantRow> = self.assistants.iter().map(assistant_row).collect();
        assistants::replace_for_org(tx, &self.org.id, &assistant_rows)?;
        let token_rows = self
            .tokens
            .iter()
            .map(token_row)
            .collect::<Result<Vec<_>, _>>()?;
        tokens::replace_for_org(tx, &self.org.id, &token_rows)
    }
}

fn assistant_row(a: &Assistant) -> AssistantRow {
    AssistantRow {
        id: a.id.clone(),
        org_id: a.org_id.clone(),
        name: a.name.clone(),
        created_at: time::format(a.created_at),
        updated_at: time::format(a.updated_at),
        raw: a.raw.to_string(),
    }
}

pub(super) fn token_row(t: &Token) -> Result<TokenRow, StoreError> {
    let restrictions = t
        .restrictions
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| StoreError::Corrupt {
            what: format!("token restrictions: {e}"),
        })?;
    Ok(TokenRow {
        id: t.id.clone(),
        org_id: t.org_id.clone(),
        tag: t
            .tag
            .as_ref()
            .map_or("private", |tag| tag.as_str())
            .to_owned(),
        name: t.name.clone(),
        restrictions,
        enabled: t.is_enabled(),
        created_at: time::format(t.created_at),
        updated_at: time::format(t.updated_at),
        // Only public values: `public_value` is `None` for every other tag.
        value: t.public_value().map(str::to_owned),
    })
}
