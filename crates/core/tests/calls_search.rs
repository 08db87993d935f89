//! Full-text search over a cache synced from the simulator: every query's results are checked
//! against the transcripts and summaries the simulator served (all matches, none extra, newest
//! first), with each filter, across pages, after costs settle and calls are re-stored, after
//! calls are deleted, and for a cache that existed before the index (built on open).

mod sync_support;

use std::collections::{BTreeSet, HashMap};

use agencydesk_core::calls::{self, CallSearch, SearchHit};
use agencydesk_core::error::Code;
use agencydesk_core::store::call_search::spoken;
use agencydesk_core::store::migrate::{self, MIGRATIONS};
use agencydesk_core::store::{time, Store, StoreError};
use agencydesk_core::sync::backfill_search_index;
use agencydesk_core::vapi::money::usd_to_micros;
use chrono::Duration;
use rusqlite::Connection;
use serde_json::{json, Value};

/// Lower-case words of `text`, as the index cuts them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `phrase` (words; the last a prefix when `prefix`) occurs in `text`.
fn has(text: &[String], phrase: &[String], prefix: bool) -> bool {
    let n = phrase.len();
    text.windows(n).any(|w| {
        w.iter().zip(phrase).enumerate().all(|(i, (t, p))| {
            if prefix && i == n - 1 {
                t.starts_with(p.as_str())
            } else {
                t == p
            }
        })
    })
}

/// A call as the test judges it: its searchable words and the fields the filters read.
struct Served {
    id: String,
    org_id: String,
    created_at: String,
    assistant_id: Option<String>,
    ended_reason: Option<String>,
    cost_micros: Option<i64>,
    transcript: Vec<String>,
    summary: Vec<String>,
}

fn served(w: &sync_support::World) -> Vec<Served> {
    let text = |c: &Value, nested: &str, top: &str| {
        c.pointer(nested)
            .and_then(Value::as_str)
            .or_else(|| c[top].as_str())
            .unwrap_or("")
            .to_owned()
    };
    w.org_ids()
        .iter()
        .flat_map(|org| w.handle.calls(org))
        .map(|c| Served {
            id: c["id"].as_str().unwrap().to_owned(),
            org_id: c["orgId"].as_str().unwrap().to_owned(),
            created_at: time::format(time::parse(c["createdAt"].as_str().unwrap()).unwrap()),
            assistant_id: c["assistantId"].as_str().map(str::to_owned),
            ended_reason: c["endedReason"].as_str().map(str::to_owned),
            cost_micros: c["cost"].as_f64().and_then(usd_to_micros),
            transcript: words(&spoken(&text(&c, "/artifact/transcript", "transcript"))),
            summary: words(&text(&c, "/analysis/summary", "summary")),
        })
        .collect()
}

/// Every page of a search, in order.
fn all_pages(store: &Store, search: &CallSearch) -> Vec<SearchHit> {
    let mut search = CallSearch {
        limit: Some(37),
        ..search.clone()
    };
    let mut hits = Vec::new();
    loop {
        let page = store
            .read(|c| calls::search_calls(c, &search))
            .unwrap_or_else(|e| panic!("{search:?}: {e}"));
        assert!(page.hits.len() <= 37);
        hits.extend(page.hits);
        match page.next {
            Some(next) => search.after = Some(next),
            None => break,
        }
    }
    hits
}

/// The search's results equal the calls the simulator served that match it, newest first, each
/// with a snippet marking a word of the query.
fn check(
    store: &Store,
    calls: &[Served],
    search: &CallSearch,
    matching: impl Fn(&Served) -> bool,
) -> usize {
    let terms: Vec<(Vec<String>, bool)> = parse_like_a_person(&search.text);
    let expected: BTreeSet<&str> = calls
        .iter()
        .filter(|c| {
            terms
                .iter()
                .all(|(p, prefix)| has(&c.transcript, p, *prefix) || has(&c.summary, p, *prefix))
        })
        .filter(|c| matching(c))
        .map(|c| c.id.as_str())
        .collect();
    let hits = all_pages(store, search);
    let got: BTreeSet<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(got.len(), hits.len(), "{search:?}: a call listed twice");
    assert_eq!(got, expected, "{search:?}");
    assert!(
        hits.windows(2).all(|p| p[0].created_at >= p[1].created_at),
        "{search:?}: not newest first"
    );
    let by_id: HashMap<&str, &Served> = calls.iter().map(|c| (c.id.as_str(), c)).collect();
    for h in &hits {
        assert_eq!(h.created_at, by_id[h.id.as_str()].created_at);
        let marked: Vec<String> = h
            .parts
            .iter()
            .filter(|p| p.hit)
            .flat_map(|p| words(&p.text))
            .collect();
        assert!(
            terms.iter().any(
                |(p, prefix)| marked.iter().any(|m| if *prefix && p.len() == 1 {
                    m.starts_with(p[0].as_str())
                } else {
                    p.contains(m)
                })
            ),
            "{search:?}: snippet {:?} marks none of the words",
            h.snippet
        );
        assert!(h.snippet.contains("**"));
    }
    hits.len()
}

/// The query's terms as a person means them: `"a phrase"`, `prefix*`, words.
fn parse_like_a_person(text: &str) -> Vec<(Vec<String>, bool)> {
    let mut terms = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            terms.push((words(part), false));
        } else {
            for w in part.split_whitespace() {
                let prefix = w.ends_with('*');
                terms.push((words(w), prefix));
            }
        }
    }
    terms.retain(|(w, _)| !w.is_empty());
    terms
}

fn search(text: &str) -> CallSearch {
    CallSearch {
        text: text.to_owned(),
        ..CallSearch::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_match_what_the_simulator_served() {
    let w = sync_support::world(2, 30, 25).await;
    let org = w.manifest.orgs[0].id.clone();
    w.handle.add_squad_call(&org).unwrap();
    w.handle.add_failed_call(&org).unwrap();
    w.handle.add_calls(&w.manifest.orgs[1].id, 3, None);
    assert!(w.sync(&sync_support::options(1000)).await.0.all_done());
    let calls = served(&w);

    // Queries taken from what was served: a phrase, a word, a prefix, two words, a word of a
    // summary, and nothing.
    let sample = calls
        .iter()
        .find(|c| c.transcript.len() > 20 && c.assistant_id.is_some())
        .unwrap();
    let phrase = format!("\"{} {}\"", sample.transcript[8], sample.transcript[9]);
    let word = sample.transcript[12].clone();
    let prefix = format!(
        "{}*",
        &sample.transcript[14][..sample.transcript[14].len().min(3)]
    );
    let summary_word = calls
        .iter()
        .flat_map(|c| c.summary.iter())
        .find(|w| w.len() > 6)
        .unwrap()
        .clone();
    let queries = [
        phrase.clone(),
        word.clone(),
        prefix.clone(),
        format!("{word} {prefix}"),
        summary_word,
        "zzqxv".to_owned(),
    ];
    let mut total = 0;
    for q in &queries {
        total += check(&w.store, &calls, &search(q), |_| true);
    }
    assert!(total > 0, "the queries found nothing at all");

    // Each filter, checked against the served calls' own fields.
    let anchor = time::parse(&sample.created_at).unwrap();
    let (from, to) = (anchor - Duration::days(10), anchor + Duration::days(1));
    let assistant = sample.assistant_id.clone();
    let reason = sample.ended_reason.clone();
    let filtered = [
        (
            CallSearch {
                org_id: Some(org.clone()),
                ..search(&word)
            },
            Box::new(|c: &Served| c.org_id == org) as Box<dyn Fn(&Served) -> bool>,
        ),
        (
            CallSearch {
                assistant_id: assistant.clone(),
                ..search(&prefix)
            },
            Box::new(|c: &Served| c.assistant_id == assistant),
        ),
        (
            CallSearch {
                from: Some(from),
                to: Some(to),
                ..search(&word)
            },
            Box::new(|c: &Served| {
                let t = time::parse(&c.created_at).unwrap();
                t >= from && t < to
            }),
        ),
        (
            CallSearch {
                ended_reason: reason.clone(),
                org_id: Some(sample.org_id.clone()),
                ..search(&phrase)
            },
            Box::new(|c: &Served| c.ended_reason == reason && c.org_id == sample.org_id),
        ),
        (
            CallSearch {
                min_cost: Some("0.05".into()),
                max_cost: Some("$0.30".into()),
                ..search(&word)
            },
            Box::new(|c: &Served| {
                c.cost_micros
                    .is_some_and(|m| (50_000..=300_000).contains(&m))
            }),
        ),
    ];
    for (s, matching) in &filtered {
        check(&w.store, &calls, s, matching);
    }

    // Costs settle: the calls are stored again, and indexed again in place.
    w.handle.settle_pending_costs();
    assert!(w.sync(&sync_support::options(1000)).await.0.all_done());
    let calls = served(&w);
    check(&w.store, &calls, &search(&word), |_| true);
    let (indexed, cached): (i64, i64) = w
        .store
        .read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT (SELECT COUNT(*) FROM call_search), (SELECT COUNT(*) FROM calls)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(indexed, cached);

    // Deleted calls leave the index.
    w.store
        .write(|tx| {
            tx.execute("DELETE FROM calls WHERE org_id = ?1", [&org])?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let left: Vec<Served> = calls.into_iter().filter(|c| c.org_id != org).collect();
    check(&w.store, &left, &search(&word), |_| true);

    // Input that is no search, and input that looks like FTS5 syntax.
    let err = w
        .store
        .read(|c| calls::search_calls(c, &search(r#" "" * -- "#)))
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    for hostile in [
        r#"NEAR(" a"#,
        "transcript:x",
        "a OR",
        "^x -y",
        "\"unterminated",
    ] {
        w.store
            .read(|c| calls::search_calls(c, &search(hostile)))
            .unwrap_or_else(|e| panic!("{hostile}: {e}"));
    }
    let err = w
        .store
        .read(|c| {
            calls::search_calls(
                c,
                &CallSearch {
                    min_cost: Some("cheap".into()),
                    ..search(&word)
                },
            )
        })
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
}

#[test]
fn a_cache_from_before_the_index_is_indexed_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Store::FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "call_search")
        .unwrap();
    let call = |i: usize, words: &str| {
        json!({"id": format!("call-{i}"), "orgId": "org-1", "status": "ended",
            "createdAt": format!("2026-10-01T10:00:{:02}.000Z", i % 60),
            "updatedAt": "2026-10-02T00:00:00.000Z",
            "artifact": {"transcript": format!("AI: Acme Dental.\nUser: {words}")},
            "analysis": {"summary": "A caller asked something."}})
    };
    {
        let mut conn = Connection::open(&path).unwrap();
        migrate::run(&mut conn, &MIGRATIONS[..before]).unwrap();
        conn.execute(
            "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
             VALUES ('org-1', 'Acme', 'https://api.vapi.ai', 'client', 'linked', '2026-10-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
        for i in 0..2_500 {
            let c = call(
                i,
                if i % 500 == 7 {
                    "a root canal please"
                } else {
                    "a cleaning please"
                },
            );
            let raw = zstd::bulk::compress(c.to_string().as_bytes(), 1).unwrap();
            conn.execute(
                "INSERT INTO calls (id, org_id, created_at, updated_at, raw) VALUES (?1, 'org-1', ?2, ?3, ?4)",
                (c["id"].as_str().unwrap(), c["createdAt"].as_str().unwrap(), c["updatedAt"].as_str().unwrap(), raw),
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    let marker = |store: &Store| {
        store
            .read(|c| {
                Ok::<_, StoreError>(c.query_row(
                    "SELECT COUNT(*) FROM call_search_backfill",
                    [],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .unwrap()
    };
    assert_eq!(marker(&store), 1, "the migration leaves work for the open");
    assert_eq!(backfill_search_index(&store).unwrap(), 2_500);
    assert_eq!(marker(&store), 0);
    assert_eq!(backfill_search_index(&store).unwrap(), 0, "nothing twice");
    let hits = store
        .read(|c| calls::search_calls(c, &search("\"root canal\"")))
        .unwrap()
        .hits;
    let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["call-1007", "call-1507", "call-2007", "call-507", "call-7"]
    );
    assert_eq!(
        hits[0].snippet,
        "AI: Acme Dental. User: a **root** **canal** please"
    );
}

#[test]
fn a_cache_indexed_under_millisecond_keys_is_indexed_again_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Store::FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "search_keys")
        .unwrap();
    let created = |i: usize| format!("2026-10-01T10:{:02}:{:02}.{:03}Z", i / 60, i % 60, i % 7);
    {
        let mut conn = Connection::open(&path).unwrap();
        migrate::run(&mut conn, &MIGRATIONS[..before]).unwrap();
        conn.execute(
            "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
             VALUES ('org-1', 'Acme', 'https://api.vapi.ai', 'client', 'linked', '2026-10-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
        conn.execute("DELETE FROM call_search_backfill", [])
            .unwrap();
        for i in 0..300 {
            let words = if i % 50 == 3 {
                "a root canal please"
            } else {
                "a cleaning please"
            };
            let c = json!({"id": format!("call-{i}"), "orgId": "org-1", "status": "ended",
                "createdAt": created(i), "updatedAt": "2026-10-02T00:00:00.000Z",
                "artifact": {"transcript": format!("User: {words}")}});
            let raw = zstd::bulk::compress(c.to_string().as_bytes(), 1).unwrap();
            conn.execute(
                "INSERT INTO calls (id, org_id, created_at, updated_at, raw) VALUES (?1, 'org-1', ?2, ?3, ?4)",
                (c["id"].as_str().unwrap(), created(i), c["updatedAt"].as_str().unwrap(), raw),
            )
            .unwrap();
            // Indexed as the sync did before: createdAt in milliseconds times 1024.
            let key = time::parse(&created(i)).unwrap().timestamp_millis() * 1024;
            let rowid = conn.last_insert_rowid();
            conn.execute(
                "INSERT INTO calls_fts (rowid, transcript, summary, facets) VALUES (?1, ?2, NULL, 'oorg1')",
                (key, words),
            )
            .unwrap();
            conn.execute(
                "INSERT INTO call_search (call_rowid, key) VALUES (?1, ?2)",
                (rowid, key),
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        backfill_search_index(&store).unwrap(),
        300,
        "every call again"
    );
    let hits = all_pages(&store, &search("\"root canal\""));
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["call-253", "call-203", "call-153", "call-103", "call-53", "call-3"]
    );
    // Dates bound the keys to the second and are checked to the millisecond.
    let dated = CallSearch {
        from: time::parse(&created(153)),
        to: time::parse(&created(253)),
        ..search("root")
    };
    let ids: Vec<String> = all_pages(&store, &dated)
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(ids, ["call-203", "call-153"]);
    let keys: Vec<(String, i64)> = store
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT c.created_ms, s.key FROM call_search s JOIN calls c ON c.rowid = s.call_rowid",
            )?;
            let rows = stmt.query_map([], |r| Ok((time::format_ms(r.get(0)?), r.get(1)?)))?;
            Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
        })
        .unwrap();
    assert_eq!(keys.len(), 300);
    for (created, key) in keys {
        let t = time::parse(&created).unwrap();
        let ms = i64::from(t.timestamp_subsec_millis());
        assert_eq!(
            key,
            t.timestamp() * 1024 + ms,
            "{created}: its second's key, its millisecond's slot"
        );
    }
}
