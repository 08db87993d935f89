//! Shared by the agency-level billing tests: an agency like the demo's (the simulator's default
//! world of four clients and 90 days, on 127.0.0.1, a real SQLite file in a temporary folder,
//! keys in memory), every client synced and given its sample plan; and readers for the exported
//! CSV files.
#![allow(dead_code)] // each test file uses part of it

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::billing::{
    default_issue_date, preview_invoice, AuditOptions, InvoicePreview, InvoiceRequest, Period,
};
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind};
use chrono::{Datelike, Days, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use vapi_sim::{Sim, SimConfig};

pub struct World {
    pub agency: Agency,
    pub sim: Sim,
    pub _data: tempfile::TempDir,
}

impl World {
    pub fn clients(&self) -> Vec<ClientOrgRow> {
        self.agency
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
            default_issue_date(period.to, now.date_naive()),
        );
        self.agency
            .store()
            .read(|c| preview_invoice(c, &request, &AuditOptions::at(now)))
            .unwrap()
    }
}

/// The agency with its own org and every client linked, each client given its sample plan;
/// nothing synced yet.
pub async fn linked_world() -> World {
    let sim = Sim::start(SimConfig::default(), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new())).unwrap();
    let manifest = sim.manifest();
    let url = sim.url();
    agency
        .link_agency(
            Some(&url),
            SecretKey::new(manifest.agency.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    for org in &manifest.orgs {
        agency
            .link_client(
                Some(&url),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    assert_eq!(
        agency.seed_sample_plans().await.unwrap(),
        manifest.orgs.len()
    );
    World {
        agency,
        sim,
        _data: data,
    }
}

/// [`linked_world`], every client synced.
pub async fn synced_world() -> World {
    let world = linked_world().await;
    let report = world.agency.sync_before_billing(None).await.unwrap();
    assert!(report.all_done(), "{report:?}");
    world
}

/// The last complete calendar month: fully inside the simulator's 90 days of history.
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
