//! Every fault kind is observable, switchable at run time, and never hits
//! CORS preflights.

mod common;

use std::time::{Duration, Instant};

use common::*;
use reqwest::Method;
use vapi_sim::{Faults, SimConfig};

#[tokio::test]
async fn fail_rate_gives_vapi_shaped_5xx() {
    let env = start(SimConfig {
        faults: Faults {
            fail_rate: 1.0,
            seed: 3,
            ..Faults::default()
        },
        ..small_config()
    })
    .await;
    let k = &env.m.orgs[0].private_key;
    let mut statuses = std::collections::BTreeSet::new();
    for _ in 0..30 {
        let r = env.get("/call?limit=1", k).await;
        let status = r.status.as_u16();
        r.error(status);
        statuses.insert(status);
    }
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        vec![500, 502, 503]
    );
    // Preflights are never faulted.
    let r = env
        .http
        .request(Method::OPTIONS, env.url("/call/web"))
        .header("Origin", "https://a.example")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());

    // Partial rate: both outcomes, roughly in proportion.
    env.sim.handle().set_faults(Faults {
        fail_rate: 0.3,
        seed: 1,
        ..Faults::default()
    });
    let mut failed = 0;
    for _ in 0..200 {
        if env.get("/call?limit=1", k).await.status.is_server_error() {
            failed += 1;
        }
    }
    assert!((30..=90).contains(&failed), "{failed} of 200");
    env.sim.handle().set_faults(Faults::default());
    assert_eq!(env.get("/call?limit=1", k).await.status, 200);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_is_per_key_with_retry_after() {
    let env = start(small_config()).await;
    env.sim.handle().set_faults(Faults {
        rate_limit: Some(5),
        ..Faults::default()
    });
    let (a, b) = (&env.m.orgs[0].private_key, &env.m.orgs[1].private_key);
    let mut limited = None;
    for i in 0..20 {
        let r = env.get("/assistant", a).await;
        if r.status == 429 {
            limited = Some((i, r));
            break;
        }
        assert_eq!(r.status, 200);
    }
    let (i, r) = limited.expect("a burst over the limit gets 429");
    assert!(
        i >= 4,
        "the bucket allows a burst of the limit, got 429 after {i}"
    );
    r.error(429);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    // Another key has its own bucket.
    assert_eq!(env.get("/assistant", b).await.status, 200);
    // After waiting, the key works again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(env.get("/assistant", a).await.status, 200);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn slow_answers() {
    let env = start(small_config()).await;
    let k = &env.m.orgs[0].private_key;
    env.sim.handle().set_faults(Faults {
        slow_rate: 1.0,
        slow_ms: 300,
        ..Faults::default()
    });
    let t = Instant::now();
    assert_eq!(env.get("/assistant", k).await.status, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    env.sim.handle().set_faults(Faults::default());
    let t = Instant::now();
    assert_eq!(env.get("/assistant", k).await.status, 200);
    assert!(t.elapsed() < Duration::from_millis(300));
    env.sim.shutdown().await;
}

#[tokio::test]
async fn truncated_bodies_are_invalid_json() {
    let env = start(small_config()).await;
    let k = &env.m.orgs[0].private_key;
    let full = env.get("/call?limit=20", k).await;
    env.sim.handle().set_faults(Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    });
    let cut = env.get("/call?limit=20", k).await;
    assert_eq!(cut.status, 200);
    assert!(cut.text.len() < full.text.len());
    assert!(full.text.starts_with(&cut.text));
    assert!(serde_json::from_str::<serde_json::Value>(&cut.text).is_err());
    // Errors are not truncated: a client can still read why it failed.
    let err = env.get("/call?limit=5000", k).await;
    err.error(400);
    env.sim.shutdown().await;
}

#[tokio::test]
async fn faults_replay_with_the_same_seed() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let env = start(SimConfig {
            faults: Faults {
                fail_rate: 0.5,
                truncate_rate: 0.3,
                seed: 42,
                ..Faults::default()
            },
            ..small_config()
        })
        .await;
        let k = env.m.orgs[0].private_key.clone();
        let mut outcome = Vec::new();
        for _ in 0..40 {
            let r = env.get("/assistant", &k).await;
            outcome.push((r.status.as_u16(), r.text.len()));
        }
        assert_eq!(env.sim.handle().request_count(), 40);
        runs.push(outcome);
        env.sim.shutdown().await;
    }
    assert_eq!(runs[0], runs[1]);
}
