//! What a client needs to use a running simulator: its URL, the agency's
//! own org and the client orgs with their keys and assistants.
//!
//! The keys are fake, but `Debug` still redacts private keys so they do not
//! end up in test logs by habit.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::world::token::Tag;

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub url: String,
    pub agency: AgencyEntry,
    pub orgs: Vec<OrgEntry>,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgencyEntry {
    pub id: String,
    pub name: String,
    pub private_key: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgEntry {
    pub id: String,
    pub name: String,
    pub private_key: String,
    pub public_keys: Vec<KeyEntry>,
    pub assistants: Vec<AssistantEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyEntry {
    pub id: String,
    pub value: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssistantEntry {
    pub id: String,
    pub name: String,
}

impl fmt::Debug for Manifest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manifest")
            .field("url", &self.url)
            .field("agency", &self.agency)
            .field("orgs", &self.orgs)
            .finish()
    }
}

impl fmt::Debug for AgencyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgencyEntry")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for OrgEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgEntry")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("private_key", &"<redacted>")
            .field("public_keys", &self.public_keys)
            .field("assistants", &self.assistants)
            .finish()
    }
}

/// The manifest of the current world (orgs created through the API appear,
/// deleted ones disappear).
pub fn build(state: &AppState, url: &str) -> Manifest {
    let world = state.read();
    let first_private = |org: &crate::world::org::Org| {
        org.tokens
            .iter()
            .find(|t| t.tag == Tag::Private)
            .map(|t| t.value.clone())
            .unwrap_or_default()
    };
    let agency = match world.org(state.agency_id) {
        Some(o) => AgencyEntry {
            id: o.id.to_string(),
            name: o.name.clone().unwrap_or_default(),
            private_key: first_private(o),
        },
        None => AgencyEntry {
            id: state.agency_id.to_string(),
            name: String::new(),
            private_key: String::new(),
        },
    };
    let orgs = world
        .account_orgs(state.account)
        .filter(|o| o.id != state.agency_id)
        .map(|o| OrgEntry {
            id: o.id.to_string(),
            name: o.name.clone().unwrap_or_default(),
            private_key: first_private(o),
            public_keys: o
                .tokens
                .iter()
                .filter(|t| t.tag == Tag::Public)
                .map(|t| KeyEntry {
                    id: t.id.to_string(),
                    value: t.value.clone(),
                    name: t.name.clone().unwrap_or_default(),
                })
                .collect(),
            assistants: o
                .assistants
                .iter()
                .map(|a| AssistantEntry {
                    id: a.id.to_string(),
                    name: a.name().unwrap_or_default().to_owned(),
                })
                .collect(),
        })
        .collect();
    Manifest {
        url: url.to_owned(),
        agency,
        orgs,
    }
}
