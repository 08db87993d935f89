//! Orgs: each belongs to an account (a user) and owns keys, assistants,
//! phone numbers and calls.

use std::sync::Arc;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::assistant::Assistant;
use super::call::CallRecord;
use super::token::Token;
use crate::time::{format_ms, Millis};

#[derive(Debug, Clone)]
pub struct Org {
    pub id: Uuid,
    /// The user account owning the org; `GET /org` lists the account's orgs.
    pub account: u32,
    pub name: Option<String>,
    pub created_ms: Millis,
    pub updated_ms: Millis,
    /// Settings from `CreateOrgDTO` / `UpdateOrgDTO`, echoed back as given.
    pub settings: Map<String, Value>,
    /// Name spoken in generated transcripts ("Thanks for calling Acme Dental").
    pub business: Arc<str>,
    pub tokens: Vec<Token>,
    pub assistants: Vec<Assistant>,
    pub phone_numbers: Vec<Uuid>,
    /// Sorted by `(created_ms, id)`, so createdAt filters are binary searches.
    pub calls: Vec<CallRecord>,
}

impl Org {
    /// The `Org` object. Settings not given at creation get Vapi's defaults.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(self.id.to_string()));
        if let Some(name) = &self.name {
            m.insert("name".into(), Value::String(name.clone()));
        }
        m.insert(
            "createdAt".into(),
            Value::String(format_ms(self.created_ms)),
        );
        m.insert(
            "updatedAt".into(),
            Value::String(format_ms(self.updated_ms)),
        );
        m.insert("channel".into(), Value::String("default".into()));
        m.insert("hipaaEnabled".into(), Value::Bool(false));
        m.insert("concurrencyLimit".into(), Value::from(10));
        for (k, v) in &self.settings {
            m.insert(k.clone(), v.clone());
        }
        Value::Object(m)
    }

    pub fn token(&self, id: Uuid) -> Option<&Token> {
        self.tokens.iter().find(|t| t.id == id)
    }

    pub fn assistant(&self, id: Uuid) -> Option<&Assistant> {
        self.assistants.iter().find(|a| a.id == id)
    }

    pub fn phone_index(&self, id: &str) -> Option<u8> {
        let id = Uuid::try_parse(id).ok()?;
        let pos = self.phone_numbers.iter().position(|p| *p == id)?;
        u8::try_from(pos).ok()
    }
}
