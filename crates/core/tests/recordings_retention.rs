//! Vapi forgets calls after `callRetentionDays`; agencydesk does not. The same `--seed` and
//! `--anchor`, restarted on the same port with a retention: the next sync loses nothing, the
//! retention is remembered, old calls read "kept only on this computer", re-reading a day Vapi
//! forgot deletes nothing, the calls about to age out are listed until archived, and the
//! detail and search still work with the simulator gone.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::calls::CallSearch;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::recordings::{no_archive_progress, AT_RISK_DAYS};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions};
use agencydesk_core::vapi::ClientOptions;
use chrono::{DateTime, TimeDelta, Utc};
use vapi_sim::{Sim, SimConfig};

fn config(anchor: DateTime<Utc>, retention_days: Option<u32>) -> SimConfig {
    SimConfig {
        seed: 41,
        orgs: 1,
        days: 12,
        calls_per_day: 6,
        anchor: Some(anchor),
        retention_days,
        ..SimConfig::default()
    }
}

async fn sync(agency: &Agency) {
    let report = agency
        .sync_calls(
            None,
            SyncOptions::default(),
            no_progress(),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert!(report.all_done(), "{report:?}");
}

fn cached_ids(agency: &Agency) -> Vec<String> {
    agency
        .store()
        .read(|c| {
            let mut s = c.prepare("SELECT id FROM calls ORDER BY id")?;
            let v = s
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok::<_, agencydesk_core::store::StoreError>(v)
        })
        .unwrap()
}

/// A word of the call's transcript that search should find it by.
fn word_of(transcript: &str) -> String {
    transcript
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| w.len() >= 7)
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_past_retention_stay_readable_and_searchable_offline() {
    let anchor = Utc::now() - TimeDelta::hours(1);
    let sim = Sim::start(config(anchor, None), "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let addr: SocketAddr = sim.url().trim_start_matches("http://").parse().unwrap();
    let org = sim.manifest().orgs[0].clone();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new()))
        .unwrap()
        .with_client_options(ClientOptions {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            max_retries: 1,
            ..ClientOptions::default()
        });
    agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    sync(&agency).await;
    let before = cached_ids(&agency);
    let old = sim
        .handle()
        .calls(&org.id)
        .into_iter()
        .rev()
        .find(|c| c["transcript"].as_str().is_some_and(|t| t.len() > 40))
        .expect("an old call with a transcript");
    let old_id = old["id"].as_str().unwrap().to_owned();
    let word = word_of(old["transcript"].as_str().unwrap());
    let after_first = agency
        .after_sync(no_archive_progress(), CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(after_first.retention_read, 1);
    assert!(after_first.archive.is_none(), "archiving is off by default");
    assert!(
        !agency
            .call_detail(&old_id, false)
            .await
            .unwrap()
            .kept_only_here
    );
    assert!(
        agency
            .recordings_at_risk(AT_RISK_DAYS)
            .await
            .unwrap()
            .is_empty(),
        "no retention known"
    );
    sim.shutdown().await;

    // The same world on the same port, now keeping 3 days.
    let sim = Sim::start(config(anchor, Some(3)), addr).await.unwrap();
    assert!(sim.handle().calls(&org.id).len() < before.len());
    assert!(sim
        .handle()
        .calls(&org.id)
        .iter()
        .all(|c| c["id"] != old_id.as_str()));
    sync(&agency).await;
    let after = agency
        .after_sync(no_archive_progress(), CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(after.retention_read, 1);
    assert_eq!(
        cached_ids(&agency),
        before,
        "a call Vapi no longer lists was lost"
    );

    let detail = agency.call_detail(&old_id, false).await.unwrap();
    assert!(detail.kept_only_here);
    assert_eq!(detail.retention_days, Some(3));
    let young = sim.handle().calls(&org.id)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !agency
            .call_detail(&young, false)
            .await
            .unwrap()
            .kept_only_here
    );

    // Re-reading a day Vapi forgot deletes nothing.
    let old_created = DateTime::parse_from_rfc3339(old["createdAt"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let old_day = old_created.date_naive();
    assert_eq!(agency.resync_days(&org.id, &[old_day]).await.unwrap(), 0);
    assert_eq!(cached_ids(&agency), before);

    // Every call still at Vapi ages out within 7 days when Vapi keeps 3: all are at risk until
    // archived.
    let at_risk = agency.recordings_at_risk(AT_RISK_DAYS).await.unwrap();
    assert!(!at_risk.is_empty());
    assert!(at_risk.iter().all(|c| c.call_id != old_id));
    let cutoff = Utc::now() - TimeDelta::days(3);
    for c in &at_risk {
        let created = DateTime::parse_from_rfc3339(&c.created_at).unwrap();
        assert!(created >= cutoff, "{c:?}");
        let ages_out = DateTime::parse_from_rfc3339(&c.ages_out_at).unwrap();
        assert_eq!(ages_out - created, TimeDelta::days(3));
    }
    // The setting archives them after the next sync.
    agency.set_archive_after_sync(true).unwrap();
    assert!(agency.settings().unwrap().archive_after_sync);
    let archived = agency
        .after_sync(no_archive_progress(), CancellationToken::new())
        .await
        .unwrap();
    let report = archived.archive.expect("the setting is on");
    assert_eq!(report.progress.failed, 0, "{:?}", report.failures);
    assert!(report.progress.archived > 0);
    assert!(agency
        .recordings_at_risk(AT_RISK_DAYS)
        .await
        .unwrap()
        .is_empty());
    // The old call is gone from Vapi: Vapi says it has no recording.
    sim.shutdown().await;

    // Offline: the detail and search still work.
    let detail = agency.call_detail(&old_id, false).await.unwrap();
    assert!(detail.transcript.is_some());
    let hits = agency
        .search_calls(CallSearch {
            text: word.clone(),
            from: Some(old_created - TimeDelta::minutes(1)),
            to: Some(old_created + TimeDelta::minutes(1)),
            limit: Some(200),
            ..CallSearch::default()
        })
        .await
        .unwrap();
    assert!(
        hits.hits.iter().any(|h| h.id == old_id),
        "{word} did not find {old_id}"
    );
}
