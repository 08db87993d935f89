//! Spend alerts as the window uses them, without a window: thresholds set and cleared through
//! what the commands call, the check that follows every sync the app runs (new crossings once a
//! month), and the marks the window shows. Real HTTP to the simulator, a real SQLite file.

mod sync_support;

use agencydesk_core::billing::{Period, ThresholdKind};
use agencydesk_core::sync::SyncOptions;
use chrono::Utc;
use vapi_sim::Faults;

use sync_support::app::{agency, events, run_events};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_checks_thresholds_and_the_marks_last_until_cleared() {
    let sim = sync_support::sim(91, 2, 20, 20, Faults::default()).await;
    let (_dir, state, session) = agency(&sim).await;
    let a = session.agency.clone();
    let org = sim.manifest().orgs[0].id.clone();
    let month = Period::month_of(Utc::now().date_naive()).unwrap();

    // No threshold: a sync asks nothing and reports no check.
    let (sink, mut rx) = events();
    state
        .syncs
        .start(&a, None, SyncOptions::default(), sink)
        .await
        .unwrap();
    let run = run_events(&mut rx).await;
    assert!(run.finished.report.all_done());
    assert!(run.spend_alerts.is_none());

    // Validated by core, as the CLI's are.
    for (kind, bad) in [
        (ThresholdKind::Amount, "0"),
        (ThresholdKind::Amount, "abc"),
        (ThresholdKind::LimitShare, "120"),
    ] {
        assert!(
            a.set_spend_threshold(Some(org.clone()), kind, bad)
                .await
                .is_err(),
            "{bad}"
        );
    }
    assert!(a
        .set_spend_threshold(None, ThresholdKind::LimitShare, "80")
        .await
        .is_err());
    a.set_spend_threshold(Some(org.clone()), ThresholdKind::Amount, "0.01")
        .await
        .unwrap();
    let all = a
        .set_spend_threshold(None, ThresholdKind::Amount, "0.01")
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(a.spend_alert_marks(month).await.unwrap().is_empty());

    // The next sync checks them: both crossed for the first time (the notification's cue).
    let (sink, mut rx) = events();
    state
        .syncs
        .start(&a, None, SyncOptions::default(), sink)
        .await
        .unwrap();
    let check = run_events(&mut rx).await.spend_alerts.expect("checked");
    assert_eq!(check.crossed.len(), 2, "{check:#?}");
    assert!(check.crossed.iter().all(|c| c.first_time), "{check:#?}");
    let marks = a.spend_alert_marks(month).await.unwrap();
    assert_eq!(marks.len(), 2, "{marks:#?}");

    // Once per month: the next sync finds them crossed again, not new.
    let (sink, mut rx) = events();
    state
        .syncs
        .start(&a, None, SyncOptions::default(), sink)
        .await
        .unwrap();
    let check = run_events(&mut rx).await.spend_alerts.expect("checked");
    assert_eq!(check.crossed.len(), 2);
    assert!(check.crossed.iter().all(|c| !c.first_time), "{check:#?}");

    // Clearing a threshold removes its mark; the other stays.
    assert!(a
        .clear_spend_threshold(Some(org.clone()), ThresholdKind::Amount)
        .await
        .unwrap());
    let marks = a.spend_alert_marks(month).await.unwrap();
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].org_id, None);
    sim.shutdown().await;
}
