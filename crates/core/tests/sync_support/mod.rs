//! Shared by the sync tests: a simulator on 127.0.0.1:0, a SQLite store in a temporary folder
//! with the simulator's orgs in it, and an exact comparison of the cache with the simulator.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::{time, Store};
use agencydesk_core::sync::{
    sync_calls, CancellationToken, ProgressSink, SyncOptions, SyncProgress, SyncReport, SyncTarget,
};
use agencydesk_core::vapi::money::usd_to_micros;
use agencydesk_core::vapi::{ClientOptions, VapiClient};
use vapi_sim::{Faults, Manifest, Sim, SimConfig, SimHandle};

pub struct World {
    pub sim: Sim,
    pub handle: SimHandle,
    pub manifest: Manifest,
    pub store: Arc<Store>,
    pub dir: tempfile::TempDir,
}

pub async fn world(orgs: usize, days: u32, calls_per_day: u32) -> World {
    let config = SimConfig {
        seed: 11,
        orgs,
        days,
        calls_per_day,
        anchor: None,
        faults: Faults::default(),
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let manifest = sim.manifest();
    let (dir, store) = new_store(&manifest, &sim.url());
    World {
        handle: sim.handle(),
        sim,
        manifest,
        store,
        dir,
    }
}

/// Quick retries, so fault tests do not crawl; `Retry-After` is still honoured (capped at 3 s).
pub fn client_options() -> ClientOptions {
    ClientOptions {
        request_timeout: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(3),
        ..ClientOptions::default()
    }
}

pub fn options(page_size: u32) -> SyncOptions {
    SyncOptions {
        page_size,
        page_retry_delay: Duration::from_millis(50),
        ..SyncOptions::default()
    }
}

impl World {
    pub fn org_ids(&self) -> Vec<String> {
        self.manifest.orgs.iter().map(|o| o.id.clone()).collect()
    }

    pub fn targets(&self) -> Vec<SyncTarget> {
        self.manifest
            .orgs
            .iter()
            .map(|o| SyncTarget {
                org_id: o.id.clone(),
                org_name: o.name.clone(),
                client: VapiClient::with_options(
                    &self.sim.url(),
                    SecretKey::new(o.private_key.clone()),
                    client_options(),
                )
                .map_err(Into::into),
            })
            .collect()
    }

    pub async fn sync(&self, options: &SyncOptions) -> (SyncReport, Vec<SyncProgress>) {
        self.sync_with(options, CancellationToken::new(), |_, _| {})
            .await
    }

    /// Syncs every org; `on_event` sees each progress event (and may cancel).
    pub async fn sync_with(
        &self,
        options: &SyncOptions,
        cancel: CancellationToken,
        on_event: impl Fn(&SyncProgress, &CancellationToken) + Send + Sync + 'static,
    ) -> (SyncReport, Vec<SyncProgress>) {
        self.sync_store(&self.store, options, cancel, on_event)
            .await
    }

    /// Syncs every org into `store`.
    pub async fn sync_store(
        &self,
        store: &Arc<Store>,
        options: &SyncOptions,
        cancel: CancellationToken,
        on_event: impl Fn(&SyncProgress, &CancellationToken) + Send + Sync + 'static,
    ) -> (SyncReport, Vec<SyncProgress>) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink: ProgressSink = {
            let events = Arc::clone(&events);
            let cancel = cancel.clone();
            Arc::new(move |e: SyncProgress| {
                on_event(&e, &cancel);
                events.lock().unwrap().push(e);
            })
        };
        let report = sync_calls(Arc::clone(store), self.targets(), options, sink, cancel).await;
        let events = events.lock().unwrap().clone();
        (report, events)
    }

    /// id -> (updatedAt, cost micros, component micros) as the simulator serves them.
    pub fn sim_calls(&self, org_id: &str) -> BTreeMap<String, CallFigures> {
        self.handle
            .calls(org_id)
            .iter()
            .map(|c| {
                let micros = |v: &serde_json::Value| v.as_f64().and_then(usd_to_micros);
                let b = &c["costBreakdown"];
                let figures = CallFigures {
                    updated_at: normalize(c["updatedAt"].as_str().unwrap()),
                    cost: micros(&c["cost"]),
                    components: [
                        micros(&b["transport"]),
                        micros(&b["stt"]),
                        micros(&b["llm"]),
                        micros(&b["tts"]),
                        micros(&b["vapi"]),
                        micros(&b["chat"]),
                    ],
                };
                (c["id"].as_str().unwrap().to_owned(), figures)
            })
            .collect()
    }

    pub fn cached_calls(&self, org_id: &str) -> BTreeMap<String, CallFigures> {
        cached_in(&self.store, org_id)
    }

    /// The cache holds exactly the simulator's calls for the org: same ids, same updatedAt,
    /// same cost and components to the micro-dollar (so also the same sums).
    pub fn assert_cache_equals_sim(&self, org_id: &str) {
        self.assert_store_equals_sim(&self.store, org_id);
    }

    pub fn assert_store_equals_sim(&self, store: &Store, org_id: &str) {
        let want = self.sim_calls(org_id);
        let got = cached_in(store, org_id);
        assert!(!want.is_empty(), "the simulator has no calls for {org_id}");
        let missing: Vec<_> = want.keys().filter(|k| !got.contains_key(*k)).collect();
        let extra: Vec<_> = got.keys().filter(|k| !want.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "org {org_id}: {} missing (e.g. {:?}), {} extra (e.g. {:?})",
            missing.len(),
            missing.first(),
            extra.len(),
            extra.first()
        );
        for (id, figures) in &want {
            assert_eq!(&got[id], figures, "call {id} of org {org_id}");
        }
        let sum =
            |m: &BTreeMap<String, CallFigures>| -> i64 { m.values().filter_map(|f| f.cost).sum() };
        assert_eq!(sum(&got), sum(&want), "cost sum of org {org_id}");
    }

    pub fn assert_all_equal(&self) {
        for org in self.org_ids() {
            self.assert_cache_equals_sim(&org);
        }
    }

    pub fn private_key(&self, org_id: &str) -> String {
        self.manifest
            .orgs
            .iter()
            .find(|o| o.id == org_id)
            .unwrap()
            .private_key
            .clone()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFigures {
    pub updated_at: String,
    pub cost: Option<i64>,
    pub components: [Option<i64>; 6],
}

fn normalize(t: &str) -> String {
    time::format(time::parse(t).unwrap())
}

/// A store in a new temporary folder, knowing the simulator's orgs.
pub fn new_store(manifest: &Manifest, url: &str) -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join(Store::FILE_NAME)).unwrap());
    store
        .write(|tx| {
            for org in &manifest.orgs {
                clients::upsert(
                    tx,
                    &ClientOrgRow {
                        id: org.id.clone(),
                        name: org.name.clone(),
                        base_url: url.to_owned(),
                        key_fingerprint: Some("…00000000".into()),
                        kind: OrgKind::Client,
                        status: OrgStatus::Linked,
                        linked_at: Some(time::now()),
                        updated_at: time::now(),
                    },
                )?;
            }
            Ok::<_, agencydesk_core::store::StoreError>(())
        })
        .unwrap();
    (dir, store)
}

/// id -> figures of the org's cached calls.
pub fn cached_in(store: &Store, org_id: &str) -> BTreeMap<String, CallFigures> {
    store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', updated_ms / 1000.0, 'unixepoch'),
                        cost_micros, transport_micros, stt_micros,
                        llm_micros, tts_micros, vapi_micros, chat_micros
                 FROM calls WHERE org_id = ?1",
            )?;
            let rows = stmt.query_map([org_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    CallFigures {
                        updated_at: r.get(1)?,
                        cost: r.get(2)?,
                        components: [
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                            r.get(8)?,
                        ],
                    },
                ))
            })?;
            Ok::<_, agencydesk_core::store::StoreError>(
                rows.collect::<Result<BTreeMap<_, _>, _>>()?,
            )
        })
        .unwrap()
}
