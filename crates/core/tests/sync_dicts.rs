//! Compression dictionaries in a real sync (simulator on 127.0.0.1, SQLite file): each org gets
//! one, trained on its first calls; every stored call reads back as exactly the JSON the
//! simulator serves; later syncs reuse it; and it makes the stored JSON much smaller.

mod sync_support;

use std::collections::BTreeMap;

use agencydesk_core::store::{Store, StoreError};
use agencydesk_core::sync::raw;
use agencydesk_core::sync::{CancellationToken, RawEncoding, SyncOptions};
use serde_json::Value;

/// (dictionary id, org) of every stored dictionary.
fn dicts(store: &Store) -> Vec<(u32, String)> {
    store
        .read(|c| {
            let mut stmt = c.prepare("SELECT id, org_id FROM call_dicts ORDER BY org_id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
        })
        .unwrap()
}

/// id -> (stored JSON, size of `raw`) of the org's cached calls.
fn stored(store: &Store, org_id: &str) -> BTreeMap<String, (Value, usize)> {
    store
        .read(|c| {
            let mut stmt = c.prepare("SELECT id, raw FROM calls WHERE org_id = ?1")?;
            let rows = stmt
                .query_map([org_id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut decoder = raw::Decoder::new();
            Ok::<_, StoreError>(
                rows.into_iter()
                    .map(|(id, blob)| {
                        let json = decoder.decode_json(c, &blob).unwrap();
                        (id, (json, blob.len()))
                    })
                    .collect(),
            )
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_org_trains_one_dictionary_and_every_call_reads_back_exactly() {
    let w = sync_support::world(2, 60, 25).await;
    let options = sync_support::options(1000);
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();

    let first = dicts(&w.store);
    let mut orgs = w.org_ids();
    orgs.sort();
    assert_eq!(
        first.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>(),
        orgs,
        "one dictionary per org"
    );

    let mut with_dict = 0;
    for org in &orgs {
        let want: BTreeMap<String, Value> = w
            .handle
            .calls(org)
            .into_iter()
            .map(|c| (c["id"].as_str().unwrap().to_owned(), c))
            .collect();
        let got = stored(&w.store, org);
        assert_eq!(got.len(), want.len(), "{org}");
        for (id, json) in &want {
            assert_eq!(&got[id].0, json, "call {id} reads back changed");
        }
        let blobs: Vec<Vec<u8>> = w
            .store
            .read(|c| {
                let mut stmt = c.prepare("SELECT raw FROM calls WHERE org_id = ?1")?;
                let rows = stmt.query_map([org], |r| r.get(0))?;
                Ok::<_, StoreError>(rows.collect::<Result<_, _>>()?)
            })
            .unwrap();
        with_dict += blobs
            .iter()
            .filter(|b| matches!(raw::decode(b), Err(raw::RawError::MissingDictionary(_))))
            .count();
    }
    let total: usize = orgs.iter().map(|o| w.sim_calls(o).len()).sum();
    assert_eq!(
        with_dict, total,
        "every page after training uses the dictionary"
    );

    // A later sync (calls settled and added meanwhile) reuses each org's dictionary.
    for org in &orgs {
        w.handle.add_calls(org, 30, None);
    }
    w.handle.settle_pending_costs();
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();
    assert_eq!(dicts(&w.store), first);

    // The same calls compressed alone take at least twice the room.
    let (_dir, alone) = sync_support::new_store(&w.manifest, &w.sim.url());
    let options_alone = SyncOptions {
        raw_encoding: RawEncoding::Zstd(1),
        ..options.clone()
    };
    let (report, _) = w
        .sync_store(&alone, &options_alone, CancellationToken::new(), |_, _| {})
        .await;
    assert!(report.all_done(), "{report:#?}");
    assert!(dicts(&alone).is_empty());
    let bytes = |store: &Store| -> usize {
        orgs.iter()
            .flat_map(|o| stored(store, o).into_values().map(|(_, n)| n))
            .sum()
    };
    let (dict_bytes, alone_bytes) = (bytes(&w.store), bytes(&alone));
    assert!(
        dict_bytes * 2 < alone_bytes,
        "with dictionaries {dict_bytes} B, without {alone_bytes} B"
    );
}
