//! Benchmark driver for the call sync (run by benches/sync.sh, which starts `vapi-sim` and
//! reads its manifest). Prints figures and writes them as JSON; never judges them.
//!
//! ```text
//! sync_bench main      MANIFEST WORKDIR OUT.json   full sync, re-sync, calls view, raw limits
//! sync_bench encodings MANIFEST WORKDIR OUT.json   full sync per raw JSON encoding
//! sync_bench resync    MANIFEST WORKDIR OUT.json   full sync, then re-syncs with nothing new
//! sync_bench full      MANIFEST WORKDIR OUT.json   one full sync (for profiling)
//! sync_bench interleaved MANIFEST WORKDIR OUT.json full sync, fetch-only limit and bulk
//!                                                  insert limit in turn, BENCH_ROUNDS times
//!                                                  (default 5): medians and CPU times
//! sync_bench million   MANIFEST WORKDIR OUT.json   after `main`: its calls copied to 1M in
//!                                                  WORKDIR/million/ (a live agency's data
//!                                                  folder), the calls view and full-text
//!                                                  search timed on them
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[path = "support/search.rs"]
mod search;

use agencydesk_core::calls::{self, CallsQuery};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::agency_profile::{self, AgencyMode};
use agencydesk_core::store::call_search::{searched_text, spoken, SearchDoc};
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::{time, Store, StoreError};
use agencydesk_core::sync::raw::Decoder;
use agencydesk_core::sync::{
    backfill_search_index, no_progress, sync_calls, CancellationToken, RawEncoding, SyncOptions,
    SyncReport, SyncTarget,
};
use agencydesk_core::vapi::{CallFilter, VapiClient};
use rusqlite::types::Value as SqlValue;
use serde_json::{json, Value};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

struct Org {
    id: String,
    name: String,
    key: String,
}

struct Bench {
    url: String,
    orgs: Vec<Org>,
    work: PathBuf,
}

fn main() -> BenchResult<()> {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let args: Vec<String> = std::env::args().collect();
    let [_, mode, manifest, work, out] = args.as_slice() else {
        return Err("usage: sync_bench main|encodings|resync MANIFEST WORKDIR OUT.json".into());
    };
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(manifest)?)?;
    let orgs = manifest["orgs"]
        .as_array()
        .ok_or("manifest without orgs")?
        .iter()
        .map(|o| Org {
            id: o["id"].as_str().unwrap_or_default().to_owned(),
            name: o["name"].as_str().unwrap_or_default().to_owned(),
            key: o["privateKey"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    let bench = Bench {
        url: manifest["url"]
            .as_str()
            .ok_or("manifest without url")?
            .to_owned(),
        orgs,
        work: PathBuf::from(work),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let figures = runtime.block_on(async {
        match mode.as_str() {
            "main" => bench.main().await,
            "encodings" => bench.encodings().await,
            "resync" => bench.resync().await,
            "full" => bench.full().await,
            "interleaved" => bench.interleaved().await,
            "million" => bench.million(),
            other => Err(format!("unknown mode {other}").into()),
        }
    })?;
    std::fs::write(out, serde_json::to_vec_pretty(&figures)?)?;
    Ok(())
}

/// This process's CPU time so far (user, system) in seconds and the bytes it handed to write
/// calls, from /proc (Linux's USER_HZ is 100). With the simulator on the same 2 cores, CPU time
/// and bytes written say what a phase costs when wall time is blurred by whatever else runs.
fn usage() -> (f64, f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name (which may hold spaces) start at ") "; utime and stime
    // are the 14th and 15th fields of the line.
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let field = |i: usize| rest.split(' ').nth(i).and_then(|v| v.parse::<f64>().ok());
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let written = io
        .lines()
        .find_map(|l| l.strip_prefix("wchar: "))
        .and_then(|v| v.trim().parse::<f64>().ok());
    (
        field(11).unwrap_or(0.0) / 100.0,
        field(12).unwrap_or(0.0) / 100.0,
        written.unwrap_or(0.0),
    )
}

/// "cpu: user U s, system S s; written W MB" since `from` (a [`usage`] reading).
fn usage_since(from: (f64, f64, f64)) -> String {
    let now = usage();
    format!(
        "cpu: user {:.2} s, system {:.2} s; written {:.0} MB",
        now.0 - from.0,
        now.1 - from.1,
        (now.2 - from.2) / 1e6
    )
}

fn secs(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// Median of three runs of `f`, in milliseconds (the first may read the database from disk).
fn median_ms(f: &dyn Fn() -> BenchResult<()>) -> BenchResult<f64> {
    let mut runs = Vec::with_capacity(3);
    for _ in 0..3 {
        let start = Instant::now();
        f()?;
        runs.push(secs(start) * 1e3);
    }
    runs.sort_by(f64::total_cmp);
    Ok(runs[1])
}

/// Bytes of the database file alone (its WAL checkpointed), per cached call.
fn bytes_per_call(store: &Store, path: &Path) -> BenchResult<f64> {
    store.read(|c| {
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(StoreError::from)
    })?;
    let calls: i64 = store.read(|c| {
        Ok::<_, StoreError>(c.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))?)
    })?;
    Ok(std::fs::metadata(path)?.len() as f64 / calls.max(1) as f64)
}

/// Bytes per call of each part of the database (dbstat, pages in use): the calls table, each
/// of its indexes, the search index and its key table, and the free pages.
fn bytes_by_part(store: &Store, calls: u64) -> BenchResult<Value> {
    let parts: Vec<(String, i64)> = store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT CASE WHEN name LIKE 'calls_fts%' THEN 'search index (calls_fts)'
                         WHEN name LIKE '%call_search%' THEN 'search keys (call_search)'
                         ELSE name END AS part, SUM(pgsize)
             FROM dbstat GROUP BY part ORDER BY 2 DESC",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut parts: Vec<(String, i64)> = rows.collect::<Result<_, _>>()?;
        let free: i64 = c.query_row(
            "SELECT freelist_count * page_size FROM pragma_freelist_count, pragma_page_size",
            [],
            |r| r.get(0),
        )?;
        parts.push(("free pages".to_owned(), free));
        Ok::<_, StoreError>(parts)
    })?;
    Ok(Value::Object(
        parts
            .into_iter()
            .filter(|(_, bytes)| *bytes as f64 / calls.max(1) as f64 >= 1.0)
            .map(|(part, bytes)| (part, json!((bytes as f64 / calls.max(1) as f64).round())))
            .collect(),
    ))
}

fn parts_text(parts: &Value) -> String {
    parts
        .as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn db_bytes(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(p).ok()
        })
        .map(|m| m.len())
        .sum()
}

impl Bench {
    fn new_store(&self, name: &str) -> BenchResult<(PathBuf, Arc<Store>)> {
        let path = self.work.join(name);
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        let store = Arc::new(Store::open(&path)?);
        store.write(|tx| {
            for org in &self.orgs {
                clients::upsert(
                    tx,
                    &ClientOrgRow {
                        id: org.id.clone(),
                        name: org.name.clone(),
                        base_url: self.url.clone(),
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
        Ok((path, store))
    }

    fn client(&self, org: &Org) -> BenchResult<VapiClient> {
        Ok(VapiClient::new(&self.url, SecretKey::new(org.key.clone()))?)
    }

    fn targets(&self) -> BenchResult<Vec<SyncTarget>> {
        self.orgs
            .iter()
            .map(|o| {
                Ok(SyncTarget {
                    org_id: o.id.clone(),
                    org_name: o.name.clone(),
                    client: Ok(self.client(o)?),
                })
            })
            .collect()
    }

    async fn sync(&self, store: &Arc<Store>, options: &SyncOptions) -> BenchResult<SyncReport> {
        let report = sync_calls(
            Arc::clone(store),
            self.targets()?,
            options,
            no_progress(),
            CancellationToken::new(),
        )
        .await;
        if !report.all_done() {
            return Err(format!("sync failed: {report:?}").into());
        }
        Ok(report)
    }

    async fn main(&self) -> BenchResult<Value> {
        let options = SyncOptions::default();
        let (path, store) = self.new_store("sync.sqlite")?;
        let (start, cpu) = (Instant::now(), usage());
        let report = self.sync(&store, &options).await?;
        let full_s = secs(start);
        let full_cpu = usage_since(cpu);
        let calls: u64 = report.orgs.iter().map(|o| o.cached_calls).sum();
        let pages: u64 = report.orgs.iter().map(|o| o.pages).sum();
        println!(
            "full sync: {calls} calls, {pages} pages, {} orgs in {full_s:.2} s ({:.0} calls/s), \
             database {:.0} MB",
            self.orgs.len(),
            calls as f64 / full_s,
            db_bytes(&path) as f64 / 1e6
        );
        println!("  {full_cpu}");

        let start = Instant::now();
        self.sync(&store, &options).await?;
        let resync_s = secs(start);
        println!("re-sync, nothing new: {:.0} ms", resync_s * 1e3);

        let view = self.view_figures(&store)?;
        let per_call = bytes_per_call(&store, &path)?;
        println!(
            "cache on disk: {per_call:.0} bytes per call ({:.0} MB for {calls} calls), search \
             index included",
            std::fs::metadata(&path)?.len() as f64 / 1e6
        );
        let parts = bytes_by_part(&store, calls)?;
        println!("  per call: {}", parts_text(&parts));

        let (start, cpu) = (Instant::now(), usage());
        let fetched = self.fetch_only(options.max_in_flight).await?;
        let fetch_s = secs(start);
        println!(
            "raw limit, fetch every page and store nothing: {fetched} calls in {fetch_s:.2} s\n  {}",
            usage_since(cpu)
        );

        let (insert_s, insert_cpu) = bulk_insert(&store, &self.new_store("bulk.sqlite")?.1)?;
        println!(
            "raw limit, insert the same rows in one transaction: {insert_s:.2} s\n  {insert_cpu}"
        );

        Ok(json!({
            "calls": calls, "pages": pages, "orgs": self.orgs.len(),
            "full_s": full_s, "resync_s": resync_s, "db_bytes": db_bytes(&path),
            "fetch_only_s": fetch_s, "bulk_insert_s": insert_s, "view": view,
            "bytes_per_call": per_call, "bytes_by_part": parts,
        }))
    }

    /// The calls view and stats on the synced cache.
    fn view_figures(&self, store: &Store) -> BenchResult<Value> {
        let org = &self.orgs[0].id;
        let time_ms = median_ms;
        let first = CallsQuery {
            org_id: org.clone(),
            limit: Some(100),
            ..CallsQuery::default()
        };
        let first_ms = time_ms(&|| {
            store.read(|c| calls::list_calls(c, &first))?;
            Ok(())
        })?;
        // A page deep in the list (after 30,000 rows, or 3/4 of a smaller org): the cursor is
        // taken from the database directly.
        let in_org = store.read(|c| calls::count_calls(c, &first))?;
        let offset = (in_org * 3 / 4).min(30_000);
        let offset_sql = i64::try_from(offset)?;
        let cursor: (String, String) = store.read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT created_ms, id FROM calls WHERE org_id = ?1
                 ORDER BY created_ms DESC, id DESC LIMIT 1 OFFSET ?2",
                (org, offset_sql),
                |r| Ok((time::format_ms(r.get(0)?), r.get(1)?)),
            )?)
        })?;
        let deep = CallsQuery {
            after: Some(calls::CallsCursor {
                created_at: cursor.0.clone(),
                id: cursor.1,
            }),
            ..first.clone()
        };
        let deep_ms = time_ms(&|| {
            store.read(|c| calls::list_calls(c, &deep))?;
            Ok(())
        })?;
        let assistant: Option<String> = store.read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT assistant_id FROM calls WHERE org_id = ?1 AND assistant_id IS NOT NULL
                 LIMIT 1",
                [org],
                |r| r.get(0),
            )?)
        })?;
        let to = time::parse(&cursor.0).ok_or("bad time")?;
        let filtered = CallsQuery {
            assistant_id: assistant,
            from: Some(to - chrono::Duration::days(30)),
            to: Some(to),
            ..first.clone()
        };
        let filtered_ms = time_ms(&|| {
            store.read(|c| calls::list_calls(c, &filtered))?;
            Ok(())
        })?;
        let count_ms = time_ms(&|| {
            store.read(|c| calls::count_calls(c, &first))?;
            Ok(())
        })?;
        let stats_ms = time_ms(&|| {
            store.read(|c| calls::stats(c, None))?;
            Ok(())
        })?;
        println!(
            "calls view ({in_org} calls in the org; median of 3 runs each): first page {first_ms:.1} ms, page after \
             {offset} rows {deep_ms:.1} ms, assistant + 30 days {filtered_ms:.1} ms, count \
             {count_ms:.1} ms; stats of all orgs {stats_ms:.1} ms"
        );
        Ok(
            json!({"first_page_ms": first_ms, "deep_page_ms": deep_ms, "deep_offset": offset,
                  "filtered_page_ms": filtered_ms, "count_ms": count_ms, "stats_ms": stats_ms}),
        )
    }

    /// Every page of every org, as concurrently as the sync asks, parsed only as far as
    /// paging needs (the calls' JSON split, the last createdAt read), nothing stored.
    async fn fetch_only(&self, in_flight: usize) -> BenchResult<u64> {
        let permits = Arc::new(tokio::sync::Semaphore::new(in_flight));
        let mut tasks = Vec::new();
        for org in &self.orgs {
            let client = self.client(org)?;
            let permits = Arc::clone(&permits);
            tasks.push(tokio::spawn(async move {
                let mut cursor = None;
                let mut calls = 0u64;
                loop {
                    let filter = CallFilter {
                        limit: Some(1000),
                        created_at_lt: cursor,
                        ..CallFilter::default()
                    };
                    let page = {
                        let _permit = permits.acquire().await.map_err(|e| e.to_string())?;
                        client
                            .list_calls_raw(&filter)
                            .await
                            .map_err(|e| e.to_string())?
                    };
                    calls += page.len() as u64;
                    let Some(last) = page.last() else { break };
                    #[derive(serde::Deserialize)]
                    struct Created {
                        #[serde(rename = "createdAt")]
                        created_at: String,
                    }
                    let last: Created =
                        serde_json::from_str(last.get()).map_err(|e| e.to_string())?;
                    cursor = time::parse(&last.created_at);
                    if page.len() < 1000 {
                        break;
                    }
                }
                Ok::<u64, String>(calls)
            }));
        }
        let mut total = 0;
        for task in tasks {
            total += task.await??;
        }
        Ok(total)
    }

    /// The calls of `main`'s sync copied five times (new ids, a year earlier each time) into a
    /// new store: a million real-looking calls, compressed as the sync stores them, in a data
    /// folder whose agency is live (what the app opens at start). Then the calls view on it.
    fn million(&self) -> BenchResult<Value> {
        const COPIES: i64 = 5;
        let source = self.work.join("sync.sqlite");
        let dir = self.work.join("million");
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(Store::FILE_NAME);
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        let store = Store::open(&path)?;
        let start = Instant::now();
        store.read(|c| {
            c.execute("ATTACH DATABASE ?1 AS src", [source.to_string_lossy()])
                .map_err(StoreError::from)
        })?;
        store.bulk_writes(|| {
            store.write(|tx| {
                agency_profile::set(tx, "Bench agency", AgencyMode::Live, &time::now())?;
                tx.execute_batch(
                    "INSERT INTO client_orgs SELECT * FROM src.client_orgs;
                     INSERT INTO call_dicts SELECT * FROM src.call_dicts;",
                )?;
                let shifted = |col: &str, k: i64| format!("{col} - {}", 365 * 86_400_000 * k);
                for k in 0..COPIES {
                    tx.execute_batch(&format!(
                        "INSERT INTO calls (id, org_id, assistant_id, type,
                             status, ended_reason, created_ms, updated_ms, started_ms, ended_ms,
                             duration_seconds, cost_micros, transport_micros, stt_micros,
                             llm_micros, tts_micros, vapi_micros, chat_micros, minutes, raw,
                             success)
                         SELECT id || '-{k}', org_id, assistant_id, type, status,
                             ended_reason, {}, {}, {}, {}, duration_seconds, cost_micros,
                             transport_micros, stt_micros, llm_micros, tts_micros, vapi_micros,
                             chat_micros, minutes, raw, success
                         FROM src.calls ORDER BY org_id, created_ms",
                        shifted("created_ms", k),
                        shifted("updated_ms", k),
                        shifted("started_ms", k),
                        shifted("ended_ms", k),
                    ))?;
                }
                Ok::<_, StoreError>(())
            })
        })?;
        store.read(|c| {
            c.execute_batch("DETACH DATABASE src")
                .map_err(StoreError::from)
        })?;
        let fill_s = secs(start);
        let calls: i64 = store.read(|c| {
            Ok::<_, StoreError>(c.query_row("SELECT COUNT(*) FROM calls", [], |r| r.get(0))?)
        })?;
        let per_call = bytes_per_call(&store, &path)?;
        println!(
            "{calls} calls copied in {fill_s:.1} s: {per_call:.0} bytes per call, {:.0} MB",
            std::fs::metadata(&path)?.len() as f64 / 1e6
        );
        let view = self.view_figures(&store)?;
        let org = &self.orgs[0].id;
        let one: String = store.read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT id FROM calls WHERE org_id = ?1 ORDER BY created_ms DESC LIMIT 1",
                [org],
                |r| r.get(0),
            )?)
        })?;
        let json = store.read(|c| calls::call_json(c, org, &one))?;
        let call_json_ms = median_ms(&|| {
            store.read(|c| calls::call_json(c, org, &one))?;
            Ok(())
        })?;
        println!(
            "one call's JSON (dictionary read and decompressed; median of 3): {call_json_ms:.2} ms, {} fields",
            json.as_ref()
                .and_then(Value::as_object)
                .map_or(0, |o| o.len())
        );
        let search = self.search_figures(&store, &path, json.as_ref())?;
        Ok(
            json!({"calls": calls, "fill_s": fill_s, "bytes_per_call": per_call,
                  "view": view, "call_json_ms": call_json_ms, "search": search,
                  "data_dir": dir.to_string_lossy()}),
        )
    }

    /// The full-text index built over the copied calls (as the first open after the upgrade
    /// builds it for an existing cache), its size, and searches of several kinds on it.
    fn search_figures(
        &self,
        store: &Store,
        path: &Path,
        call: Option<&Value>,
    ) -> BenchResult<Value> {
        store.write(|tx| {
            tx.execute(
                "INSERT INTO call_search_backfill (next_rowid)
                 SELECT rowid FROM calls ORDER BY rowid LIMIT 1",
                [],
            )?;
            Ok::<_, StoreError>(())
        })?;
        let (start, cpu) = (Instant::now(), usage());
        let indexed = backfill_search_index(store)?;
        let build_s = secs(start);
        println!(
            "search index built over {indexed} cached calls in {build_s:.1} s\n  {}",
            usage_since(cpu)
        );
        let index_bytes: i64 = store.read(|c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok::<_, StoreError>(c.query_row(
                "SELECT SUM(pgsize) FROM dbstat
                 WHERE name LIKE 'calls_fts%' OR name LIKE 'call_search%'
                    OR name LIKE 'sqlite_autoindex_call_search%'",
                [],
                |r| r.get(0),
            )?)
        })?;
        let per_call_after = bytes_per_call(store, path)?;
        println!(
            "search index: {:.0} MB, {:.0} bytes per call; cache {per_call_after:.0} bytes per call with it",
            index_bytes as f64 / 1e6,
            index_bytes as f64 / indexed.max(1) as f64
        );
        let (figures, median) = search::timed(store, call, &self.orgs[0].id, 3)?;
        println!("search over {indexed} calls: median {median:.1} ms (first page of 50, snippets included)");
        Ok(
            json!({"calls": indexed, "build_s": build_s, "index_bytes": index_bytes,
                  "bytes_per_call_with_index": per_call_after, "median_ms": median,
                  "queries": figures}),
        )
    }

    /// The full sync and both raw limits measured in turn (sync, fetch, insert, sync, ...), so
    /// load from other work on the machine falls on all three alike; medians of each.
    async fn interleaved(&self) -> BenchResult<Value> {
        let rounds: usize = std::env::var("BENCH_ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(5);
        let options = SyncOptions::default();
        let cpu_s = |from: (f64, f64, f64)| {
            let now = usage();
            (now.0 - from.0) + (now.1 - from.1)
        };
        let (mut sync, mut fetch, mut insert) = (Vec::new(), Vec::new(), Vec::new());
        let mut calls = 0;
        for round in 0..rounds {
            let (_, store) = self.new_store("sync.sqlite")?;
            let (start, cpu) = (Instant::now(), usage());
            let report = self.sync(&store, &options).await?;
            sync.push((secs(start), cpu_s(cpu)));
            calls = report.orgs.iter().map(|o| o.cached_calls).sum::<u64>();
            let (start, cpu) = (Instant::now(), usage());
            self.fetch_only(options.max_in_flight).await?;
            fetch.push((secs(start), cpu_s(cpu)));
            let cpu = usage();
            let (insert_s, _) = bulk_insert(&store, &self.new_store("bulk.sqlite")?.1)?;
            insert.push((insert_s, cpu_s(cpu)));
            println!(
                "round {}: full sync {:.2} s (cpu {:.2} s), fetch only {:.2} s (cpu {:.2} s), \
                 bulk insert {:.2} s (cpu {:.2} s)",
                round + 1,
                sync[round].0,
                sync[round].1,
                fetch[round].0,
                fetch[round].1,
                insert[round].0,
                insert[round].1
            );
        }
        let median = |runs: &[(f64, f64)], cpu: bool| {
            let mut v: Vec<f64> = runs.iter().map(|r| if cpu { r.1 } else { r.0 }).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (s, f, i) = (
            median(&sync, false),
            median(&fetch, false),
            median(&insert, false),
        );
        let ratios: Vec<f64> = (0..rounds)
            .map(|r| sync[r].0 / fetch[r].0.max(insert[r].0))
            .collect();
        let mut sorted = ratios.clone();
        sorted.sort_by(f64::total_cmp);
        println!(
            "{calls} calls, medians of {rounds}: full sync {s:.2} s (cpu {:.2} s), fetch only \
             {f:.2} s (cpu {:.2} s), bulk insert {i:.2} s (cpu {:.2} s); full sync / slower \
             limit: {:.2}x of the medians, per round {:.2}-{:.2}x (median {:.2}x)",
            median(&sync, true),
            median(&fetch, true),
            median(&insert, true),
            s / f.max(i),
            sorted[0],
            sorted[rounds - 1],
            sorted[rounds / 2]
        );
        Ok(
            json!({"calls": calls, "rounds": rounds, "sync": sync, "fetch_only": fetch,
                  "bulk_insert": insert, "ratios": ratios}),
        )
    }

    /// One full sync with the default options (for profiling).
    async fn full(&self) -> BenchResult<Value> {
        let (path, store) = self.new_store("full.sqlite")?;
        let start = Instant::now();
        let report = self.sync(&store, &SyncOptions::default()).await?;
        let full_s = secs(start);
        let calls: u64 = report.orgs.iter().map(|o| o.cached_calls).sum();
        println!("full sync: {calls} calls in {full_s:.2} s");
        Ok(json!({"calls": calls, "full_s": full_s, "db_bytes": db_bytes(&path)}))
    }

    async fn encodings(&self) -> BenchResult<Value> {
        let mut out = Vec::new();
        for (label, encoding) in [
            ("plain", RawEncoding::Plain),
            ("zstd-5", RawEncoding::Zstd(-5)),
            ("zstd-1", RawEncoding::Zstd(-1)),
            ("zstd1", RawEncoding::Zstd(1)),
            ("zstd3", RawEncoding::Zstd(3)),
        ] {
            let (path, store) = self.new_store(&format!("enc-{label}.sqlite"))?;
            let options = SyncOptions {
                raw_encoding: encoding,
                ..SyncOptions::default()
            };
            let start = Instant::now();
            self.sync(&store, &options).await?;
            let took = secs(start);
            let raw_bytes: i64 = store.read(|c| {
                Ok::<_, StoreError>(
                    c.query_row("SELECT SUM(length(raw)) FROM calls", [], |r| r.get(0))?,
                )
            })?;
            let bytes = db_bytes(&path);
            println!(
                "raw as {label:6}: full sync {took:.2} s, raw JSON {:.0} MB, database {:.0} MB",
                raw_bytes as f64 / 1e6,
                bytes as f64 / 1e6
            );
            out.push(
                json!({"encoding": label, "full_s": took, "raw_bytes": raw_bytes,
                            "db_bytes": bytes}),
            );
            drop(store);
            let _ = std::fs::remove_file(&path);
        }
        Ok(Value::Array(out))
    }

    async fn resync(&self) -> BenchResult<Value> {
        let options = SyncOptions::default();
        let (_, store) = self.new_store("resync.sqlite")?;
        let start = Instant::now();
        let report = self.sync(&store, &options).await?;
        let full_s = secs(start);
        let calls: u64 = report.orgs.iter().map(|o| o.cached_calls).sum();
        let mut runs = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            self.sync(&store, &options).await?;
            runs.push(secs(start));
        }
        runs.sort_by(f64::total_cmp);
        let median = runs[runs.len() / 2];
        println!(
            "{} orgs ({calls} calls, first sync {full_s:.2} s): re-sync with nothing new, median \
             of 5: {:.0} ms (fastest {:.0} ms, slowest {:.0} ms)",
            self.orgs.len(),
            median * 1e3,
            runs[0] * 1e3,
            runs[runs.len() - 1] * 1e3
        );
        Ok(
            json!({"orgs": self.orgs.len(), "calls": calls, "full_s": full_s,
                  "resync_median_s": median, "resync_runs_s": runs}),
        )
    }
}

/// Rows per multi-row INSERT in the bulk insert, as the sync writes them (see
/// ROWS_PER_STATEMENT in sync/writer.rs): each statement journals the pages it changes once.
const BULK_ROWS_PER_STATEMENT: usize = 32;

const CALL_COLUMNS: &str = "rowid, id, org_id, assistant_id, type, status,
    ended_reason, created_ms, updated_ms, started_ms, ended_ms, duration_seconds, cost_micros,
    transport_micros, stt_micros, llm_micros, tts_micros, vapi_micros, chat_micros, minutes, raw";

/// Copies every row the sync wrote (the calls, their search keys, and the text the index holds
/// of each: transcript without speaker labels, summary, facets) into memory, then times
/// writing them into a fresh database of the same schema (triggers included) in one
/// transaction, and the checkpoint after it: SQLite's own limit for the sync's writes. Each
/// table is written in its key order with multi-row statements, and the index's documents in
/// ascending rowid order (FTS5's fast path: one segment per `hashsize` of terms).
/// Seconds, and the CPU time it took.
fn bulk_insert(from: &Store, to: &Store) -> BenchResult<(f64, String)> {
    let calls: Vec<Vec<SqlValue>> = from.read(|c| {
        let mut stmt = c.prepare(&format!("SELECT {CALL_COLUMNS} FROM calls ORDER BY rowid"))?;
        let rows = stmt.query_map([], |r| (0..21).map(|i| r.get::<_, SqlValue>(i)).collect())?;
        Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
    })?;
    let keys: Vec<Vec<SqlValue>> = from.read(|c| {
        let mut stmt = c.prepare("SELECT call_rowid, key FROM call_search ORDER BY call_rowid")?;
        let rows = stmt.query_map([], |r| Ok(vec![r.get(0)?, r.get(1)?]))?;
        Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
    })?;
    let docs = index_documents(from)?;
    let (start, cpu) = (Instant::now(), usage());
    // With the settings the sync writes with (page cache, checkpoints), so the comparison is
    // with the same database doing its best.
    to.bulk_writes(|| {
        to.write(|tx| {
            insert_all(tx, "calls", CALL_COLUMNS, 21, &calls)?;
            insert_all(tx, "call_search", "call_rowid, key", 2, &keys)?;
            insert_all(
                tx,
                "calls_fts",
                "rowid, transcript, summary, facets",
                4,
                &docs,
            )?;
            Ok::<_, StoreError>(())
        })
    })?;
    Ok((secs(start), usage_since(cpu)))
}

/// `rows` into `table`, [`BULK_ROWS_PER_STATEMENT`] rows a statement.
fn insert_all(
    tx: &rusqlite::Transaction<'_>,
    table: &str,
    columns: &str,
    width: usize,
    rows: &[Vec<SqlValue>],
) -> Result<(), StoreError> {
    let insert = |n: usize| {
        let group = format!("({})", vec!["?"; width].join(", "));
        format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            vec![group; n].join(", ")
        )
    };
    let mut chunks = rows.chunks_exact(BULK_ROWS_PER_STATEMENT);
    let mut stmt = tx.prepare_cached(&insert(BULK_ROWS_PER_STATEMENT))?;
    for chunk in &mut chunks {
        stmt.execute(rusqlite::params_from_iter(chunk.iter().flatten()))?;
    }
    let mut stmt = tx.prepare_cached(&insert(1))?;
    for row in chunks.remainder() {
        stmt.execute(rusqlite::params_from_iter(row))?;
    }
    Ok(())
}

/// An indexed call as stored: key, org, assistant, endedReason, JSON.
type IndexedRow = (i64, String, Option<String>, Option<String>, Vec<u8>);

/// The index's document of every indexed call of `store` (key, transcript as indexed, summary,
/// facets), in key order, read back from the calls' stored JSON.
fn index_documents(store: &Store) -> BenchResult<Vec<Vec<SqlValue>>> {
    let rows: Vec<IndexedRow> = store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT s.key, c.org_id, c.assistant_id, c.ended_reason, c.raw
             FROM call_search s JOIN calls c ON c.rowid = s.call_rowid ORDER BY s.key",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
    })?;
    let mut decoder = Decoder::new();
    let mut docs = Vec::with_capacity(rows.len());
    for (key, org_id, assistant_id, ended_reason, raw) in rows {
        let json = store.read(|c| Ok::<_, StoreError>(decoder.decode_json(c, &raw)))??;
        let (transcript, summary) = searched_text(&json);
        let doc = SearchDoc {
            transcript,
            summary,
            org_id: &org_id,
            assistant_id: assistant_id.as_deref(),
            ended_reason: ended_reason.as_deref(),
        };
        let text = |t: Option<String>| t.map_or(SqlValue::Null, SqlValue::Text);
        docs.push(vec![
            SqlValue::Integer(key),
            text(transcript.map(spoken)),
            text(summary.map(str::to_owned)),
            SqlValue::Text(doc.facets()),
        ]);
    }
    Ok(docs)
}
