//! Same seed and anchor, same world; another seed, another world.

mod common;

use common::*;
use vapi_sim::SimConfig;

async fn snapshot(config: SimConfig) -> (vapi_sim::Manifest, Vec<Vec<serde_json::Value>>) {
    let env = start(config).await;
    let mut m = env.sim.manifest();
    m.url = String::new();
    let h = env.sim.handle();
    let calls = m.orgs.iter().map(|o| h.calls(&o.id)).collect();
    env.sim.shutdown().await;
    (m, calls)
}

#[tokio::test]
async fn same_seed_same_world() {
    let (m1, c1) = snapshot(small_config()).await;
    let (m2, c2) = snapshot(small_config()).await;
    assert_eq!(m1, m2);
    assert_eq!(c1, c2);
    assert_eq!(m1.orgs.len(), 4);
    assert!(c1.iter().all(|c| !c.is_empty()));

    let (m3, c3) = snapshot(SimConfig {
        seed: 8,
        ..small_config()
    })
    .await;
    assert_ne!(m1.agency.id, m3.agency.id);
    assert_ne!(c1, c3);
}

#[tokio::test]
async fn world_size_follows_the_config() {
    let env = start(SimConfig {
        orgs: 25,
        days: 30,
        calls_per_day: 10,
        ..small_config()
    })
    .await;
    let m = env.sim.manifest();
    assert_eq!(m.orgs.len(), 25);
    let names: std::collections::BTreeSet<_> = m.orgs.iter().map(|o| o.name.clone()).collect();
    assert_eq!(names.len(), 25, "org names are unique");
    let h = env.sim.handle();
    for o in &m.orgs {
        assert!((1..=4).contains(&o.assistants.len()));
        assert!(!o.public_keys.is_empty() && o.public_keys.len() <= 4);
        // About 30 days x 10 calls (weekends quieter), plus a burst or not.
        let n = h.call_count(&o.id);
        assert!((150..=700).contains(&n), "{}: {n}", o.name);
    }
    let empty = start(SimConfig {
        days: 0,
        ..small_config()
    })
    .await;
    let h = empty.sim.handle();
    assert!(empty.m.orgs.iter().all(|o| h.call_count(&o.id) == 0));
    env.sim.shutdown().await;
    empty.sim.shutdown().await;
}
