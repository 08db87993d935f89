//! Under 5xx answers, rate limiting (429 + Retry-After), slow answers and cut-off pages, the
//! cache still ends up equal to the simulator, and no cut-off page is half-stored.

mod sync_support;

use vapi_sim::Faults;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_under_faults_loses_nothing() {
    let w = sync_support::world(3, 60, 25).await;
    w.handle.set_faults(Faults {
        fail_rate: 0.10,
        rate_limit: Some(4),
        slow_rate: 0.05,
        slow_ms: 300,
        truncate_rate: 0.20,
        seed: 42,
        ..Faults::default()
    });
    // Small pages: many requests, so every kind of fault happens many times.
    let options = sync_support::options(100);
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();
    // The faults were really there: every kind of refusal happened, and each cost a request.
    let injected = w.handle.injected_faults();
    assert!(
        injected.failed > 0 && injected.truncated > 0,
        "{injected:?}: faults were not injected"
    );
    let pages: u64 = report.orgs.iter().map(|o| o.pages).sum();
    let requests = w.handle.request_count();
    assert!(
        requests >= pages + injected.failed + injected.truncated,
        "{requests} requests for {pages} pages and {injected:?}"
    );

    // Costs settle and calls arrive while the faults go on.
    let org = &w.org_ids()[1];
    w.handle.add_calls(org, 120, None);
    w.handle.settle_pending_costs();
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();
}
