//! Many calls sharing one createdAt: across a page edge, filling whole pages, and more than a
//! page at one instant. None skipped, none doubled.

mod sync_support;

use agencydesk_core::sync::{CancellationToken, SyncOutcome};
use chrono::{DateTime, Duration, Utc};

fn created_at_index(w: &sync_support::World, org: &str, index: usize) -> DateTime<Utc> {
    let calls = w.handle.calls(org);
    let text = calls[index]["createdAt"].as_str().unwrap().to_owned();
    agencydesk_core::store::time::parse(&text).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_across_page_edges_at_many_page_sizes() {
    let w = sync_support::world(1, 20, 15).await;
    let org = w.org_ids()[0].clone();
    // 150 calls sharing the createdAt of the 40th newest call: they straddle page edges for
    // every page size below, and fill whole pages for the small ones.
    let t = created_at_index(&w, &org, 40);
    assert_eq!(w.handle.add_calls(&org, 150, Some(t)).len(), 150);
    for page_size in [7, 50, 100, 149, 150, 151, 170, 1000] {
        let (_dir, store) = sync_support::new_store(&w.manifest, &w.sim.url());
        let options = sync_support::options(page_size);
        let (report, _) = w
            .sync_store(&store, &options, CancellationToken::new(), |_, _| {})
            .await;
        assert!(report.all_done(), "page size {page_size}: {report:#?}");
        w.assert_store_equals_sim(&store, &org);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_across_the_thousand_call_page_edge() {
    let w = sync_support::world(1, 60, 40).await;
    let org = w.org_ids()[0].clone();
    let t = created_at_index(&w, &org, 940);
    w.handle.add_calls(&org, 150, Some(t));
    let (report, _) = w.sync(&sync_support::options(1000)).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_cache_equals_sim(&org);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_calls_at_one_instant_than_a_page_holds() {
    let w = sync_support::world(1, 10, 10).await;
    let org = w.org_ids()[0].clone();
    let t = created_at_index(&w, &org, 5) - Duration::milliseconds(1);
    w.handle.add_calls(&org, 1200, Some(t));
    let (report, _) = w.sync(&sync_support::options(1000)).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_cache_equals_sim(&org);

    // Settling their costs gives all 1200 the same updatedAt millisecond too: no filter of
    // Vapi's list can page through them. The org fails with a clear error, quickly, without
    // looping, and keeps what it had.
    w.handle.settle_pending_costs();
    let requests = w.handle.request_count();
    let (report, _) = w.sync(&sync_support::options(1000)).await;
    let org_report = &report.orgs[0];
    assert_eq!(org_report.outcome, SyncOutcome::Failed, "{report:#?}");
    let error = org_report.error.as_ref().unwrap();
    assert!(
        error
            .message
            .contains("more than 1000 calls were created at"),
        "{}",
        error.message
    );
    assert!(error.message.starts_with(&org_report.org_name));
    assert!(w.handle.request_count() - requests < 10);
    assert_eq!(org_report.cached_calls as usize, w.handle.call_count(&org));
}
