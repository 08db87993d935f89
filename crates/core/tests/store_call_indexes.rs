//! The `call_indexes` and `call_times` migrations (issue 8, cache size): a cache written with
//! the old indexes and times as text opens with one covering index and times in
//! milliseconds, and every reader of the calls answers as for the same calls written anew.

use agencydesk_core::billing::audit::{audit_calls, AuditOptions, BillingAudit};
use agencydesk_core::billing::period::Period;
use agencydesk_core::calls::{self, CallsPage, CallsQuery, OrgCallStats};
use agencydesk_core::store::migrate::{self, MIGRATIONS};
use agencydesk_core::store::{time, Store};
use chrono::{TimeZone, Utc};
use rusqlite::Connection;

#[derive(Debug, PartialEq)]
struct Answers {
    pages: Vec<CallsPage>,
    assistant_pages: Vec<CallsPage>,
    counts: Vec<u64>,
    stats: Vec<OrgCallStats>,
    audit: BillingAudit,
}

fn query(assistant: Option<&str>) -> CallsQuery {
    CallsQuery {
        org_id: "org-1".into(),
        assistant_id: assistant.map(Into::into),
        limit: Some(70),
        ..CallsQuery::default()
    }
}

fn pages(conn: &Connection, mut q: CallsQuery) -> Vec<CallsPage> {
    let mut out = Vec::new();
    loop {
        let page = calls::list_calls(conn, &q).unwrap();
        q.after = page.next.clone();
        out.push(page);
        if q.after.is_none() {
            return out;
        }
    }
}

fn answers(conn: &Connection) -> Answers {
    let dated = CallsQuery {
        from: Some(Utc.with_ymd_and_hms(2026, 10, 3, 0, 0, 0).unwrap()),
        to: Some(Utc.with_ymd_and_hms(2026, 10, 9, 0, 0, 0).unwrap()),
        ..query(Some("asst-2"))
    };
    Answers {
        pages: pages(conn, query(None)),
        assistant_pages: pages(conn, query(Some("asst-1"))),
        counts: [query(None), query(Some("asst-2")), dated]
            .iter()
            .map(|q| calls::count_calls(conn, q).unwrap())
            .collect(),
        stats: calls::stats(conn, None).unwrap(),
        audit: audit_calls(
            conn,
            "org-1",
            &Period::month(2026, 10).unwrap(),
            &AuditOptions::at(Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()),
        )
        .unwrap(),
    }
}

fn indexes(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'
             ORDER BY name",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The same orgs, assistant and 400 calls, with times as the layout keeps them: ISO text
/// (`text_times`, before the `call_times` migration) or milliseconds.
fn fill(conn: &Connection, text_times: bool) {
    for org in ["org-1", "org-2"] {
        conn.execute(
            "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
             VALUES (?1, ?1, 'https://api.vapi.ai', 'client', 'linked', '2026-10-01T00:00:00.000Z')",
            [org],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO assistants (id, org_id, name, created_at, updated_at, raw)
         VALUES ('asst-1', 'org-1', 'Front desk', '2026-09-01T00:00:00.000Z',
                 '2026-09-01T00:00:00.000Z', '{}')",
        [],
    )
    .unwrap();
    let columns = if text_times {
        "created_at, updated_at, started_at, ended_at"
    } else {
        "created_ms, updated_ms, started_ms, ended_ms"
    };
    let at = |text: String| -> rusqlite::types::Value {
        if text_times {
            text.into()
        } else {
            time::to_ms(time::parse(&text).unwrap()).into()
        }
    };
    for i in 0..400_i64 {
        let org = if i % 5 == 4 { "org-2" } else { "org-1" };
        // Several calls share a createdAt, so pages break ties by id.
        let created = format!(
            "2026-10-{:02}T{:02}:{:02}:00.000Z",
            1 + i / 40,
            (i / 3) % 24,
            i % 7
        );
        let started = format!("2026-10-{:02}T{:02}:30:00.000Z", 1 + i / 40, (i / 3) % 24);
        let ended = format!("2026-10-{:02}T{:02}:31:00.000Z", 1 + i / 40, (i / 3) % 24);
        let updated = if i % 13 == 0 {
            "2026-10-31T23:55:00.000Z".to_owned()
        } else {
            ended.clone()
        };
        let (status, cost) = match i % 11 {
            0 => ("in-progress", None),
            1 => ("ended", None),
            _ => ("ended", Some(1_000 + i * 37)),
        };
        let assistant = ["asst-1", "asst-2"].get((i % 3) as usize).copied();
        // Every 9th call is billed for other minutes than it lasted.
        let minutes = if i % 9 == 0 { 4.0 } else { 1.0 };
        conn.execute(
            &format!(
                "INSERT INTO calls (id, org_id, assistant_id, type, status, ended_reason,
                     {columns}, duration_seconds, cost_micros, minutes, raw)
                 VALUES (?1, ?2, ?3, 'webCall', ?4, 'customer-ended-call', ?5, ?6, ?7, ?8, ?9,
                     ?10, ?11, X'7B7D')"
            ),
            rusqlite::params![
                format!("call-{:03}", (i * 7919) % 1000),
                org,
                assistant,
                status,
                at(created),
                at(updated),
                at(started),
                at(ended),
                60.0,
                cost,
                minutes,
            ],
        )
        .unwrap();
    }
}

#[test]
fn a_cache_with_the_old_indexes_and_text_times_opens_and_reads_as_a_new_one() {
    // The calls written by this version into a new database: what every reader should answer.
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = Store::open(&fresh_dir.path().join(Store::FILE_NAME)).unwrap();
    let want = fresh
        .write(|tx| {
            fill(tx, false);
            Ok::<_, agencydesk_core::store::StoreError>(answers(tx))
        })
        .unwrap();
    assert_eq!(want.pages.iter().map(|p| p.rows.len()).sum::<usize>(), 320);
    assert!(want.counts.iter().all(|&n| n > 0));
    assert!(want.audit.duration_mismatch.count > 0 && want.audit.unsettled.count > 0);

    // The same calls written before the `call_indexes` and `call_times` migrations.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Store::FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "call_indexes")
        .unwrap();
    {
        let mut conn = Connection::open(&path).unwrap();
        migrate::run(&mut conn, &MIGRATIONS[..before]).unwrap();
        fill(&conn, true);
        assert!(indexes(&conn).contains(&"calls_billing".to_owned()));
    }
    let store = Store::open(&path).unwrap();
    let got = store
        .read(|c| {
            assert_eq!(
                indexes(c),
                ["calls_view", "sqlite_autoindex_calls_1"],
                "one index beside the id's"
            );
            let rollups = |c: &Connection| -> Vec<(String, i64)> {
                let mut stmt = c
                    .prepare(
                        "SELECT 'd' || org_id || day || assistant_id || type, calls
                         FROM calls_daily
                         UNION ALL SELECT 'h' || org_id || hour, calls FROM report_hours
                         UNION ALL SELECT 'e' || org_id || day || assistant_id || ended_reason,
                             calls FROM report_endings
                         ORDER BY 1",
                    )
                    .unwrap();
                stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap()
            };
            // The rollups counted from text times equal those of the new layout's triggers.
            let fresh_rollups =
                fresh.read(|f| Ok::<_, agencydesk_core::store::StoreError>(rollups(f)))?;
            assert_eq!(rollups(c), fresh_rollups);
            Ok::<_, agencydesk_core::store::StoreError>(answers(c))
        })
        .unwrap();
    assert_eq!(got, want);
}
