//! A client org's billing limit at Vapi (`Agency::billing_limits`, `set_billing_limit`) against
//! the simulator on 127.0.0.1: read with the subscription facts, changed, and refused, before any
//! request, as Vapi would refuse it.

use std::sync::Arc;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use rust_decimal::Decimal;
use vapi_sim::{Sim, SimConfig};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_read_set_and_refused_like_vapi() {
    let sim = Sim::start(
        SimConfig {
            orgs: 2,
            days: 3,
            ..SimConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new())).unwrap();
    let manifest = sim.manifest();
    let org = &manifest.orgs[0];
    agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(org.private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();

    let before = agency.billing_limits(&org.id).await.unwrap();
    assert_eq!(before.org_id, org.id);
    // The simulator seeds each org with a limit; it is read as Vapi wrote it.
    let seeded = before.billing_limit.expect("a seeded limit");
    assert!(
        seeded > Decimal::ZERO && seeded <= Decimal::from(1000),
        "{seeded}"
    );
    assert_eq!(before.concurrency_limit, Some(10.0));
    let sub = before
        .subscription
        .clone()
        .expect("the simulator reports a subscription");
    assert_eq!(sub.status.as_deref(), Some("active"));
    assert_eq!(sub.credits.as_deref(), Some("500.00"));
    // Minutes across all time, from the org's own calls.
    let all_minutes: f64 = sim
        .handle()
        .calls(&org.id)
        .iter()
        .filter_map(|c| {
            let start = chrono::DateTime::parse_from_rfc3339(c["startedAt"].as_str()?).ok()?;
            let end = chrono::DateTime::parse_from_rfc3339(c["endedAt"].as_str()?).ok()?;
            Some((end - start).num_milliseconds() as f64 / 60_000.0)
        })
        .sum();
    let reported = before.minutes_used.unwrap();
    assert!(
        (reported - all_minutes).abs() < 0.01,
        "{reported} vs {all_minutes}"
    );

    let set = agency.set_billing_limit(&org.id, "250.50").await.unwrap();
    assert_eq!(set.billing_limit, Some(Decimal::new(2505, 1)));
    let again = agency.billing_limits(&org.id).await.unwrap();
    assert_eq!(again.billing_limit, Some(Decimal::new(2505, 1)));
    assert_eq!(again.subscription, before.subscription);

    let requests = sim.handle().request_count();
    for bad in ["1000.01", "-5", "12.345", "lots", ""] {
        let err = agency.set_billing_limit(&org.id, bad).await.unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{bad}: {err}");
    }
    assert_eq!(
        sim.handle().request_count(),
        requests,
        "refused before any request"
    );
    assert_eq!(
        agency.billing_limits(&org.id).await.unwrap().billing_limit,
        Some(Decimal::new(2505, 1)),
        "unchanged"
    );
    agency.set_billing_limit(&org.id, "0").await.unwrap();
    assert_eq!(
        agency.billing_limits(&org.id).await.unwrap().billing_limit,
        Some(Decimal::ZERO)
    );
    let unknown = agency.billing_limits("no-such-org").await.unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
}
