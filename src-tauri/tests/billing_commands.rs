//! What the Billing tab and the agency overview get from the back end, on the demo synced from
//! its in-process simulator: plan form round trips and refusals, the preview with its audit,
//! charts as inert SVG, the overview's totals and alerts.

mod billing_support;

use std::sync::Arc;

use agencydesk::commands::billing::charts::chart_svg;
use agencydesk::commands::billing::overview::{agency_overview, AlertLevel, OverviewRequest};
use agencydesk::commands::billing::plan_form::PlanForm;
use agencydesk::commands::billing::preview::client_billing;
use agencydesk::commands::billing::{plan_state, save_plan_form};
use agencydesk::state::{AppState, KeychainOpener};
use agencydesk_core::billing::{load_plan, MinuteRounding, Period};
use agencydesk_core::charts::{Bucket, ChartKind, ChartRequest, ChartScope};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::KeychainError;
use agencydesk_core::paths::DataDir;
use agencydesk_core::store::clients;
use billing_support::*;
use chrono::Utc;
use rust_decimal::Decimal;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_editor_saves_valid_plans_and_names_every_problem() {
    let demo = synced_demo().await;
    let client = demo.clients().remove(0);
    let session = &demo.session;

    let state = plan_state(session, &client.id).unwrap();
    assert!(state.saved, "the demo gives every client a sample plan");

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
    let saved = save_plan_form(session, &client.id, &form).unwrap();
    assert_eq!(saved.form.currency, "EUR");
    let stored = session
        .agency
        .store()
        .read(|c| load_plan(c, &client.id))
        .unwrap()
        .unwrap();
    assert_eq!(stored.per_minute_rate, Some(Decimal::new(2, 1)));
    assert_eq!(stored.minute_rounding, MinuteRounding::UpTo30Seconds);
    assert_eq!(plan_state(session, &client.id).unwrap().form, saved.form);

    let broken = PlanForm {
        per_minute_rate: "twelve".into(),
        tax_rate_percent: "".into(),
        ..form
    };
    let err = save_plan_form(session, &client.id, &broken).unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    let message = err.to_string();
    assert!(
        message.contains("Per-minute rate: enter a number"),
        "{message}"
    );
    assert!(
        message.contains("Tax rate: enter the tax rate"),
        "{message}"
    );
    let unchanged = session
        .agency
        .store()
        .read(|c| load_plan(c, &client.id))
        .unwrap()
        .unwrap();
    assert_eq!(unchanged, stored, "a refused plan changes nothing");
    demo.state.close_session().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_carries_the_invoice_the_audit_and_the_sync_time() {
    let demo = synced_demo().await;
    let period = last_month();
    for client in demo.clients() {
        let billing = demo
            .session
            .agency
            .store()
            .read(|c| client_billing(c, &client.id, period, Utc::now()))
            .unwrap();
        assert!(billing.last_sync_at.is_some());
        assert!(billing.calls_in_period > 0, "{}", client.name);
        let preview = billing.preview.expect("the demo's clients have plans");
        assert_eq!(preview.invoice, demo.preview(&client.id, period).invoice);
        preview.invoice.check_sums().unwrap();
        assert_eq!(
            preview.usage.calls, billing.calls_in_period,
            "{}",
            client.name
        );
        assert_eq!(billing.audit, preview.audit);
        assert!(billing.issued.is_none());
        // Last month ended long ago: nothing in it is still settling.
        assert_eq!(billing.audit.unsettled.count, 0);
    }
    demo.state.close_session().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_never_synced_has_no_sync_time_and_no_calls() {
    let tmp = tempfile::tempdir().unwrap();
    let opener: KeychainOpener = Arc::new(|| {
        Err(KeychainError::Unavailable {
            detail: "unused".into(),
        })
    });
    let state = AppState::new(Ok(DataDir::at(tmp.path())), opener, false);
    state.start_demo().await.unwrap();
    let session = state.session().await.unwrap();
    let client = session
        .agency
        .list_clients()
        .unwrap()
        .into_iter()
        .find(|c| c.kind == clients::OrgKind::Client)
        .unwrap();
    let billing = session
        .agency
        .store()
        .read(|c| client_billing(c, &client.id, last_month(), Utc::now()))
        .unwrap();
    assert_eq!(billing.last_sync_at, None);
    assert_eq!(billing.calls_in_period, 0);
    assert!(
        billing.preview.is_none(),
        "no plan before the billing commands seed one"
    );
    drop(session);
    state.close_session().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_are_non_trivial_svg_with_names_escaped() {
    let demo = synced_demo().await;
    let store = demo.session.agency.store();
    let mut client = demo.clients().remove(0);
    client.name = "<script>alert(1)</script> & \"Bob's\" onload=x".into();
    store.read(|c| clients::upsert(c, &client)).unwrap();

    for kind in [
        ChartKind::Cost,
        ChartKind::CostByComponent,
        ChartKind::MinutesAndCalls,
        ChartKind::Margin,
    ] {
        let request = ChartRequest {
            scope: ChartScope::Client(client.id.clone()),
            period: last_month(),
            bucket: Bucket::Day,
            kind,
        };
        let svg = store.read(|c| chart_svg(c, &request)).unwrap();
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
    let empty = ChartRequest {
        scope: ChartScope::Client(client.id.clone()),
        period: Period::month(2020, 1).unwrap(),
        bucket: Bucket::Day,
        kind: ChartKind::Cost,
    };
    let svg = store.read(|c| chart_svg(c, &empty)).unwrap();
    assert!(svg.contains("No calls in this period"));
    demo.state.close_session().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_adds_up_and_raises_alerts() {
    let demo = synced_demo().await;
    let period = last_month();
    let store = demo.session.agency.store();
    let request = OverviewRequest {
        period,
        spend_alert_usd: Some(Decimal::ONE),
        chart: ChartKind::Margin,
    };
    let overview = store
        .read(|c| agency_overview(c, &request, Utc::now()))
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
        let preview = demo.preview(&row.client_id, period);
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
    assert!(overview.chart_svg.starts_with("<svg"));
    assert!(overview.chart_svg.contains("All clients"));

    let quiet = OverviewRequest {
        spend_alert_usd: None,
        ..request
    };
    let overview = store
        .read(|c| agency_overview(c, &quiet, Utc::now()))
        .unwrap();
    assert!(
        overview
            .alerts
            .iter()
            .all(|a| !a.message.contains("past your alert")),
        "{:?}",
        overview.alerts
    );
    demo.state.close_session().await;
}
