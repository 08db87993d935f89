//! `--clock-skew-secs`: the simulator's clock runs ahead of or behind this machine's, as Vapi's
//! seems to from a machine whose clock is wrong. Its `Date` header, the times it writes and its
//! JWT checks all follow it.

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::{small_config, start};
use serde_json::json;
use vapi_sim::{Faults, SimConfig};

fn date_header(headers: &reqwest::header::HeaderMap) -> DateTime<Utc> {
    let date = headers.get("date").unwrap().to_str().unwrap();
    DateTime::parse_from_rfc2822(date)
        .unwrap()
        .with_timezone(&Utc)
}

fn near(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    (a - b).abs() < TimeDelta::seconds(5)
}

#[tokio::test]
async fn date_header_and_new_timestamps_follow_the_skewed_clock() {
    for skew in [-600i64, 600] {
        let env = start(SimConfig {
            faults: Faults {
                clock_skew_secs: skew,
                ..Faults::default()
            },
            ..small_config()
        })
        .await;
        let key = &env.m.orgs[0].private_key;
        let expected = Utc::now() + TimeDelta::seconds(skew);
        let r = env.get("/call?limit=1", key).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let date = date_header(&r.headers);
        assert!(
            near(date, expected),
            "skew {skew}: Date {date}, expected {expected}"
        );

        let r = env
            .post("/assistant", key, &json!({"name": "Clock check"}))
            .await;
        assert_eq!(r.status.as_u16(), 201, "{}", r.text);
        let created = r.json()["createdAt"].as_str().unwrap().to_owned();
        let created = DateTime::parse_from_rfc3339(&created).unwrap().to_utc();
        assert!(near(created, expected), "skew {skew}: createdAt {created}");

        // Errors carry the simulator's Date too.
        let r = env.get("/call?limit=1", "not-a-key").await;
        assert_eq!(r.status, 401);
        assert!(near(date_header(&r.headers), expected));
    }
}

#[tokio::test]
async fn the_skew_changes_at_run_time_and_is_bounded() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let r = env.get("/call?limit=1", key).await;
    assert!(near(date_header(&r.headers), Utc::now()));
    env.sim.handle().set_faults(Faults {
        clock_skew_secs: -3600,
        ..Faults::default()
    });
    let r = env.get("/call?limit=1", key).await;
    assert!(near(
        date_header(&r.headers),
        Utc::now() - TimeDelta::hours(1)
    ));
    let too_far = SimConfig {
        faults: Faults {
            clock_skew_secs: 400 * 24 * 3600,
            ..Faults::default()
        },
        ..small_config()
    };
    assert!(too_far.validate().is_err());
}
