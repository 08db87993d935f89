//! The SQLite store on real files in temporary folders.

use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};
use agencydesk_core::store::migrate::{self, Migration, MIGRATIONS};
use agencydesk_core::store::tokens::{self, TokenRow};
use agencydesk_core::store::{assistants, time, Store, StoreError};
use rusqlite::Connection;

fn db_path(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join(Store::FILE_NAME)
}

fn recorded_versions(path: &std::path::Path) -> Vec<i64> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn org(id: &str) -> ClientOrgRow {
    ClientOrgRow {
        id: id.into(),
        name: format!("Org {id}"),
        base_url: "https://api.vapi.ai".into(),
        key_fingerprint: Some("…deadbeef".into()),
        kind: OrgKind::Client,
        status: OrgStatus::Linked,
        linked_at: Some(time::now()),
        updated_at: time::now(),
    }
}

fn token(id: &str, org_id: &str, tag: &str, value: &str) -> TokenRow {
    TokenRow {
        id: id.into(),
        org_id: org_id.into(),
        tag: tag.into(),
        name: Some(format!("{tag} key")),
        restrictions: None,
        enabled: true,
        created_at: time::now(),
        updated_at: time::now(),
        value: Some(value.into()),
    }
}

#[test]
fn migrations_apply_once_and_reopen_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    {
        let store = Store::open(&path).unwrap();
        store.write(|tx| clients::upsert(tx, &org("o1"))).unwrap();
    }
    let expected: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(recorded_versions(&path), expected);

    // Reopening applies nothing and keeps the data.
    let store = Store::open(&path).unwrap();
    assert_eq!(recorded_versions(&path), expected);
    let rows = store.read(clients::list).unwrap();
    assert_eq!(rows.len(), 1);
    let mut conn = Connection::open(&path).unwrap();
    assert_eq!(migrate::run(&mut conn, MIGRATIONS).unwrap(), 0);
}

#[test]
fn every_connection_uses_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).unwrap();
    let (mode, fk, sync, busy): (String, i64, i64, i64) = store
        .read(|c| {
            Ok::<_, StoreError>((
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?,
                c.query_row("PRAGMA synchronous", [], |r| r.get(0))?,
                c.query_row("PRAGMA busy_timeout", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(mode.to_lowercase(), "wal");
    assert_eq!(fk, 1);
    assert_eq!(sync, 1, "synchronous=NORMAL is 1");
    assert_eq!(busy, 5000);
    assert!(dir.path().join("agencydesk.sqlite-wal").exists());
}

#[test]
fn refuses_a_database_from_a_newer_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    drop(Store::open(&path).unwrap());
    let future = migrate::latest_version() + 1;
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, 'future', ?2)",
            (future, time::now()),
        )
        .unwrap();

    let err = Store::open(&path).unwrap_err();
    match &err {
        StoreError::TooNew { found, known } => {
            assert_eq!(*found, future);
            assert_eq!(*known, migrate::latest_version());
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("newer version of agencydesk"), "{message}");
    assert!(message.contains("AGENCYDESK_DATA_DIR"), "{message}");
}

#[test]
fn a_failed_migration_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = db_path(&dir);
    let good = Migration {
        version: 1,
        name: "good",
        sql: "CREATE TABLE kept (id INTEGER PRIMARY KEY);",
    };
    // Creates a table, inserts a row, then fails on a missing table.
    let broken = Migration {
        version: 2,
        name: "broken",
        sql: "CREATE TABLE half (id INTEGER PRIMARY KEY);
              INSERT INTO kept (id) VALUES (1);
              INSERT INTO no_such_table VALUES (1);",
    };
    let mut conn = Connection::open(&path).unwrap();
    let err = migrate::run(&mut conn, &[good, broken]).unwrap_err();
    assert!(
        matches!(err, StoreError::Migration { version: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("left as it was"));

    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(tables, vec!["kept", "schema_migrations"]);
    let kept_rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM kept", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept_rows, 0);
    drop(conn);
    assert_eq!(recorded_versions(&path), vec![1]);
}

#[test]
fn private_token_values_are_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).unwrap();
    store
        .write(|tx| {
            clients::upsert(tx, &org("o1"))?;
            tokens::replace_for_org(
                tx,
                "o1",
                &[
                    token("pub", "o1", "public", "public-value"),
                    token("priv", "o1", "private", "PRIVATE-VALUE"),
                ],
            )
        })
        .unwrap();
    let rows = store.read(|c| tokens::list_for_org(c, "o1")).unwrap();
    let by_id = |id: &str| rows.iter().find(|t| t.id == id).unwrap().clone();
    assert_eq!(by_id("pub").value.as_deref(), Some("public-value"));
    assert_eq!(by_id("priv").value, None);
    assert_eq!(store.read(|c| tokens::count_public(c, "o1")).unwrap(), 1);

    // The schema itself refuses a private value, whatever code writes it.
    let err = store
        .read(|c| {
            c.execute(
                "UPDATE tokens SET value = 'PRIVATE-VALUE' WHERE id = 'priv'",
                [],
            )
            .map_err(StoreError::from)
        })
        .unwrap_err();
    assert!(err.to_string().contains("CHECK"), "{err}");

    let file = std::fs::read(db_path(&dir)).unwrap();
    let wal = std::fs::read(dir.path().join("agencydesk.sqlite-wal")).unwrap_or_default();
    for bytes in [&file, &wal] {
        assert!(!bytes
            .windows(b"PRIVATE-VALUE".len())
            .any(|w| w == b"PRIVATE-VALUE"));
    }
}

#[test]
fn replacing_children_deletes_what_vapi_no_longer_lists_and_unlink_cascades() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&db_path(&dir)).unwrap();
    let assistant = |id: &str, org_id: &str| assistants::AssistantRow {
        id: id.into(),
        org_id: org_id.into(),
        name: Some(id.to_uppercase()),
        created_at: time::now(),
        updated_at: time::now(),
        raw: "{}".into(),
    };
    store
        .write(|tx| {
            clients::upsert(tx, &org("o1"))?;
            clients::upsert(tx, &org("o2"))?;
            assistants::replace_for_org(tx, "o1", &[assistant("a1", "o1"), assistant("a2", "o1")])?;
            assistants::replace_for_org(tx, "o2", &[assistant("b1", "o2")])?;
            tokens::replace_for_org(tx, "o1", &[token("t1", "o1", "public", "v")])
        })
        .unwrap();
    store
        .write(|tx| assistants::replace_for_org(tx, "o1", &[assistant("a2", "o1")]))
        .unwrap();
    let ids = |org_id: &str| -> Vec<String> {
        store
            .read(|c| assistants::list_for_org(c, org_id))
            .unwrap()
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    assert_eq!(ids("o1"), vec!["a2"]);
    assert_eq!(ids("o2"), vec!["b1"], "other orgs are untouched");

    assert!(store.write(|tx| clients::delete(tx, "o1")).unwrap());
    assert!(ids("o1").is_empty());
    assert!(store
        .read(|c| tokens::list_for_org(c, "o1"))
        .unwrap()
        .is_empty());
    assert_eq!(ids("o2"), vec!["b1"]);
}

#[test]
fn only_one_agency_org() {
    let store = Store::open_in_memory().unwrap();
    let agency = |id: &str| ClientOrgRow {
        kind: OrgKind::Agency,
        ..org(id)
    };
    store
        .write(|tx| clients::upsert(tx, &agency("a1")))
        .unwrap();
    let err = store
        .write(|tx| clients::upsert(tx, &agency("a2")))
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
}

#[test]
fn a_failed_write_rolls_back_the_whole_transaction() {
    let store = Store::open_in_memory().unwrap();
    let result = store.write(|tx| {
        clients::upsert(tx, &org("o1"))?;
        // Violates the foreign key: no org "missing".
        tokens::upsert(tx, &token("t", "missing", "public", "v"))
    });
    assert!(result.is_err());
    assert!(store.read(clients::list).unwrap().is_empty());
}
