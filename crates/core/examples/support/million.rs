//! A synthetic cache of about a million realistic calls, shared by the report and search
//! benchmarks: the simulator's calls (transcripts, summaries, endings, costs) synced into a seed
//! cache as the app syncs them (compressed with the org's dictionaries, search index kept), then
//! copied until the cache holds the calls asked for, each copy a few seconds earlier than the
//! last (new ids), so the calls stay within the simulator's year. The search index is then built
//! over every copy as the first open after the search upgrade builds it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::{time, Store, StoreError};
use agencydesk_core::sync::{
    backfill_search_index, no_progress, sync_calls, CancellationToken, SyncOptions, SyncTarget,
};
use agencydesk_core::vapi::VapiClient;
use chrono::{TimeZone, Utc};
use vapi_sim::{Sim, SimConfig};

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Client orgs, and the simulator's mean calls a day per org over a year: about 20k calls.
const ORGS: usize = 5;
const CALLS_PER_DAY: u32 = 11;
const DAYS: u32 = 365;

/// The cache file in `dir` with about `calls` calls: built there, or reused when a previous run
/// left it complete (one benchmark run builds it for the next).
pub fn cache(dir: &Path, calls: u64) -> BenchResult<PathBuf> {
    let path = dir.join(Store::FILE_NAME);
    let done = dir.join("complete");
    if done.exists() {
        println!("synthetic cache reused from {}", dir.display());
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let started = Instant::now();
    let seed_path = dir.join("seed.sqlite");
    for file in [&path, &seed_path] {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = file.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
    let seed_calls = tokio::runtime::Runtime::new()?.block_on(seed(&seed_path))?;
    println!(
        "{seed_calls} simulator calls synced in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let copies = calls.div_ceil(seed_calls.max(1));
    let store = Store::open(&path)?;
    store.read(|c| {
        c.execute("ATTACH DATABASE ?1 AS src", [seed_path.to_string_lossy()])
            .map_err(StoreError::from)
    })?;
    store.bulk_writes(|| {
        store.write(|tx| {
            tx.execute_batch(
                "INSERT INTO client_orgs SELECT * FROM src.client_orgs;
                 INSERT INTO call_dicts SELECT * FROM src.call_dicts;",
            )?;
            for k in 0..copies {
                let shifted = |col: &str| format!("{col} - {}", 7_000 * k);
                tx.execute_batch(&format!(
                    "INSERT INTO calls (id, org_id, assistant_id, type, status,
                         ended_reason, created_ms, updated_ms, started_ms, ended_ms,
                         duration_seconds, cost_micros, transport_micros, stt_micros,
                         llm_micros, tts_micros, vapi_micros, chat_micros, minutes, raw,
                         success)
                     SELECT id || '-{k}', org_id, assistant_id, type, status,
                         ended_reason, {}, {}, {}, {}, duration_seconds, cost_micros,
                         transport_micros, stt_micros, llm_micros, tts_micros, vapi_micros,
                         chat_micros, minutes, raw, success
                     FROM src.calls ORDER BY org_id, created_ms",
                    shifted("created_ms"),
                    shifted("updated_ms"),
                    shifted("started_ms"),
                    shifted("ended_ms"),
                ))?;
            }
            // The index is built below over every copy, as for a cache from before it.
            tx.execute_batch(
                "DELETE FROM calls_fts; DELETE FROM call_search;
                 INSERT INTO call_search_backfill (next_rowid)
                     SELECT rowid FROM calls ORDER BY rowid LIMIT 1;",
            )?;
            Ok::<_, StoreError>(())
        })
    })?;
    store.read(|c| {
        c.execute_batch("DETACH DATABASE src")
            .map_err(StoreError::from)
    })?;
    println!(
        "{} copies written in {:.1} s",
        copies,
        started.elapsed().as_secs_f64()
    );
    let indexing = Instant::now();
    let indexed = backfill_search_index(&store)?;
    println!(
        "search index built over {indexed} calls in {:.1} s",
        indexing.elapsed().as_secs_f64()
    );
    store.read(|c| {
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(StoreError::from)
    })?;
    drop(store);
    let _ = std::fs::remove_file(&seed_path);
    std::fs::write(done, b"")?;
    Ok(path)
}

/// The simulator's year of calls synced into a new cache at `path`; returns how many.
async fn seed(path: &Path) -> BenchResult<u64> {
    let anchor = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single();
    let config = SimConfig {
        seed: 12,
        orgs: ORGS,
        days: DAYS,
        calls_per_day: CALLS_PER_DAY,
        anchor,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let manifest = sim.manifest();
    let store = Arc::new(Store::open(path)?);
    store.write(|tx| {
        for org in &manifest.orgs {
            clients::upsert(
                tx,
                &ClientOrgRow {
                    id: org.id.clone(),
                    name: org.name.clone(),
                    base_url: sim.url(),
                    key_fingerprint: None,
                    kind: OrgKind::Client,
                    status: OrgStatus::Linked,
                    linked_at: Some(time::now()),
                    updated_at: time::now(),
                },
            )?;
        }
        Ok::<_, StoreError>(())
    })?;
    let targets = manifest
        .orgs
        .iter()
        .map(|o| SyncTarget {
            org_id: o.id.clone(),
            org_name: o.name.clone(),
            client: VapiClient::new(&sim.url(), SecretKey::new(o.private_key.clone()))
                .map_err(Into::into),
        })
        .collect();
    let report = sync_calls(
        Arc::clone(&store),
        targets,
        &SyncOptions::default(),
        no_progress(),
        CancellationToken::new(),
    )
    .await;
    if !report.all_done() {
        return Err(format!("seed sync failed: {report:?}").into());
    }
    let calls: i64 = store.read(|c| {
        c.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))
            .map_err(StoreError::from)
    })?;
    Ok(u64::try_from(calls)?)
}
