//! The `call_indexes` migration (issue 8, cache size): a cache written with the old indexes
//! opens with the new one and every reader of the calls answers as before.

use agencydesk_core::billing::audit::{audit_calls, AuditOptions, BillingAudit};
use agencydesk_core::billing::period::Period;
use agencydesk_core::calls::{self, CallsPage, CallsQuery, OrgCallStats};
use agencydesk_core::store::migrate::{self, MIGRATIONS};
use agencydesk_core::store::Store;
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

#[test]
fn a_cache_with_the_old_call_indexes_opens_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Store::FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "call_indexes")
        .unwrap();
    let old = {
        let mut conn = Connection::open(&path).unwrap();
        migrate::run(&mut conn, &MIGRATIONS[..before]).unwrap();
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
                "INSERT INTO calls (id, org_id, assistant_id, type, status, ended_reason,
                     created_at, updated_at, started_at, ended_at, duration_seconds,
                     cost_micros, minutes, raw)
                 VALUES (?1, ?2, ?3, 'webCall', ?4, 'customer-ended-call', ?5, ?6, ?7, ?8, ?9,
                     ?10, ?11, X'7B7D')",
                rusqlite::params![
                    format!("call-{:03}", (i * 7919) % 1000),
                    org,
                    assistant,
                    status,
                    created,
                    updated,
                    started,
                    ended,
                    60.0,
                    cost,
                    minutes,
                ],
            )
            .unwrap();
        }
        assert!(indexes(&conn).contains(&"calls_billing".to_owned()));
        answers(&conn)
    };
    assert_eq!(old.pages.iter().map(|p| p.rows.len()).sum::<usize>(), 320);
    assert!(old.counts.iter().all(|&n| n > 0));
    assert!(old.audit.duration_mismatch.count > 0 && old.audit.unsettled.count > 0);

    let store = Store::open(&path).unwrap();
    let new = store
        .read(|c| {
            assert_eq!(
                indexes(c),
                ["calls_view", "sqlite_autoindex_calls_1"],
                "one index beside the id's"
            );
            Ok::<_, agencydesk_core::store::StoreError>(answers(c))
        })
        .unwrap();
    assert_eq!(new, old);
}
