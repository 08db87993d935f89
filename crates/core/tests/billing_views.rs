//! What the Billing tab and the agency overview get from `Agency`, on an agency synced from the
//! simulator (real HTTP on 127.0.0.1, real SQLite in a temp folder): plan form round trips and
//! refusals, the preview with its audit, charts as inert SVG, the overview's totals and alerts.

mod billing_world;

use agencydesk_core::billing::{
    load_plan, AlertLevel, MinuteRounding, Period, PlanForm, ThresholdKind,
};
use agencydesk_core::charts::{Bucket, ChartKind};
use agencydesk_core::error::Code;
use agencydesk_core::store::clients;
use billing_world::*;
use rust_decimal::Decimal;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_editor_saves_valid_plans_and_names_every_problem() {
    let world = synced_world().await;
    let client = world.clients().remove(0);
    let agency = &world.agency;

    let state = agency.pricing_plan(&client.id).await.unwrap();
    assert!(state.saved, "every client was given a sample plan");

    let form = PlanForm {
        currency: "eur".into(),
        usd_exchange_rate: "0.9".into(),
        markup_percent: "".into(),
        per_minute_rate: "0.2".into(),
        minute_rounding: MinuteRounding::UpTo30Seconds,
        monthly_fee: "10".into(),
        included_minutes: "".into(),
        overage_rate: "".into(),
        tax_code: "VAT".into(),
        tax_rate_percent: "19".into(),
        payment_terms_days: "14".into(),
    };
    let saved = agency
        .save_pricing_plan(&client.id, form.clone())
        .await
        .unwrap();
    assert_eq!(saved.form.currency, "EUR");
    let stored = agency
        .store()
        .read(|c| load_plan(c, &client.id))
        .unwrap()
        .unwrap();
    assert_eq!(stored.per_minute_rate, Some(Decimal::new(2, 1)));
    assert_eq!(stored.minute_rounding, MinuteRounding::UpTo30Seconds);
    assert_eq!(
        agency.pricing_plan(&client.id).await.unwrap().form,
        saved.form
    );

    let broken = PlanForm {
        per_minute_rate: "twelve".into(),
        tax_rate_percent: "".into(),
        ..form
    };
    assert_eq!(broken.issues().len(), 2, "{:?}", broken.issues());
    let err = agency
        .save_pricing_plan(&client.id, broken)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    let message = err.to_string();
    assert!(
        message.starts_with("The pricing plan needs fixing: "),
        "{message}"
    );
    assert!(
        message.contains("Per-minute rate: enter a number"),
        "{message}"
    );
    assert!(
        message.contains("Tax rate: enter the tax rate"),
        "{message}"
    );
    let unchanged = agency
        .store()
        .read(|c| load_plan(c, &client.id))
        .unwrap()
        .unwrap();
    assert_eq!(unchanged, stored, "a refused plan changes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_carries_the_invoice_the_audit_and_the_sync_time() {
    let world = synced_world().await;
    let period = last_month();
    for client in world.clients() {
        let billing = world
            .agency
            .invoice_preview(&client.id, period)
            .await
            .unwrap();
        assert!(billing.last_sync_at.is_some());
        assert!(billing.calls_in_period > 0, "{}", client.name);
        let preview = billing.preview.expect("every client has a plan");
        assert_eq!(preview.invoice, world.preview(&client.id, period).invoice);
        preview.invoice.check_sums().unwrap();
        assert_eq!(
            preview.usage.calls, billing.calls_in_period,
            "{}",
            client.name
        );
        assert_eq!(billing.audit, preview.audit);
        assert_eq!(
            world
                .agency
                .billing_audit(&client.id, period)
                .await
                .unwrap(),
            billing.audit
        );
        assert!(billing.issued.is_none());
        // Last month ended long ago: nothing in it is still settling.
        assert_eq!(billing.audit.unsettled.count, 0);
    }
    let unknown = world
        .agency
        .invoice_preview("no-such-org", period)
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), Code::NotFound);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_never_synced_has_no_sync_time_and_no_calls() {
    let world = linked_world().await;
    let client = world.clients().remove(0);
    let billing = world
        .agency
        .invoice_preview(&client.id, last_month())
        .await
        .unwrap();
    assert_eq!(billing.last_sync_at, None);
    assert_eq!(billing.calls_in_period, 0);
    let preview = billing
        .preview
        .expect("the sample plan is there before any sync");
    assert_eq!(preview.usage.calls, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_are_non_trivial_svg_with_names_escaped() {
    let world = synced_world().await;
    let store = world.agency.store();
    let mut client = world.clients().remove(0);
    client.name = "<script>alert(1)</script> & \"Bob's\" onload=x".into();
    store.read(|c| clients::upsert(c, &client)).unwrap();

    for kind in [
        ChartKind::Cost,
        ChartKind::CostByComponent,
        ChartKind::MinutesAndCalls,
        ChartKind::Margin,
    ] {
        let image = world
            .agency
            .client_chart(&client.id, last_month(), kind, Bucket::Day)
            .await
            .unwrap();
        let svg = decoded(&image);
        assert!(svg.starts_with("<svg"), "{kind:?}");
        assert!(!svg.contains("<script"), "{kind:?}");
        assert!(
            svg.contains("&lt;script&gt;"),
            "{kind:?}: the name is shown, escaped"
        );
        // One bar per day at least: a real chart, not the empty-period message.
        assert!(svg.matches("<rect").count() > 28, "{kind:?}");
        assert!(!svg.contains("No calls in this period"), "{kind:?}");
    }

    // An empty range says so instead of drawing zeros.
    let svg = decoded(
        &world
            .agency
            .client_chart(
                &client.id,
                Period::month(2020, 1).unwrap(),
                ChartKind::Cost,
                Bucket::Day,
            )
            .await
            .unwrap(),
    );
    assert!(svg.contains("No calls in this period"));

    // A chart of an unknown client fails for the billing reason, not as a drawing failure.
    let unknown = world
        .agency
        .client_chart("no-such-org", last_month(), ChartKind::Cost, Bucket::Day)
        .await
        .unwrap_err();
    assert!(
        !unknown.to_string().contains("could not be drawn"),
        "{unknown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_adds_up_and_raises_alerts() {
    let world = synced_world().await;
    let period = last_month();
    // No spend threshold yet: no spend alert.
    let quiet = world
        .agency
        .agency_overview(period, ChartKind::Margin)
        .await
        .unwrap();
    assert!(
        quiet
            .alerts
            .iter()
            .all(|a| !a.message.contains("past your alert")),
        "{:?}",
        quiet.alerts
    );
    // The spend alerts are the clients' thresholds in USD (Settings, `agencydesk alerts`).
    let refused = world
        .agency
        .set_spend_threshold(
            Some(quiet.rows[0].client_id.clone()),
            ThresholdKind::Amount,
            "lots",
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidInput);
    for row in &quiet.rows {
        world
            .agency
            .set_spend_threshold(Some(row.client_id.clone()), ThresholdKind::Amount, "$1")
            .await
            .unwrap();
    }
    let overview = world
        .agency
        .agency_overview(period, ChartKind::Margin)
        .await
        .unwrap();
    assert_eq!(overview.rows.len(), 4);
    let costs: Decimal = overview.rows.iter().map(|r| dec(&r.vapi_cost_usd)).sum();
    assert_eq!(dec(&overview.totals.vapi_cost_usd), costs);
    let billed: Decimal = overview
        .rows
        .iter()
        .map(|r| dec(r.billed_usd.as_ref().unwrap()))
        .sum();
    assert_eq!(dec(&overview.totals.billed_usd), billed);
    for row in &overview.rows {
        let preview = world.preview(&row.client_id, period);
        assert_eq!(dec(row.billed.as_ref().unwrap()), preview.invoice.subtotal);
        assert_eq!(dec(row.margin.as_ref().unwrap()), preview.owner.margin);
        assert_eq!(row.calls, preview.usage.calls);
    }
    // Every client cost more than $1 last month: one spend alert each, first in the list.
    let spend: Vec<_> = overview
        .alerts
        .iter()
        .filter(|a| a.message.contains("past your alert at $1"))
        .collect();
    assert_eq!(spend.len(), 4, "{:?}", overview.alerts);
    assert!(spend.iter().all(|a| a.level == AlertLevel::Danger));
    let svg = decoded(&overview.chart_image);
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains("All clients"));
}

/// The SVG inside a chart's image URL: charts reach the window as `<img>` sources, never as
/// markup.
fn decoded(image: &str) -> String {
    use base64::Engine as _;
    let body = image
        .strip_prefix(agencydesk_core::charts::SVG_DATA_URL_PREFIX)
        .unwrap_or_else(|| panic!("not an SVG data URL: {}", &image[..image.len().min(40)]));
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
    .unwrap()
}
