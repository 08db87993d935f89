//! Reconciling the cache with Vapi (`Agency::reconcile`): Vapi's daily totals from `POST
//! /analytics` of the simulator on 127.0.0.1, the cache's from a real SQLite file. A synced cache
//! matches; a call deleted from the cache, or calls Vapi got after the sync, show as the days
//! that differ, with the counts and costs of both sides.

use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::billing::Period;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::StoreError;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions};
use agencydesk_core::vapi::money::usd_to_micros;
use agencydesk_core::vapi::ClientOptions;
use chrono::{DateTime, Datelike, Duration as Days, Utc};
use rust_decimal::Decimal;
use vapi_sim::{Sim, SimConfig};

async fn setup(orgs: usize) -> (Sim, Agency, tempfile::TempDir) {
    let config = SimConfig {
        orgs,
        days: 65,
        calls_per_day: 12,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new()))
        .unwrap()
        .with_client_options(ClientOptions {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..ClientOptions::default()
        });
    for org in &sim.manifest().orgs {
        agency
            .link_client(
                Some(&sim.url()),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    (sim, agency, data)
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

fn last_month() -> Period {
    let first = Utc::now().date_naive().with_day(1).unwrap();
    Period::month_of(first.pred_opt().unwrap()).unwrap()
}

/// (calls, micro-USD) per UTC day of the period, counted from the simulator's calls.
fn sim_day(sim: &Sim, org_id: &str, day: &str) -> (u64, i64) {
    let mut calls = 0;
    let mut cost = 0;
    for call in sim.handle().calls(org_id) {
        if call["createdAt"].as_str().unwrap().starts_with(day) {
            calls += 1;
            cost += call["cost"].as_f64().and_then(usd_to_micros).unwrap_or(0);
        }
    }
    (calls, cost)
}

fn usd(micros: i64) -> Decimal {
    Decimal::new(micros, 6).normalize()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_cache_matches_and_each_kind_of_drift_names_its_day() {
    let (sim, agency, _data) = setup(2).await;
    sync(&agency).await;
    let manifest = sim.manifest();
    let (org, other) = (&manifest.orgs[0].id, &manifest.orgs[1].id);
    let period = last_month();

    let clean = agency.reconcile(org, period).await.unwrap();
    assert!(clean.matches, "{clean:?}");
    assert!(clean.differing_days.is_empty());
    let (mut want_calls, mut want_cost) = (0, 0);
    for day in period.each_day() {
        let (n, c) = sim_day(&sim, org, &day.to_string());
        want_calls += n;
        want_cost += c;
    }
    assert!(want_calls > 100, "a month of calls: {want_calls}");
    assert_eq!(clean.vapi_calls, want_calls);
    assert_eq!(clean.cached_calls, want_calls);
    assert_eq!(clean.vapi_cost, usd(want_cost));

    // A call gone from the cache: its day differs, by one call and its cost.
    let victim_day = period.from + Days::days(9);
    let (victim, victim_cost): (String, i64) = agency
        .store()
        .read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT id, COALESCE(cost_micros, 0) FROM calls
                 WHERE org_id = ?1 AND date(created_ms / 1000, 'unixepoch') = ?2 LIMIT 1",
                (org, victim_day.to_string()),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    agency
        .store()
        .write(|tx| Ok::<_, StoreError>(tx.execute("DELETE FROM calls WHERE id = ?1", [&victim])?))
        .unwrap();
    let drift = agency.reconcile(org, period).await.unwrap();
    assert!(!drift.matches);
    assert_eq!(drift.differing_days.len(), 1, "{drift:?}");
    let d = &drift.differing_days[0];
    let (n, c) = sim_day(&sim, org, &victim_day.to_string());
    assert_eq!(d.day, victim_day.to_string());
    assert_eq!((d.vapi_calls, d.cached_calls), (n, n - 1));
    assert_eq!((d.vapi_cost, d.cached_cost), (usd(c), usd(c - victim_cost)));
    assert_eq!(drift.cached_calls, want_calls - 1);
    // The other org is untouched.
    assert!(agency.reconcile(other, period).await.unwrap().matches);

    // Calls Vapi got after the sync, on another day: both days listed.
    let late_day = period.from + Days::days(20);
    let at: DateTime<Utc> = late_day.and_hms_opt(15, 30, 0).unwrap().and_utc();
    sim.handle().add_calls(org, 3, Some(at));
    let both = agency.reconcile(org, period).await.unwrap();
    let days: Vec<&str> = both.differing_days.iter().map(|d| d.day.as_str()).collect();
    let (late, victim_text) = (late_day.to_string(), victim_day.to_string());
    let mut want_days = vec![victim_text.as_str(), late.as_str()];
    want_days.sort();
    assert_eq!(days, want_days);
    let late_row = both
        .differing_days
        .iter()
        .find(|d| d.day == late)
        .unwrap()
        .clone();
    assert_eq!(late_row.vapi_calls, late_row.cached_calls + 3);
    // Created (and last updated) before the sync's watermark: an incremental sync cannot see
    // them, which is what reconciling is for.
    sync(&agency).await;
    let after = agency.reconcile(org, period).await.unwrap();
    assert_eq!(after.differing_days.len(), 2, "{after:?}");

    // Re-reading the days brings the lost call and the late ones in; a call Vapi deleted
    // leaves the cache too.
    let read = agency
        .resync_days(org, &[victim_day, late_day])
        .await
        .unwrap();
    assert_eq!(read, n + late_row.vapi_calls);
    let fixed = agency.reconcile(org, period).await.unwrap();
    assert!(fixed.matches, "{fixed:?}");
    let gone_day = period.from + Days::days(3);
    let gone = sim
        .handle()
        .calls(org)
        .into_iter()
        .find(|c| {
            c["createdAt"]
                .as_str()
                .unwrap()
                .starts_with(&gone_day.to_string())
        })
        .unwrap();
    let gone_id = gone["id"].as_str().unwrap();
    let deleted = reqwest::Client::new()
        .delete(format!("{}/call/{gone_id}", sim.url()))
        .bearer_auth(&manifest.orgs[0].private_key)
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success());
    let extra = agency.reconcile(org, period).await.unwrap();
    assert_eq!(extra.differing_days.len(), 1, "{extra:?}");
    assert_eq!(
        extra.differing_days[0].cached_calls,
        extra.differing_days[0].vapi_calls + 1
    );
    agency.resync_days(org, &[gone_day]).await.unwrap();
    assert!(agency.reconcile(org, period).await.unwrap().matches);
    let still: i64 = agency
        .store()
        .read(|c| {
            Ok::<_, StoreError>(c.query_row(
                "SELECT count(*) FROM calls WHERE id = ?1",
                [gone_id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(still, 0, "the call Vapi deleted left the cache");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_refuses_unknown_orgs_and_bad_periods() {
    let (_sim, agency, _data) = setup(1).await;
    let err = agency
        .reconcile("no-such-org", last_month())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no-such-org"), "{err}");
}
