//! Costs settle after a call ends (updatedAt moves, cost and breakdown change): the next sync
//! brings the cache to the final figures.

mod sync_support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settled_costs_reach_the_cache() {
    let w = sync_support::world(2, 30, 20).await;
    let options = sync_support::options(1000);
    let org = w.org_ids()[0].clone();
    let fresh = w.handle.add_calls(&org, 30, None);

    assert!(w.sync(&options).await.0.all_done());
    w.assert_all_equal();
    let before = w.cached_calls(&org);

    let settled = w.handle.settle_pending_costs();
    assert!(settled >= 30, "only {settled} calls settled");
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();

    let after = w.cached_calls(&org);
    let grew = fresh
        .iter()
        .filter(|id| after[*id].cost > before[*id].cost)
        .count();
    assert!(grew > 0, "no fresh call's cost changed in the cache");
    for id in &fresh {
        assert!(after[id].updated_at > before[id].updated_at, "call {id}");
    }
}
