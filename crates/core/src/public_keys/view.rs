//! What the keys screen and `agencydesk keys list` show of one public key.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::keys::audit::{audit_public_key, AuditPolicy, Finding, PublicKeyFacts};
use crate::keys::describe::RestrictionSummary;
use crate::keys::restrictions::KeyRestrictions;
use crate::keys::KeysError;
use crate::store::time;
use crate::store::tokens::TokenRow;
use crate::vapi::{Token, TokenRestrictions};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct PublicKeyView {
    pub id: String,
    pub org_id: String,
    pub name: Option<String>,
    /// The public key itself: it is published in web pages by design.
    pub value: Option<String>,
    pub enabled: bool,
    pub created_at: String,
    /// The restrictions as Vapi stores them, for the edit form.
    pub restrictions: TokenRestrictions,
    pub summary: RestrictionSummary,
    pub findings: Vec<Finding>,
}

/// One public key, from the store or straight from a Vapi answer.
pub(super) struct KeyRecord {
    pub id: String,
    pub org_id: String,
    pub name: Option<String>,
    pub value: Option<String>,
    pub created_at: DateTime<Utc>,
    pub restrictions: Option<TokenRestrictions>,
}

impl KeyRecord {
    pub fn from_row(row: &TokenRow) -> Result<Self, KeysError> {
        let unreadable = || KeysError::Unreadable {
            key_id: row.id.clone(),
        };
        let restrictions = row
            .restrictions
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|_| unreadable())?;
        Ok(Self {
            id: row.id.clone(),
            org_id: row.org_id.clone(),
            name: row.name.clone(),
            value: row.value.clone(),
            created_at: time::parse(&row.created_at).ok_or_else(unreadable)?,
            restrictions,
        })
    }

    pub fn from_token(token: &Token) -> Self {
        Self {
            id: token.id.clone(),
            org_id: token.org_id.clone(),
            name: token.name.clone(),
            value: token.public_value().map(str::to_owned),
            created_at: token.created_at,
            restrictions: token.restrictions.clone(),
        }
    }

    pub fn restrictions(&self) -> KeyRestrictions {
        KeyRestrictions::from_wire(self.restrictions.as_ref())
    }
}

pub(super) fn build(
    key: &KeyRecord,
    org_name: &str,
    assistant_names: &HashMap<String, String>,
    policy: &AuditPolicy,
) -> PublicKeyView {
    let restrictions = key.restrictions();
    let facts = PublicKeyFacts {
        org_id: &key.org_id,
        org_name,
        key_id: &key.id,
        key_name: key.name.as_deref(),
        created_at: key.created_at,
        restrictions: &restrictions,
    };
    PublicKeyView {
        id: key.id.clone(),
        org_id: key.org_id.clone(),
        name: key.name.clone(),
        value: key.value.clone(),
        enabled: restrictions.enabled(),
        created_at: time::format(key.created_at),
        restrictions: key.restrictions.clone().unwrap_or_default(),
        summary: restrictions.summary(assistant_names),
        findings: audit_public_key(&facts, policy),
    }
}
