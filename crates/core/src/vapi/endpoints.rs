//! The Vapi endpoints agencydesk uses, one method each.

use std::collections::HashSet;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::client::{Replay, Request, VapiClient};
use super::error::VapiError;
use super::models::{
    Assistant, Call, CallFilter, CreateOrgDto, CreateTokenDto, Org, Token, UpdateOrgDto,
    UpdateTokenDto,
};
use super::redact::scrub_secrets;

/// `GET /org` answers with one org or, for account-level access, an array.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

fn get<'a>(path: &'a [&'a str], what: &'static str) -> Request<'a> {
    Request {
        method: Method::GET,
        path,
        query: Vec::new(),
        body: None,
        what,
        replay: Replay::Safe,
    }
}

fn with_body<'a>(
    method: Method,
    path: &'a [&'a str],
    what: &'static str,
    body: &impl Serialize,
) -> Result<Request<'a>, VapiError> {
    let body = serde_json::to_vec(body).map_err(|e| VapiError::InvalidResponse {
        detail: format!("could not encode the request: {e}"),
    })?;
    let replay = if method == Method::POST {
        Replay::OnlyIfUnprocessed
    } else {
        Replay::Safe
    };
    Ok(Request {
        method,
        path,
        query: Vec::new(),
        body: Some(body),
        what,
        replay,
    })
}

/// Parses an object kept with its JSON (secret-looking fields removed first).
fn with_raw<T: DeserializeOwned>(
    mut raw: Value,
    what: &'static str,
    attach: impl FnOnce(&mut T, Value),
) -> Result<T, VapiError> {
    scrub_secrets(&mut raw);
    let mut item: T =
        serde_json::from_value(raw.clone()).map_err(|e| VapiError::InvalidResponse {
            detail: format!("unexpected {what} data: {e}"),
        })?;
    attach(&mut item, raw);
    Ok(item)
}

fn assistant_from(raw: Value) -> Result<Assistant, VapiError> {
    with_raw(raw, "assistant", |a: &mut Assistant, raw| a.raw = raw)
}

fn call_from(raw: Value) -> Result<Call, VapiError> {
    with_raw(raw, "call", |c: &mut Call, raw| c.raw = raw)
}

impl VapiClient {
    /// The org(s) this key can see; usually exactly one.
    pub async fn list_orgs(&self) -> Result<Vec<Org>, VapiError> {
        let orgs: OneOrMany<Org> = self.send(get(&["org"], "org")).await?;
        Ok(match orgs {
            OneOrMany::Many(orgs) => orgs,
            OneOrMany::One(org) => vec![org],
        })
    }

    pub async fn get_org(&self, id: &str) -> Result<Org, VapiError> {
        self.send(get(&["org", id], "org")).await
    }

    pub async fn create_org(&self, dto: &CreateOrgDto) -> Result<Org, VapiError> {
        self.send(with_body(Method::POST, &["org"], "org", dto)?)
            .await
    }

    pub async fn update_org(&self, id: &str, dto: &UpdateOrgDto) -> Result<Org, VapiError> {
        self.send(with_body(Method::PATCH, &["org", id], "org", dto)?)
            .await
    }

    /// Every assistant of the org, paging backwards by `createdAt` when there is more than one
    /// page. There is no cursor, so the next page starts at the oldest timestamp seen, inclusive
    /// (`createdAtLe`, de-duplicated by id) so assistants sharing a timestamp at a page boundary
    /// are not skipped; only when a whole page shares one timestamp does it move strictly past it
    /// (`createdAtLt`), the one case the API gives no way to page through.
    pub async fn list_assistants(&self) -> Result<Vec<Assistant>, VapiError> {
        let page_size = self.options.page_size.clamp(1, 1000);
        let mut seen = HashSet::new();
        let mut all: Vec<Assistant> = Vec::new();
        let mut boundary: Option<(&'static str, chrono::DateTime<chrono::Utc>)> = None;
        loop {
            let mut query = vec![("limit", page_size.to_string())];
            if let Some((name, at)) = boundary {
                query.push((name, crate::store::time::format(at)));
            }
            let page: Vec<Value> = self
                .send(Request {
                    query,
                    ..get(&["assistant"], "assistant")
                })
                .await?;
            let full_page = page.len() >= page_size as usize;
            let mut oldest = None;
            let mut added = 0;
            for raw in page {
                let assistant = assistant_from(raw)?;
                let at = assistant.created_at;
                oldest = Some(oldest.map_or(at, |o: chrono::DateTime<chrono::Utc>| o.min(at)));
                if seen.insert(assistant.id.clone()) {
                    added += 1;
                    all.push(assistant);
                }
            }
            let Some(oldest) = oldest.filter(|_| full_page) else {
                return Ok(all);
            };
            boundary = match boundary {
                // A full page of nothing new: everything left at this timestamp was seen.
                Some(("createdAtLe", at)) if added == 0 && at == oldest => {
                    Some(("createdAtLt", oldest))
                }
                Some(("createdAtLt", at)) if added == 0 && at == oldest => return Ok(all),
                _ => Some(("createdAtLe", oldest)),
            };
        }
    }

    pub async fn list_tokens(&self) -> Result<Vec<Token>, VapiError> {
        self.send(Request {
            query: vec![("limit", "1000".to_owned())],
            ..get(&["token"], "API key")
        })
        .await
    }

    pub async fn get_token(&self, id: &str) -> Result<Token, VapiError> {
        self.send(get(&["token", id], "API key")).await
    }

    /// Creates a key. The answer holds its value (a secret when the tag is private).
    pub async fn create_token(&self, dto: &CreateTokenDto) -> Result<Token, VapiError> {
        self.send(with_body(Method::POST, &["token"], "API key", dto)?)
            .await
    }

    pub async fn update_token(&self, id: &str, dto: &UpdateTokenDto) -> Result<Token, VapiError> {
        self.send(with_body(Method::PATCH, &["token", id], "API key", dto)?)
            .await
    }

    pub async fn delete_token(&self, id: &str) -> Result<(), VapiError> {
        self.send_delete(Request {
            method: Method::DELETE,
            replay: Replay::Delete,
            ..get(&["token", id], "API key")
        })
        .await
    }

    /// One page of calls, newest first (see [`CallFilter`] for paging).
    pub async fn list_calls(&self, filter: &CallFilter) -> Result<Vec<Call>, VapiError> {
        let page: Vec<Value> = self
            .send(Request {
                query: filter.to_query(),
                ..get(&["call"], "call")
            })
            .await?;
        page.into_iter().map(call_from).collect()
    }

    pub async fn get_call(&self, id: &str) -> Result<Call, VapiError> {
        call_from(self.send(get(&["call", id], "call")).await?)
    }

    /// Starts a web call as the Web SDK does (works with a public key); used by tests and demos.
    pub async fn create_web_call(&self, assistant_id: &str) -> Result<Call, VapiError> {
        let body = serde_json::json!({ "assistantId": assistant_id });
        call_from(
            self.send(with_body(
                Method::POST,
                &["call", "web"],
                "assistant",
                &body,
            )?)
            .await?,
        )
    }
}
