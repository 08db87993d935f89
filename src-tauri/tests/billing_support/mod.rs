//! Shared by the billing tests: the demo agency on its in-process simulator, synced, with the
//! demo's sample plans, and readers for the exported CSV files.
#![allow(dead_code)] // each test file uses part of it

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use agencydesk::commands::billing::cache::sync_clients;
use agencydesk::commands::billing::demo_plans::ensure_demo_plans;
use agencydesk::state::{AppState, KeychainOpener, Session};
use agencydesk_core::billing::{
    preview_invoice, AuditOptions, InvoicePreview, InvoiceRequest, Period,
};
use agencydesk_core::keychain::KeychainError;
use agencydesk_core::paths::DataDir;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind};
use chrono::{Datelike, Days, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

pub struct Demo {
    pub _tmp: tempfile::TempDir,
    pub state: AppState,
    pub session: Arc<Session>,
}

impl Demo {
    pub fn clients(&self) -> Vec<ClientOrgRow> {
        self.session
            .agency
            .store()
            .read(clients::list)
            .unwrap()
            .into_iter()
            .filter(|c| c.kind == OrgKind::Client)
            .collect()
    }

    /// The preview the Billing tab shows for this client and period (issue date as exports use).
    pub fn preview(&self, client_id: &str, period: Period) -> InvoicePreview {
        let now = Utc::now();
        let request = InvoiceRequest::new(
            client_id,
            period,
            agencydesk_core::billing::default_issue_date(period.to, now.date_naive()),
        );
        self.session
            .agency
            .store()
            .read(|c| preview_invoice(c, &request, &AuditOptions::at(now)))
            .unwrap()
    }
}

fn no_keychain() -> KeychainOpener {
    Arc::new(|| {
        Err(KeychainError::Unavailable {
            detail: "the demo keeps keys in memory".into(),
        })
    })
}

/// The demo agency (its own simulator on 127.0.0.1), every client synced and given a plan.
pub async fn synced_demo() -> Demo {
    let tmp = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(tmp.path())), no_keychain(), false);
    state.start_demo().await.unwrap();
    let session = state.session().await.unwrap();
    let report = sync_clients(&session, None).await.unwrap();
    assert!(report.all_done(), "{report:?}");
    ensure_demo_plans(&session).unwrap();
    Demo {
        _tmp: tmp,
        state,
        session,
    }
}

/// The last complete calendar month: fully inside the demo's 90 days of history.
pub fn last_month() -> Period {
    let today = Utc::now().date_naive();
    let last_day = today.with_day(1).unwrap() - Days::new(1);
    Period::month_of(last_day).unwrap()
}

/// The CSV's rows as header -> cell maps.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let record = r.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

pub fn dec(text: &str) -> Decimal {
    text.parse()
        .unwrap_or_else(|_| panic!("{text:?} is not a decimal"))
}

pub fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rows grouped by the value of `column`, in file order of first appearance.
pub fn group_by(
    rows: &[BTreeMap<String, String>],
    column: &str,
) -> Vec<(String, Vec<BTreeMap<String, String>>)> {
    let mut groups: Vec<(String, Vec<BTreeMap<String, String>>)> = Vec::new();
    for row in rows {
        let key = row[column].clone();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, rows)) => rows.push(row.clone()),
            None => groups.push((key, vec![row.clone()])),
        }
    }
    groups
}
