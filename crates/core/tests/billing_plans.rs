//! Pricing plans stored in SQLite: round trip, validation on save and on load.

mod billing_fixture;

use agencydesk_core::billing::{self, BillingError, PricingPlan};
use agencydesk_core::store::StoreError;
use billing_fixture::*;
use rust_decimal_macros::dec;

#[test]
fn every_fixture_plan_round_trips_through_sqlite() {
    let fx = fixture();
    for (org, plan) in [
        (ACME, acme_plan()),
        (BOLT, bolt_plan()),
        (COVE, cove_plan()),
        (EVIL, evil_plan()),
        (DORMANT, dormant_plan()),
    ] {
        let loaded = fx.store.read(|c| billing::load_plan(c, org)).unwrap();
        assert_eq!(loaded, Some(plan), "{org}");
    }
    assert_eq!(
        fx.store.read(|c| billing::load_plan(c, NO_PLAN)).unwrap(),
        None
    );
}

#[test]
fn decimals_are_stored_as_text_not_floats() {
    let fx = fixture();
    let json: String = fx
        .store
        .read(|c| {
            c.query_row(
                "SELECT plan FROM pricing_plans WHERE org_id = ?1",
                [BOLT],
                |r| r.get(0),
            )
            .map_err(StoreError::from)
        })
        .unwrap();
    assert!(json.contains(r#""perMinuteRate":"0.125""#), "{json}");
    assert!(json.contains(r#""minuteRounding":"up_to_60s""#), "{json}");
    assert!(json.contains(r#""monthlyFee":"49.00""#), "{json}");
}

#[test]
fn saving_replaces_and_deleting_removes() {
    let fx = fixture();
    let mut plan = acme_plan();
    plan.markup_percent = Some(dec!(40));
    fx.store
        .read(|c| billing::save_plan(c, ACME, &plan))
        .unwrap();
    assert_eq!(
        fx.store.read(|c| billing::load_plan(c, ACME)).unwrap(),
        Some(plan)
    );
    assert!(fx.store.read(|c| billing::delete_plan(c, ACME)).unwrap());
    assert!(matches!(
        fx.store.read(|c| billing::require_plan(c, ACME)),
        Err(BillingError::NoPlan { .. })
    ));
}

#[test]
fn invalid_plans_and_unknown_clients_are_refused_with_reasons() {
    let fx = fixture();
    let bad = PricingPlan {
        per_minute_rate: Some(dec!(-0.10)),
        ..PricingPlan::default()
    };
    match fx.store.read(|c| billing::save_plan(c, BOLT, &bad)) {
        Err(BillingError::InvalidPlan(issues)) => {
            assert_eq!(issues.len(), 1);
            assert_eq!(issues[0].field, "perMinuteRate");
            assert_eq!(issues[0].message, "must not be negative");
        }
        other => panic!("{other:?}"),
    }
    // Nothing was written: the old plan is intact.
    assert_eq!(
        fx.store.read(|c| billing::load_plan(c, BOLT)).unwrap(),
        Some(bolt_plan())
    );
    assert!(matches!(
        fx.store
            .read(|c| billing::save_plan(c, "org-nobody", &acme_plan())),
        Err(BillingError::ClientNotFound { .. })
    ));
}

#[test]
fn a_stored_plan_edited_into_nonsense_is_an_error_not_a_bill() {
    let fx = fixture();
    let set = |json: &str| {
        fx.store
            .read(|c| {
                c.execute(
                    "UPDATE pricing_plans SET plan = ?1 WHERE org_id = ?2",
                    (json, ACME),
                )
                .map_err(StoreError::from)
            })
            .unwrap();
    };
    set("{not json");
    assert!(matches!(
        fx.store.read(|c| billing::load_plan(c, ACME)),
        Err(BillingError::StoredPlanUnreadable { .. })
    ));
    // Valid JSON, but a float where a decimal string belongs and a negative markup.
    let mut value = serde_json::to_value(acme_plan()).unwrap();
    value["markupPercent"] = serde_json::json!("-3");
    set(&value.to_string());
    let err = fx.store.read(|c| billing::load_plan(c, ACME)).unwrap_err();
    assert!(err.to_string().contains("markupPercent"), "{err}");
}
