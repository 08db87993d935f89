//! Calls cached before compression dictionaries existed (plain JSON, or a zstd frame of each
//! call alone) read back unchanged after the database is migrated, beside rows written with a
//! dictionary. Real SQLite files.

use agencydesk_core::calls;
use agencydesk_core::store::migrate::{self, MIGRATIONS};
use agencydesk_core::store::{call_dicts, time, Store};
use agencydesk_core::sync::raw::{self, Encoder, TrainedDict};
use rusqlite::Connection;
use serde_json::{json, Value};

const ORG: &str = "org-1";

fn call(i: usize) -> Value {
    json!({
        "id": format!("call-{i}"), "orgId": ORG, "type": "inboundPhoneCall", "status": "ended",
        "createdAt": format!("2026-10-01T10:00:{:02}.000Z", i % 60),
        "updatedAt": "2026-10-02T00:00:00.000Z",
        "cost": 0.1234, "costs": [{"type": "vapi", "minutes": 1.5, "cost": 0.075}],
        "transcript": format!("AI: Acme Dental, how can I help?\nUser: a cleaning on the {}th", i % 28),
        "messages": [{"role": "bot", "message": "Acme Dental, how can I help?", "time": 1}]
    })
}

/// Stores `c` as the previous versions did: its times as text.
fn insert_old_call(conn: &Connection, c: &Value, raw: &[u8]) {
    conn.execute(
        "INSERT INTO calls (id, org_id, created_at, updated_at, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
        (
            c["id"].as_str().unwrap(),
            ORG,
            c["createdAt"].as_str().unwrap(),
            c["updatedAt"].as_str().unwrap(),
            raw,
        ),
    )
    .unwrap();
}

/// Stores `c` as this version does: its times in milliseconds.
fn insert_call(conn: &Connection, c: &Value, raw: &[u8]) {
    let ms = |field: &str| time::to_ms(time::parse(c[field].as_str().unwrap()).unwrap());
    conn.execute(
        "INSERT INTO calls (id, org_id, created_ms, updated_ms, raw) VALUES (?1, ?2, ?3, ?4, ?5)",
        (
            c["id"].as_str().unwrap(),
            ORG,
            ms("createdAt"),
            ms("updatedAt"),
            raw,
        ),
    )
    .unwrap();
}

#[test]
fn rows_of_the_old_format_read_back_after_the_migration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(Store::FILE_NAME);
    let before = MIGRATIONS
        .iter()
        .position(|m| m.name == "call_dicts")
        .unwrap();
    let (plain, framed) = (call(1), call(2));
    {
        // The database as the previous version left it, rows written the way it wrote them.
        let mut conn = Connection::open(&path).unwrap();
        migrate::run(&mut conn, &MIGRATIONS[..before]).unwrap();
        conn.execute(
            "INSERT INTO client_orgs (id, name, base_url, kind, status, updated_at)
             VALUES (?1, 'Acme', 'https://api.vapi.ai', 'client', 'linked', '2026-10-01T00:00:00.000Z')",
            [ORG],
        )
        .unwrap();
        insert_old_call(&conn, &plain, plain.to_string().as_bytes());
        let frame = zstd::bulk::compress(framed.to_string().as_bytes(), 1).unwrap();
        insert_old_call(&conn, &framed, &frame);
    }

    let store = Store::open(&path).unwrap();
    let applied: i64 = store
        .read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM schema_migrations WHERE name = 'call_dicts'",
                [],
                |r| r.get(0),
            )
            .map_err(agencydesk_core::store::StoreError::from)
        })
        .unwrap();
    assert_eq!(applied, 1);
    for old in [&plain, &framed] {
        let id = old["id"].as_str().unwrap();
        let read = store.read(|c| calls::call_json(c, ORG, id)).unwrap();
        assert_eq!(read.as_ref(), Some(old), "{id}");
    }

    // A dictionary row beside them: new rows need it, old rows still read without it.
    let samples: Vec<String> = (0..200).map(|i| call(i).to_string()).collect();
    let refs: Vec<&str> = samples.iter().map(String::as_str).collect();
    let dict = TrainedDict::train(&refs).unwrap();
    let fresh = call(3);
    let prepared = dict.encoder(1);
    let blob = Encoder::with_dictionary(&prepared)
        .unwrap()
        .encode(&fresh.to_string())
        .unwrap();
    store
        .write(|tx| {
            call_dicts::insert(
                tx,
                &call_dicts::CallDict {
                    id: dict.id,
                    org_id: ORG.into(),
                    samples: 200,
                    dict: dict.bytes.clone(),
                },
            )?;
            insert_call(tx, &fresh, &blob);
            Ok::<_, agencydesk_core::store::StoreError>(())
        })
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    for c in [&plain, &framed, &fresh] {
        let id = c["id"].as_str().unwrap();
        let read = store.read(|conn| calls::call_json(conn, ORG, id)).unwrap();
        assert_eq!(read.as_ref(), Some(c), "{id}");
    }
    assert!(matches!(
        raw::decode(&blob),
        Err(raw::RawError::MissingDictionary(_))
    ));
    // The same dictionary stored again is a no-op; another one under its id is refused.
    store
        .write(|tx| {
            let mut same = call_dicts::latest(tx, ORG)?.unwrap();
            call_dicts::insert(tx, &same)?;
            same.dict.push(0);
            assert!(call_dicts::insert(tx, &same).is_err());
            Ok::<_, agencydesk_core::store::StoreError>(())
        })
        .unwrap();
}
