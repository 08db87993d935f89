//! Billing commands: pricing plans, invoice previews with the billing audit, CSV exports, charts
//! and the agency overview. Each is a thin wrapper over the functions of the submodules (which
//! the CLI and the tests call directly); database and drawing work runs on a blocking thread so
//! a large cache never stalls the async runtime.

pub mod cache;
pub mod charts;
pub mod demo_plans;
pub mod error;
pub mod export;
pub mod overview;
pub mod plan_form;
pub mod preview;

use std::sync::Arc;

use agencydesk_core::billing::{
    audit_calls, load_plan, save_plan, AuditOptions, BillingAudit, Period, PlanIssue, PricingPlan,
};
use agencydesk_core::charts::{Bucket, ChartKind, ChartRequest, ChartScope};
use chrono::Utc;
use rust_decimal::Decimal;
use tauri::State;

use self::error::BillingCommandError;
use self::export::{ExportOutcome, ExportRequest};
use self::overview::{AgencyOverview, OverviewRequest};
use self::plan_form::{describe_issues, PlanForm, PlanState};
use self::preview::ClientBilling;
use crate::state::{AppState, Session};

/// Test-only: when set, the UI's save dialog returns this path instead of opening (WebDriver
/// cannot drive the native dialog). Everything after the dialog runs as in normal use.
pub const E2E_SAVE_PATH_ENV: &str = "AGENCYDESK_E2E_SAVE_PATH";

type Result<T> = std::result::Result<T, BillingCommandError>;

/// Runs `f` on a blocking thread with the open session (sample plans seeded in the demo).
async fn with_session<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Session) -> Result<T> + Send + 'static,
) -> Result<T> {
    let session: Arc<Session> = state.session().await?;
    tokio::task::spawn_blocking(move || {
        demo_plans::ensure_demo_plans(&session)?;
        f(&session)
    })
    .await?
}

/// The client's plan for the editor; a suggested start (`saved: false`) when there is none.
pub fn plan_state(session: &Session, client_id: &str) -> Result<PlanState> {
    let stored = session.agency.store().read(|c| load_plan(c, client_id))?;
    Ok(PlanState {
        saved: stored.is_some(),
        form: PlanForm::from_plan(&stored.unwrap_or_default()),
    })
}

/// Validates and stores the plan from the editor.
pub fn save_plan_form(session: &Session, client_id: &str, form: &PlanForm) -> Result<PlanState> {
    let plan: PricingPlan = form.parse().map_err(|issues| {
        BillingCommandError::InvalidInput(format!(
            "The pricing plan needs fixing: {}.",
            describe_issues(&issues)
        ))
    })?;
    session
        .agency
        .store()
        .write(|tx| save_plan(tx, client_id, &plan))?;
    Ok(PlanState {
        form: PlanForm::from_plan(&plan),
        saved: true,
    })
}

#[tauri::command]
pub async fn get_pricing_plan(state: State<'_, AppState>, client_id: String) -> Result<PlanState> {
    with_session(&state, move |s| plan_state(s, &client_id)).await
}

/// Every problem of the form, for messages beside the fields while the person types.
#[tauri::command]
pub fn check_pricing_plan(form: PlanForm) -> Vec<PlanIssue> {
    form.parse().err().unwrap_or_default()
}

#[tauri::command]
pub async fn save_pricing_plan(
    state: State<'_, AppState>,
    client_id: String,
    form: PlanForm,
) -> Result<PlanState> {
    with_session(&state, move |s| save_plan_form(s, &client_id, &form)).await
}

/// The invoice preview (lines, subtotal, tax, total; Vapi cost and margin for the owner), the
/// billing audit and the invoice already issued for the period.
#[tauri::command]
pub async fn invoice_preview(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
) -> Result<ClientBilling> {
    with_session(&state, move |s| {
        s.agency
            .store()
            .read(|c| preview::client_billing(c, &client_id, period, Utc::now()))
    })
    .await
}

#[tauri::command]
pub async fn billing_audit(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
) -> Result<BillingAudit> {
    with_session(&state, move |s| {
        let period = period.validated()?;
        let audit = s
            .agency
            .store()
            .read(|c| audit_calls(c, &client_id, &period, &AuditOptions::at(Utc::now())))?;
        Ok(audit)
    })
    .await
}

/// Issues (or re-uses, see `export`) the client's invoice and writes it as CSV to `path`.
#[tauri::command]
pub async fn export_invoice_csv(
    state: State<'_, AppState>,
    request: ExportRequest,
    path: String,
) -> Result<ExportOutcome> {
    with_session(&state, move |s| {
        export::export_one(s.agency.store(), &request, &path, Utc::now())
    })
    .await
}

/// The save path the e2e test set (see [`E2E_SAVE_PATH_ENV`]); `null` in normal use.
#[tauri::command]
pub fn export_save_path_override() -> Option<String> {
    std::env::var(E2E_SAVE_PATH_ENV)
        .ok()
        .filter(|p| !p.trim().is_empty())
}

/// One client's chart as SVG text.
#[tauri::command]
pub async fn client_chart(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
    kind: ChartKind,
    bucket: Bucket,
) -> Result<String> {
    with_session(&state, move |s| {
        let request = ChartRequest {
            scope: ChartScope::Client(client_id),
            period,
            bucket,
            kind,
        };
        s.agency.store().read(|c| charts::chart_svg(c, &request))
    })
    .await
}

/// Every client's cost, billed amount and margin for `period`, with alerts.
#[tauri::command]
pub async fn agency_overview(
    state: State<'_, AppState>,
    period: Period,
    spend_alert_usd: Option<String>,
    chart: ChartKind,
) -> Result<AgencyOverview> {
    let spend_alert_usd = match spend_alert_usd.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(parse_threshold(text)?),
    };
    with_session(&state, move |s| {
        let request = OverviewRequest {
            period,
            spend_alert_usd,
            chart,
        };
        s.agency
            .store()
            .read(|c| overview::agency_overview(c, &request, Utc::now()))
    })
    .await
}

fn parse_threshold(text: &str) -> Result<Decimal> {
    match text.trim_start_matches('$').parse::<Decimal>() {
        Ok(value) if !value.is_sign_negative() => Ok(value),
        _ => Err(BillingCommandError::InvalidInput(format!(
            "The spend alert must be an amount in USD such as 250, not {text:?}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use ts_rs::TS;

    use super::*;

    /// Writes the billing types to `ui/src/lib/bindings/` (see `status.rs` for the base folder).
    #[test]
    fn export_bindings() {
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/core/bindings");
        let cfg = ts_rs::Config::new().with_out_dir(base);
        PlanState::export_all(&cfg).unwrap();
        ClientBilling::export_all(&cfg).unwrap();
        ExportRequest::export_all(&cfg).unwrap();
        ExportOutcome::export_all(&cfg).unwrap();
        AgencyOverview::export_all(&cfg).unwrap();
        let written = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../ui/src/lib/bindings/ClientBilling.ts"
        ))
        .unwrap();
        assert!(written.contains(r#"from "./InvoicePreview""#), "{written}");
    }

    #[test]
    fn spend_thresholds_are_dollar_amounts() {
        assert_eq!(parse_threshold("$250").unwrap(), Decimal::new(250, 0));
        assert_eq!(parse_threshold("99.5").unwrap(), Decimal::new(995, 1));
        assert!(parse_threshold("-1").is_err());
        assert!(parse_threshold("lots").is_err());
    }
}
