//! Billing commands: pricing plans, invoice previews with the billing audit, CSV exports, charts
//! and the agency overview. Each is a one-line wrapper over an `Agency` method in core.

use agencydesk_core::billing::{
    AgencyOverview, BillingAudit, ClientBilling, ExportFormat, ExportOutcome, ExportRequest,
    Period, PlanForm, PlanIssue, PlanState,
};
use agencydesk_core::charts::{Bucket, ChartKind};
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::{self, SaveRequest};
use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

type Result<T> = std::result::Result<T, AppError>;

/// The client's plan for the editor; a suggested start (`saved: false`) when there is none.
#[ipc::command]
pub async fn get_pricing_plan(state: State<'_, AppState>, client_id: String) -> Result<PlanState> {
    Ok(state
        .session()
        .await?
        .agency
        .pricing_plan(&client_id)
        .await?)
}

/// Every problem of the form, for messages beside the fields while the person types.
#[ipc::command]
pub fn check_pricing_plan(form: PlanForm) -> Vec<PlanIssue> {
    form.issues()
}

#[ipc::command]
pub async fn save_pricing_plan(
    state: State<'_, AppState>,
    client_id: String,
    form: PlanForm,
) -> Result<PlanState> {
    Ok(state
        .session()
        .await?
        .agency
        .save_pricing_plan(&client_id, form)
        .await?)
}

/// The invoice preview (lines, subtotal, tax, total; Vapi cost and margin for the owner), the
/// billing audit and the invoice already issued for the period.
#[ipc::command]
pub async fn invoice_preview(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
) -> Result<ClientBilling> {
    Ok(state
        .session()
        .await?
        .agency
        .invoice_preview(&client_id, period)
        .await?)
}

#[ipc::command]
pub async fn billing_audit(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
) -> Result<BillingAudit> {
    Ok(state
        .session()
        .await?
        .agency
        .billing_audit(&client_id, period)
        .await?)
}

/// Asks where to save in the native save dialog (opened here, so the page never names a path;
/// it only suggests a file name), then issues (or re-uses) the client's invoice and writes it
/// there as CSV. `null` when the dialog was cancelled: nothing issued, nothing written.
#[ipc::command]
pub async fn export_invoice_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ExportRequest,
    suggested_name: String,
) -> Result<Option<ExportOutcome>> {
    let session = state.session().await?;
    let save = SaveRequest {
        title: "Export invoice as CSV",
        suggested_name: &suggested_name,
        filter_name: "CSV file",
        extensions: &["csv"],
    };
    let Some(path) = dialogs::choose_save_path(&app, save).await? else {
        return Ok(None);
    };
    let path = path.display().to_string();
    Ok(Some(
        session.agency.export_invoice_file(request, path).await?,
    ))
}

/// As [`export_invoice_csv`], as a PDF for the client with the agency's letterhead; the request's
/// format is PDF whatever the page sent.
#[ipc::command]
pub async fn export_invoice_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: ExportRequest,
    suggested_name: String,
) -> Result<Option<ExportOutcome>> {
    let session = state.session().await?;
    let save = SaveRequest {
        title: "Save invoice as PDF",
        suggested_name: &suggested_name,
        filter_name: "PDF document",
        extensions: &["pdf"],
    };
    let Some(path) = dialogs::choose_save_path(&app, save).await? else {
        return Ok(None);
    };
    let request = ExportRequest {
        format: ExportFormat::Pdf,
        ..request
    };
    let path = path.display().to_string();
    Ok(Some(
        session.agency.export_invoice_file(request, path).await?,
    ))
}

/// Asks where to save (native dialog), then writes the client's monthly report there as PDF:
/// calls, outcomes, busiest times, assistants; never a cost or a margin. `null` when cancelled.
#[ipc::command]
pub async fn save_client_report<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    client_id: String,
    month: Period,
    suggested_name: String,
) -> Result<Option<String>> {
    let session = state.session().await?;
    let save = SaveRequest {
        title: "Save the client report as PDF",
        suggested_name: &suggested_name,
        filter_name: "PDF document",
        extensions: &["pdf"],
    };
    let Some(path) = dialogs::choose_save_path(&app, save).await? else {
        return Ok(None);
    };
    let written = session
        .agency
        .write_client_report(&client_id, month, path)
        .await?;
    Ok(Some(written.display().to_string()))
}

/// One client's chart as SVG text.
#[ipc::command]
pub async fn client_chart(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
    kind: ChartKind,
    bucket: Bucket,
) -> Result<String> {
    Ok(state
        .session()
        .await?
        .agency
        .client_chart(&client_id, period, kind, bucket)
        .await?)
}

/// Every client's cost, billed amount and margin for `period`, with alerts.
#[ipc::command]
pub async fn agency_overview(
    state: State<'_, AppState>,
    period: Period,
    chart: ChartKind,
) -> Result<AgencyOverview> {
    Ok(state
        .session()
        .await?
        .agency
        .agency_overview(period, chart)
        .await?)
}
