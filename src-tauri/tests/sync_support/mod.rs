//! Shared by the app crate's sync tests: a simulator on 127.0.0.1:0 and what it holds, read the
//! way the cache must end up (ids, `updatedAt` normalized, cost in micro-USD).

#![allow(dead_code)]

pub mod app;

use std::collections::BTreeMap;
use std::path::Path;

use agencydesk_core::store::{time, Store, StoreError};
use agencydesk_core::vapi::money::usd_to_micros;
use chrono::{DateTime, Datelike, Utc};
use vapi_sim::{Faults, Sim, SimConfig, SimHandle};

pub async fn sim(seed: u64, orgs: usize, days: u32, calls_per_day: u32, faults: Faults) -> Sim {
    let config = SimConfig {
        seed,
        orgs,
        days,
        calls_per_day,
        anchor: None,
        faults,
        ..SimConfig::default()
    };
    Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// A call as the simulator serves it, in the cache's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub updated_at: String,
    pub cost_micros: Option<i64>,
}

fn normalize(t: &str) -> String {
    time::format(time::parse(t).unwrap())
}

/// id -> figures of every call of the org in the simulator.
pub fn sim_calls(handle: &SimHandle, org_id: &str) -> BTreeMap<String, Figures> {
    handle
        .calls(org_id)
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                Figures {
                    updated_at: normalize(c["updatedAt"].as_str().unwrap()),
                    cost_micros: c["cost"].as_f64().and_then(usd_to_micros),
                },
            )
        })
        .collect()
}

pub fn cost_sum(calls: &BTreeMap<String, Figures>) -> i64 {
    calls.values().filter_map(|f| f.cost_micros).sum()
}

pub fn newest_update(calls: &BTreeMap<String, Figures>) -> Option<String> {
    calls.values().map(|f| f.updated_at.clone()).max()
}

/// Calls of the org per assistant id, in the simulator.
pub fn sim_calls_per_assistant(handle: &SimHandle, org_id: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for call in handle.calls(org_id) {
        if let Some(assistant) = call["assistantId"].as_str() {
            *counts.entry(assistant.to_owned()).or_insert(0) += 1;
        }
    }
    counts
}

/// (calls, cost micros) of the org's simulator calls created in the UTC month `(year, month)`.
pub fn sim_month(handle: &SimHandle, org_id: &str, year: i32, month: u32) -> (u64, i64) {
    let mut calls = 0;
    let mut cost = 0;
    for call in handle.calls(org_id) {
        let created: DateTime<Utc> = time::parse(call["createdAt"].as_str().unwrap()).unwrap();
        if created.year() == year && created.month() == month {
            calls += 1;
            cost += call["cost"].as_f64().and_then(usd_to_micros).unwrap_or(0);
        }
    }
    (calls, cost)
}

/// id -> figures of the org's calls in the cache.
pub fn cached_calls(store: &Store, org_id: &str) -> BTreeMap<String, Figures> {
    store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', updated_ms / 1000.0, 'unixepoch'),
                        cost_micros FROM calls WHERE org_id = ?1",
            )?;
            let rows = stmt.query_map([org_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Figures {
                        updated_at: r.get(1)?,
                        cost_micros: r.get(2)?,
                    },
                ))
            })?;
            Ok::<_, StoreError>(rows.collect::<Result<BTreeMap<_, _>, _>>()?)
        })
        .unwrap()
}

/// Opens the data folder's database as the app would.
pub fn open_store(data_dir: &Path) -> Store {
    Store::open(&data_dir.join(Store::FILE_NAME)).unwrap()
}

/// The cache holds exactly the simulator's calls of the org: same ids, same `updatedAt`, same
/// cost to the micro-dollar (so the same sum too).
pub fn assert_cache_equals_sim(store: &Store, handle: &SimHandle, org_id: &str) {
    let want = sim_calls(handle, org_id);
    let got = cached_calls(store, org_id);
    assert!(!want.is_empty(), "the simulator has no calls for {org_id}");
    let missing = want.keys().filter(|k| !got.contains_key(*k)).count();
    let extra = got.keys().filter(|k| !want.contains_key(*k)).count();
    assert!(
        missing == 0 && extra == 0,
        "org {org_id}: {missing} calls missing, {extra} extra"
    );
    for (id, figures) in &want {
        assert_eq!(&got[id], figures, "call {id} of org {org_id}");
    }
    assert_eq!(cost_sum(&got), cost_sum(&want), "cost sum of {org_id}");
}

/// Micro-USD as the exact decimal text `calls stats` prints ("12.345678").
pub fn usd_text(micros: i64) -> String {
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    format!("{sign}{}.{:06}", abs / 1_000_000, abs % 1_000_000)
}
