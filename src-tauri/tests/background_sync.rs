//! The window's background sync without a window: the schedule driven tick by tick on a fake
//! clock, syncing a real agency against the simulator, which is stopped (offline) and started
//! again. Real HTTP on 127.0.0.1, a real SQLite file.

mod sync_support;

use std::net::SocketAddr;
use std::time::Duration;

use agencydesk::background_sync::{BackgroundSync, TickOutcome};
use agencydesk_core::sync::SyncOptions;
use chrono::Utc;
use vapi_sim::{Faults, Sim, SimConfig};

use sync_support::app::{agency, events, finished};

fn at(minutes: u64) -> Duration {
    Duration::from_secs(minutes * 60)
}

fn options() -> SyncOptions {
    SyncOptions {
        page_size: 200,
        page_retries: 0,
        page_retry_delay: Duration::from_millis(10),
        ..SyncOptions::default()
    }
}

fn config(anchor: chrono::DateTime<Utc>, faults: Faults) -> SimConfig {
    SimConfig {
        seed: 77,
        orgs: 2,
        days: 10,
        calls_per_day: 5,
        anchor: Some(anchor),
        faults,
        retention_days: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_every_interval_reports_an_outage_once_and_recovers() {
    let anchor = Utc::now();
    let sim = Sim::start(
        config(anchor, Faults::default()),
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let addr: SocketAddr = sim.url().trim_start_matches("http://").parse().unwrap();
    let (_dir, state, session) = agency(&sim).await;
    let background = BackgroundSync::default();
    let tick = |now: Duration| {
        let (sink, _rx) = events();
        background.tick(
            now,
            std::sync::Arc::clone(&session.agency),
            &state.syncs,
            options(),
            sink,
        )
    };

    assert_eq!(
        background.status(&session.agency).unwrap().interval_minutes,
        15
    );
    assert_eq!(tick(at(0)).await, TickOutcome::Waited);
    assert_eq!(tick(at(14)).await, TickOutcome::Waited);
    assert_eq!(
        background.status(&session.agency).unwrap().last_run_at,
        None
    );
    assert_eq!(tick(at(15)).await, TickOutcome::Synced { new_error: None });
    let synced = state.syncs.status(&session.agency).unwrap();
    assert!(
        synced
            .iter()
            .all(|s| s.last_sync_at.is_some() && s.last_error.is_none()),
        "{synced:#?}"
    );
    let status = background.status(&session.agency).unwrap();
    assert!(status.last_run_at.is_some());
    assert_eq!(status.error, None);

    // Offline: the first failed sync reports its error, the next ones are quiet, and none
    // comes before the interval has passed again.
    sim.shutdown().await;
    let TickOutcome::Synced {
        new_error: Some(why),
    } = tick(at(30)).await
    else {
        panic!("the first failed sync reports its error");
    };
    assert!(!why.is_empty());
    assert_eq!(
        background.status(&session.agency).unwrap().error.as_deref(),
        Some(why.as_str())
    );
    assert_eq!(tick(at(31)).await, TickOutcome::Waited);
    assert_eq!(tick(at(45)).await, TickOutcome::Synced { new_error: None });
    assert!(
        background.status(&session.agency).unwrap().error.is_some(),
        "still failing"
    );

    // Back online, slowly: a sync the user started is running when the next one is due, so
    // the background one waits for it, then runs and clears the error.
    let slow = Faults {
        slow_rate: 1.0,
        slow_ms: 300,
        ..Faults::default()
    };
    let sim = Sim::start(config(anchor, slow), addr).await.unwrap();
    let (sink, mut rx) = events();
    let users = state
        .syncs
        .start(&session.agency, None, options(), sink)
        .await
        .unwrap();
    assert!(users.run_id.is_some());
    assert_eq!(tick(at(60)).await, TickOutcome::Waited);
    let (done, _) = finished(&mut rx).await;
    assert!(done.report.all_done(), "{:#?}", done.report);
    assert_eq!(tick(at(61)).await, TickOutcome::Synced { new_error: None });
    assert_eq!(background.status(&session.agency).unwrap().error, None);

    // A longer interval from Settings is taken at the next tick; an invalid one is refused.
    assert!(session.agency.set_background_sync_minutes(4).is_err());
    assert!(session.agency.set_background_sync_minutes(1441).is_err());
    let saved = session.agency.set_background_sync_minutes(30).unwrap();
    assert_eq!(saved.background_sync_minutes, 30);
    assert_eq!(tick(at(76)).await, TickOutcome::Waited);
    assert_eq!(
        background.status(&session.agency).unwrap().interval_minutes,
        30
    );
    assert_eq!(tick(at(91)).await, TickOutcome::Synced { new_error: None });
    sim.shutdown().await;
}
