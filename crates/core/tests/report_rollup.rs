//! The client report's rollup (`report_hours`, `report_endings`) stays equal to a recount of
//! `calls` through a sync, a re-sync that changes counted columns of cached calls, and deletes.

mod sync_support;

use agencydesk_core::store::{Store, StoreError};

type Rows = Vec<(String, Vec<i64>)>;

const MS: &str = "COALESCE(MAX(0, CAST(ROUND(duration_seconds * 1000.0) AS INTEGER)),
    MAX(0, ended_ms - started_ms), 0)";

/// The stored time text of `calls.created_ms` (the recount reads it independently of the
/// triggers' day and hour expressions).
const CREATED: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', created_ms / 1000.0, 'unixepoch')";

fn read(store: &Store, sql: &str, sums: usize) -> Rows {
    store
        .read(|c| {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                let sums = (1..=sums)
                    .map(|i| r.get(i))
                    .collect::<Result<Vec<i64>, _>>()?;
                Ok((r.get::<_, String>(0)?, sums))
            })?;
            Ok::<_, StoreError>(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .unwrap()
}

/// Both rollups, and the same sums recounted from `calls`.
fn assert_exact(store: &Store) {
    let hours = read(
        store,
        "SELECT org_id || '|' || hour, calls, duration_ms, evaluated, passed FROM report_hours
         ORDER BY 1",
        4,
    );
    let recount = read(
        store,
        &format!(
            "SELECT org_id || '|' || substr({CREATED}, 1, 13), COUNT(*), SUM({MS}),
                    SUM(success IS NOT NULL), SUM(COALESCE(success, 0))
             FROM calls GROUP BY 1 ORDER BY 1"
        ),
        4,
    );
    assert!(!hours.is_empty());
    assert_eq!(hours, recount);
    let endings = read(
        store,
        "SELECT org_id || '|' || day || '|' || assistant_id || '|' || ended_reason, calls,
                duration_ms FROM report_endings ORDER BY 1",
        2,
    );
    let recount = read(
        store,
        &format!(
            "SELECT org_id || '|' || substr({CREATED}, 1, 10) || '|' || COALESCE(assistant_id, '')
                    || '|' || COALESCE(ended_reason, ''), COUNT(*), SUM({MS})
             FROM calls GROUP BY 1 ORDER BY 1"
        ),
        2,
    );
    assert_eq!(endings, recount);
}

fn exec(store: &Store, sql: &str, params: impl rusqlite::Params) -> usize {
    store
        .write(|tx| tx.execute(sql, params).map_err(StoreError::from))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_rollup_equals_a_recount_through_syncs_and_deletes() {
    let w = sync_support::world(2, 30, 20).await;
    let options = sync_support::options(1000);
    let org = w.org_ids()[0].clone();
    let fresh = w.handle.add_calls(&org, 30, None);
    assert!(w.sync(&options).await.0.all_done());
    assert_exact(&w.store);
    let before = read(
        &w.store,
        "SELECT org_id || hour, calls, duration_ms, evaluated, passed FROM report_hours ORDER BY 1",
        4,
    );

    // The fresh calls' cached rows differ from the simulator's in every counted column; the
    // re-sync after their costs settle rewrites them (the upsert's update path).
    for (i, id) in fresh.iter().enumerate() {
        let changed = exec(
            &w.store,
            "UPDATE calls SET ended_reason = ?2, assistant_id = ?3, duration_seconds = ?4,
                 success = ?5,
                 created_ms = CAST(round((julianday(?6) - 2440587.5) * 86400000.0) AS INTEGER)
             WHERE id = ?1",
            rusqlite::params![
                id,
                if i % 2 == 0 {
                    Some("pipeline-error-x")
                } else {
                    None
                },
                if i % 3 == 0 {
                    None
                } else {
                    Some("other-assistant")
                },
                if i % 4 == 0 { None } else { Some(1234.5) },
                [Some(true), Some(false), None][i % 3],
                format!("2026-01-0{}T0{}:00:00.000Z", 1 + i % 5, i % 10),
            ],
        );
        assert_eq!(changed, 1);
    }
    assert_exact(&w.store);
    assert!(w.handle.settle_pending_costs() >= fresh.len());
    assert!(w.sync(&options).await.0.all_done());
    w.assert_all_equal();
    assert_exact(&w.store);
    let after = read(
        &w.store,
        "SELECT org_id || hour, calls, duration_ms, evaluated, passed FROM report_hours ORDER BY 1",
        4,
    );
    assert_eq!(
        after, before,
        "the re-sync brought the simulator's figures back"
    );

    // A call deleted, then every call of a day: emptied buckets leave the rollup.
    assert_eq!(
        exec(&w.store, "DELETE FROM calls WHERE id = ?1", [&fresh[0]]),
        1
    );
    assert_exact(&w.store);
    let day: String = w
        .store
        .read(|c| {
            c.query_row(
                "SELECT date(MIN(created_ms) / 1000, 'unixepoch') FROM calls",
                [],
                |r| r.get(0),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    assert!(
        exec(
            &w.store,
            "DELETE FROM calls WHERE date(created_ms / 1000, 'unixepoch') = ?1",
            [&day]
        ) > 0
    );
    assert_exact(&w.store);
    let left: i64 = w
        .store
        .read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM report_endings WHERE day = ?1",
                [&day],
                |r| r.get(0),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn the_migration_rolls_up_a_cache_from_before_it() {
    use agencydesk_core::store::migrate::{self, MIGRATIONS};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Store::FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "report_rollup")
        .unwrap();
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrate::run(&mut conn, &MIGRATIONS[..before]).unwrap();
        conn.execute(
            "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
             VALUES ('org-1', 'Acme', 'https://api.vapi.ai', 'client', 'linked', '2026-10-01T00:00:00.000Z')",
            [],
        )
        .unwrap();
        for i in 0..300 {
            conn.execute(
                "INSERT INTO calls (id, org_id, assistant_id, ended_reason, created_at, updated_at,
                     started_at, ended_at, duration_seconds, success, raw)
                 VALUES (?1, 'org-1', ?2, ?3, ?4, ?4, ?4, ?5, ?6, ?7, X'00')",
                rusqlite::params![
                    format!("call-{i}"),
                    [Some("a"), Some("b"), None][i % 3],
                    [Some("customer-ended-call"), Some("pipeline-error"), None][i % 4 % 3],
                    format!("2026-10-{:02}T{:02}:00:00.000Z", 1 + i % 28, i % 24),
                    format!("2026-10-{:02}T{:02}:01:30.000Z", 1 + i % 28, i % 24),
                    if i % 5 == 0 { None } else { Some(i as f64) },
                    [Some(true), Some(false), None][i % 3],
                ],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_exact(&store);
}
