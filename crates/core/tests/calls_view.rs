//! The calls view over a synced cache: keyset pages cover every call once, newest first;
//! date range and assistant filters agree with the simulator; counts and JSON read back.

mod sync_support;

use std::collections::HashSet;

use agencydesk_core::calls::{self, CallsQuery};
use agencydesk_core::store::assistants::{self, AssistantRow};
use agencydesk_core::store::time;
use chrono::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_filters_counts_and_json() {
    let w = sync_support::world(2, 60, 30).await;
    assert!(w.sync(&sync_support::options(1000)).await.0.all_done());
    let org = w.manifest.orgs[0].clone();
    let sim = w.handle.calls(&org.id);
    w.store
        .write(|tx| {
            let rows: Vec<AssistantRow> = org
                .assistants
                .iter()
                .map(|a| AssistantRow {
                    id: a.id.clone(),
                    org_id: org.id.clone(),
                    name: Some(a.name.clone()),
                    created_at: time::now(),
                    updated_at: time::now(),
                    raw: "{}".into(),
                })
                .collect();
            assistants::replace_for_org(tx, &org.id, &rows)
        })
        .unwrap();

    // Every call exactly once, newest first, in pages of 97.
    let mut query = CallsQuery {
        org_id: org.id.clone(),
        limit: Some(97),
        ..CallsQuery::default()
    };
    let mut seen = Vec::new();
    loop {
        let page = w.store.read(|c| calls::list_calls(c, &query)).unwrap();
        assert!(page.rows.len() <= 97);
        seen.extend(page.rows);
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), sim.len());
    let ids: HashSet<_> = seen.iter().map(|r| r.id.clone()).collect();
    assert_eq!(ids.len(), seen.len(), "a call was listed twice");
    assert!(seen
        .windows(2)
        .all(|p| (&p[0].created_at, &p[0].id) > (&p[1].created_at, &p[1].id)));
    let named = seen.iter().filter(|r| r.assistant_name.is_some()).count();
    assert_eq!(
        named,
        seen.iter().filter(|r| r.assistant_id.is_some()).count()
    );
    let with_cost = seen.iter().find(|r| r.cost_micros.is_some()).unwrap();
    assert_eq!(
        with_cost.cost.as_deref().map(|c| c.parse::<f64>().unwrap()),
        with_cost.cost_micros.map(|m| m as f64 / 1e6)
    );

    // One assistant, one week: the same calls the simulator has.
    let assistant = org.assistants[0].id.clone();
    let to = time::parse(sim[0]["createdAt"].as_str().unwrap()).unwrap() - Duration::days(3);
    let from = to - Duration::days(7);
    let expected: HashSet<String> = sim
        .iter()
        .filter(|c| c["assistantId"].as_str() == Some(assistant.as_str()))
        .filter(|c| {
            let t = time::parse(c["createdAt"].as_str().unwrap()).unwrap();
            t >= from && t < to
        })
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!expected.is_empty());
    let filtered = CallsQuery {
        org_id: org.id.clone(),
        from: Some(from),
        to: Some(to),
        assistant_id: Some(assistant.clone()),
        limit: Some(1000),
        after: None,
    };
    let page = w.store.read(|c| calls::list_calls(c, &filtered)).unwrap();
    let got: HashSet<String> = page.rows.iter().map(|r| r.id.clone()).collect();
    assert_eq!(got, expected);
    assert!(page.next.is_none());
    let count = w.store.read(|c| calls::count_calls(c, &filtered)).unwrap();
    assert_eq!(count as usize, expected.len());

    // The raw JSON reads back, and only for its own org.
    let id = &seen[10].id;
    let json = w
        .store
        .read(|c| calls::call_json(c, &org.id, id))
        .unwrap()
        .unwrap();
    assert_eq!(json["id"], id.as_str());
    assert!(json["transcript"].is_string());
    let other = &w.manifest.orgs[1].id;
    let none = w.store.read(|c| calls::call_json(c, other, id)).unwrap();
    assert!(none.is_none());
}
