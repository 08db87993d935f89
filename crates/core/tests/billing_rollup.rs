//! The `calls_daily` rollup stays equal to a fresh aggregation of `calls` through inserts, the
//! sync's upserts (settling costs, moved calls), deletes and a client's removal.

mod billing_fixture;

use agencydesk_core::store::{clients, Store, StoreError};
use billing_fixture::*;
use proptest::prelude::*;

type Rows = Vec<(String, Vec<i64>)>;

/// The rollup's rows, and the same sums computed from `calls` directly.
fn both(store: &Store) -> (Rows, Rows) {
    let sums = "calls, duration_ms, billed_ms_6, billed_ms_30, billed_ms_60, cost_micros, \
                transport_micros, stt_micros, llm_micros, tts_micros, vapi_micros, chat_micros";
    let rollup = format!(
        "SELECT org_id || '|' || day || '|' || assistant_id || '|' || type, {sums}
         FROM calls_daily ORDER BY 1"
    );
    let fresh =
        "SELECT org_id || '|' || date(created_ms / 1000, 'unixepoch') || '|' || COALESCE(assistant_id, '')
                     || '|' || COALESCE(type, ''),
                 COUNT(*), SUM(ms), SUM((ms + 5999) / 6000 * 6000),
                 SUM((ms + 29999) / 30000 * 30000), SUM((ms + 59999) / 60000 * 60000),
                 SUM(COALESCE(cost_micros, 0)), SUM(COALESCE(transport_micros, 0)),
                 SUM(COALESCE(stt_micros, 0)), SUM(COALESCE(llm_micros, 0)),
                 SUM(COALESCE(tts_micros, 0)), SUM(COALESCE(vapi_micros, 0)),
                 SUM(COALESCE(chat_micros, 0))
          FROM (SELECT *, COALESCE(MAX(0, CAST(ROUND(duration_seconds * 1000.0) AS INTEGER)),
                    MAX(0, ended_ms - started_ms), 0) AS ms FROM calls)
          GROUP BY 1 ORDER BY 1";
    let read = |sql: &str| {
        store
            .read(|c| {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map([], |r| {
                    let sums = (1..=12)
                        .map(|i| r.get(i))
                        .collect::<Result<Vec<i64>, _>>()?;
                    Ok((r.get::<_, String>(0)?, sums))
                })?;
                Ok::<_, StoreError>(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .unwrap()
    };
    (read(&rollup), read(fresh))
}

fn exec(store: &Store, sql: &str, params: impl rusqlite::Params) {
    store
        .write(|tx| {
            tx.execute(sql, params)
                .map(|_| ())
                .map_err(StoreError::from)
        })
        .unwrap();
}

#[test]
fn the_fixture_is_rolled_up_exactly() {
    let fx = fixture();
    let (rollup, fresh) = both(&fx.store);
    assert!(!rollup.is_empty());
    assert_eq!(rollup, fresh);
}

#[test]
fn settling_moving_and_deleting_calls_keep_the_rollup_exact() {
    let fx = fixture();
    // A cost settles (the sync's upsert path).
    exec(
        &fx.store,
        "INSERT INTO calls (id, org_id, created_ms, updated_ms, raw) VALUES ('acme-nov-2', ?1, 0, 0, X'00')
         ON CONFLICT (id) DO UPDATE SET status = 'ended', cost_micros = 410000,
             ended_ms = 1794744180000 /* 2026-11-15T12:03:00.000Z */, duration_seconds = 299.0",
        [ACME],
    );
    // A call moves to another assistant and day; another loses its cost.
    exec(&fx.store, "UPDATE calls SET assistant_id = NULL, created_ms = 1790902800000 /* 2026-10-02T01:00:00.000Z */ WHERE id = 'acme-1'", []);
    exec(
        &fx.store,
        "UPDATE calls SET cost_micros = NULL WHERE id = 'bolt-1'",
        [],
    );
    exec(
        &fx.store,
        "DELETE FROM calls WHERE id IN ('cove-1', 'evil-3')",
        [],
    );
    let (rollup, fresh) = both(&fx.store);
    assert_eq!(rollup, fresh);
    // Removing a client cascades to its calls, and so out of the rollup.
    fx.store.read(|c| clients::delete(c, BOLT)).unwrap();
    let (rollup, fresh) = both(&fx.store);
    assert_eq!(rollup, fresh);
    let left: i64 = fx
        .store
        .read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM calls_daily WHERE org_id = ?1",
                [BOLT],
                |r| r.get(0),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    assert_eq!(left, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_edits_keep_the_rollup_exact(
        edits in proptest::collection::vec((0usize..6, 0i64..400_000, 0usize..4), 1..40)
    ) {
        let fx = fixture();
        let ids = ["acme-1", "acme-2", "bolt-2", "bolt-4", "cove-2", "new-call"];
        for (i, value, what) in edits {
            let id = ids[i];
            match what {
                0 => exec(&fx.store, "UPDATE calls SET cost_micros = ?2 WHERE id = ?1", (id, value)),
                1 => exec(&fx.store, "UPDATE calls SET duration_seconds = ?2 / 1000.0 WHERE id = ?1", (id, value)),
                2 => exec(&fx.store, "DELETE FROM calls WHERE id = ?1", [id]),
                _ => exec(
                    &fx.store,
                    "INSERT INTO calls (id, org_id, assistant_id, type, created_ms, updated_ms,
                         duration_seconds, cost_micros, raw)
                     VALUES (?1, ?2, 'ast-acme-2', 'webCall', 1792490400000 /* 2026-10-20T10:00:00.000Z */,
                         1792490400000 /* 2026-10-20T10:00:00.000Z */, ?3 / 1000.0, ?3, X'00')
                     ON CONFLICT (id) DO UPDATE SET cost_micros = excluded.cost_micros,
                         created_ms = 1792576800000 /* 2026-10-21T10:00:00.000Z */, type = NULL",
                    (id, ACME, value),
                ),
            }
        }
        let (rollup, fresh) = both(&fx.store);
        prop_assert_eq!(rollup, fresh);
    }
}
