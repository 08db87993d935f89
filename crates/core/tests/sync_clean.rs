//! A clean first sync copies every call exactly; a second one reads only what changed.

mod sync_support;

use agencydesk_core::calls;
use agencydesk_core::sync::{SyncOutcome, SyncPhase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_sync_copies_everything_and_resync_reads_little() {
    let w = sync_support::world(3, 60, 25).await;
    let options = sync_support::options(1000);

    let (report, events) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();
    for org in &report.orgs {
        assert!(org.backfill, "the first sync reads the whole history");
        assert_eq!(org.cached_calls as usize, w.handle.call_count(&org.org_id));
        assert!(org.watermark.is_some());
    }
    // Each org ends with one final event, after its stored pages.
    for org in w.org_ids() {
        let mine: Vec<_> = events.iter().filter(|e| e.org_id == org).collect();
        assert_eq!(mine.first().map(|e| e.phase), Some(SyncPhase::Listing));
        assert_eq!(mine.last().map(|e| e.phase), Some(SyncPhase::Done));
        assert!(mine
            .iter()
            .any(|e| e.phase == SyncPhase::Backfill && e.calls > 0));
        assert_eq!(mine.iter().filter(|e| e.phase.is_final()).count(), 1);
    }

    // Nothing changed: one short incremental page per org, nothing lost.
    let requests = w.handle.request_count();
    let (again, _) = w.sync(&options).await;
    assert!(again.all_done(), "{again:#?}");
    for org in &again.orgs {
        assert_eq!(org.outcome, SyncOutcome::Done);
        assert!(!org.backfill);
        assert_eq!(org.pages, 1, "{org:#?}");
    }
    assert_eq!(w.handle.request_count() - requests, 3);
    w.assert_all_equal();

    // Stats agree with the simulator to the micro-dollar.
    let stats = w.store.read(|c| calls::stats(c, None)).unwrap();
    assert_eq!(stats.len(), 3);
    for s in &stats {
        let sim = w.sim_calls(&s.org_id);
        assert_eq!(s.calls as usize, sim.len());
        let sum: i64 = sim.values().filter_map(|f| f.cost).sum();
        assert_eq!(s.cost_sum_micros, sum);
        let newest = sim.values().map(|f| f.updated_at.clone()).max();
        assert_eq!(s.newest_updated_at, newest);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_calls_arrive_with_the_next_sync() {
    let w = sync_support::world(2, 20, 30).await;
    let options = sync_support::options(1000);
    assert!(w.sync(&options).await.0.all_done());
    let org = &w.org_ids()[0];
    let added = w.handle.add_calls(org, 40, None);
    assert_eq!(added.len(), 40);
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();
}
