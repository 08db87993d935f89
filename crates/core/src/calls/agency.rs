//! The call cache as the app and the CLI read it, off the async runtime: a sync's write batch
//! may hold the database for a moment, and async workers must not wait on it.

use std::sync::Arc;

use chrono::Utc;

use super::detail::{cached_call_json, call_detail, CallDetail};
use super::months::{months_of, CallsMonths};
use super::query::{count_calls, list_calls, CallsPage, CallsQuery};
use super::search::{search_calls, CallSearch, SearchPage};
use super::stats::{stats, OrgCallStats};
use crate::agency::{Agency, AgencyError};
use crate::blocking::blocking;
use crate::error::CoreError;
use crate::store::clients::{self, OrgKind};

impl Agency {
    /// One page of an org's cached calls, newest first (pass the previous page's `next` as
    /// `after`).
    pub async fn list_calls(&self, query: CallsQuery) -> Result<CallsPage, CoreError> {
        self.read_blocking(move |c| list_calls(c, &query)).await
    }

    /// One cached call as the detail shows it, whatever org it belongs to; the customer's
    /// number masked to its last 4 digits unless `reveal`.
    pub async fn call_detail(&self, call_id: &str, reveal: bool) -> Result<CallDetail, CoreError> {
        let id = call_id.to_owned();
        self.read_blocking(move |c| call_detail(c, &id, reveal))
            .await?
            .ok_or_else(|| not_cached(call_id))
    }

    /// One cached call's JSON as cached (secret-looking fields were never stored), whatever org
    /// it belongs to; the customer's number masked unless `reveal`.
    pub async fn cached_call(
        &self,
        call_id: &str,
        reveal: bool,
    ) -> Result<serde_json::Value, CoreError> {
        let id = call_id.to_owned();
        self.read_blocking(move |c| cached_call_json(c, &id, reveal))
            .await?
            .ok_or_else(|| not_cached(call_id))
    }

    /// One page of the cached calls (every client's, unless the search names one) whose
    /// transcript or summary matches, newest first, each with a snippet around its match.
    pub async fn search_calls(&self, search: CallSearch) -> Result<SearchPage, CoreError> {
        self.read_blocking(move |c| search_calls(c, &search)).await
    }

    /// How many cached calls match the query's filters (its paging fields are ignored).
    pub async fn count_calls(&self, query: CallsQuery) -> Result<u64, CoreError> {
        self.read_blocking(move |c| count_calls(c, &query)).await
    }

    /// Per-org totals of the cache: calls, exact cost sum, newest `updatedAt` (`None`: every
    /// org).
    pub async fn calls_stats(
        &self,
        org_id: Option<String>,
    ) -> Result<Vec<OrgCallStats>, CoreError> {
        self.read_blocking(move |c| stats(c, org_id.as_deref()))
            .await
    }

    /// The totals of the client orgs (`None`), or of the one org asked for (of any kind; an
    /// unknown org is an error), ordered as the clients list orders them.
    pub async fn client_calls_stats(
        &self,
        org_id: Option<&str>,
    ) -> Result<Vec<OrgCallStats>, CoreError> {
        let org_id = org_id.map(str::to_owned);
        self.read_blocking(move |c| {
            let wanted: Vec<String> = match org_id.as_deref() {
                Some(id) => {
                    let row = clients::get(c, id)?.ok_or_else(|| AgencyError::ClientNotFound {
                        org_id: id.to_owned(),
                    })?;
                    vec![row.id]
                }
                None => clients::list(c)?
                    .into_iter()
                    .filter(|r| r.kind == OrgKind::Client)
                    .map(|r| r.id)
                    .collect(),
            };
            let mut found: Vec<OrgCallStats> = stats(c, org_id.as_deref())?
                .into_iter()
                .filter(|s| wanted.contains(&s.org_id))
                .collect();
            found.sort_by(|a, b| a.org_name.cmp(&b.org_name).then(a.org_id.cmp(&b.org_id)));
            Ok::<_, CoreError>(found)
        })
        .await
    }

    /// This month's and last month's calls and cost of one org (UTC months).
    pub async fn calls_months(&self, org_id: &str) -> Result<CallsMonths, CoreError> {
        let store = Arc::clone(self.store());
        let org_id = org_id.to_owned();
        blocking(move || Ok(months_of(&store, &org_id, Utc::now().date_naive())?)).await
    }
}

fn not_cached(call_id: &str) -> CoreError {
    AgencyError::CallNotFound {
        call_id: call_id.to_owned(),
    }
    .into()
}
