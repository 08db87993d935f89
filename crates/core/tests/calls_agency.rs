//! The call cache through `Agency` (what the Calls tab, the client overview and `calls stats`
//! call), off the async runtime, against an agency synced from the simulator.

mod billing_world;

use agencydesk_core::calls::CallsQuery;
use agencydesk_core::error::Code;
use billing_world::synced_world;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_counts_stats_and_months_agree() {
    let world = synced_world().await;
    let agency = &world.agency;
    let handle = world.sim.handle();
    let clients = world.clients();

    let all = agency.client_calls_stats(None).await.unwrap();
    let mut names: Vec<&str> = clients.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        all.iter().map(|s| s.org_name.as_str()).collect::<Vec<_>>(),
        names,
        "every client org, as the clients list orders them"
    );
    for s in &all {
        assert_eq!(
            s.calls as usize,
            handle.call_count(&s.org_id),
            "{}",
            s.org_name
        );
    }

    let org = &clients[0].id;
    let one = agency.client_calls_stats(Some(org)).await.unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(agency.calls_stats(Some(org.clone())).await.unwrap(), one);
    let unknown = agency
        .client_calls_stats(Some("no-such-org"))
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);

    let query = CallsQuery {
        org_id: org.clone(),
        limit: Some(5),
        ..CallsQuery::default()
    };
    let page = agency.list_calls(query.clone()).await.unwrap();
    assert_eq!(page.rows.len(), 5);
    assert_eq!(agency.count_calls(query).await.unwrap(), one[0].calls);

    // One call's detail and its JSON as cached, by id alone; an unknown id is "not found".
    let first = &page.rows[0];
    let detail = agency.call_detail(&first.id, false).await.unwrap();
    assert_eq!((&detail.id, &detail.org_id), (&first.id, org));
    assert_eq!(detail.cost_micros, first.cost_micros);
    let json = agency.cached_call(&first.id, false).await.unwrap();
    assert_eq!(json["id"], first.id.as_str());
    let missing = agency.call_detail("no-such-call", false).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    assert_eq!(
        agency
            .cached_call("no-such-call", true)
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );

    let months = agency.calls_months(org).await.unwrap();
    assert!(months.last_month.calls > 0, "{months:?}");
    assert!(months.this_month.month > months.last_month.month);
}
