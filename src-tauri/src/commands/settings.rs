//! The Settings screen: agency-wide settings and client Vapi addresses (thin wrappers over core's
//! `Agency`), and where the open agency keeps its data. Nothing here returns a secret.

use agencydesk_core::agency::{AgencyDetailsView, AgencySettings, SettingsUpdate};
use agencydesk_core::billing::ExportOptions;
use agencydesk_core::store::agency_profile::AgencyDetails;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::background_sync::BackgroundSyncStatus;
use crate::dialogs::{self, OpenRequest};
use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;
use crate::status::SessionMode;

/// Read-only facts about the open agency, for the Settings screen's Data section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct EnvironmentInfo {
    pub mode: SessionMode,
    /// The folder holding agencydesk.sqlite; `null` for an in-memory database.
    pub data_folder: Option<String>,
    /// Where keys are kept, e.g. "Secret Service" (its name only).
    pub keychain: String,
}

#[ipc::command]
pub async fn get_settings(state: State<'_, AppState>) -> Result<AgencySettings, AppError> {
    Ok(state.session().await?.agency.settings()?)
}

#[ipc::command]
pub async fn update_settings(
    state: State<'_, AppState>,
    update: SettingsUpdate,
) -> Result<AgencySettings, AppError> {
    Ok(state.session().await?.agency.update_settings(&update)?)
}

/// Saves the minutes between background syncs (5 to 1440); the next tick uses them.
#[ipc::command]
pub async fn set_background_sync_minutes(
    state: State<'_, AppState>,
    minutes: u32,
) -> Result<AgencySettings, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .set_background_sync_minutes(minutes)?)
}

/// The background sync's interval, last run and current failure, for the sidebar.
#[ipc::command]
pub async fn background_sync_status(
    state: State<'_, AppState>,
) -> Result<BackgroundSyncStatus, AppError> {
    let session = state.session().await?;
    Ok(state.background.status(&session.agency)?)
}

/// Returns the address as stored (trimmed, without a trailing slash). A host other than Vapi's
/// or this machine's, not yet trusted for the org, is put to the owner in a native dialog.
#[ipc::command]
pub async fn set_client_base_url<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    org_id: String,
    base_url: String,
) -> Result<String, AppError> {
    let session = state.session().await?;
    let confirmer = dialogs::confirmer(&app);
    Ok(session
        .agency
        .set_client_base_url(&org_id, &base_url, &confirmer)
        .await?)
}

/// The QuickBooks and Xero files' options: date formats, Xero account code and tax types, due
/// days.
#[ipc::command]
pub async fn get_export_options(state: State<'_, AppState>) -> Result<ExportOptions, AppError> {
    Ok(state.session().await?.agency.export_options()?)
}

#[ipc::command]
pub async fn update_export_options(
    state: State<'_, AppState>,
    options: ExportOptions,
) -> Result<ExportOptions, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .update_export_options(&options)?)
}

/// What invoices print about the agency: name, address, email, tax ID, logo, payment terms and
/// details, invoice number prefix.
#[ipc::command]
pub async fn get_agency_details(state: State<'_, AppState>) -> Result<AgencyDetailsView, AppError> {
    Ok(state.session().await?.agency.agency_details()?)
}

#[ipc::command]
pub async fn update_agency_details(
    state: State<'_, AppState>,
    name: String,
    details: AgencyDetails,
) -> Result<AgencyDetailsView, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .update_agency_details(&name, &details)?)
}

/// Asks for a PNG or SVG in the native open dialog (opened here: the page never names a path)
/// and keeps a copy as the logo. `null` when the dialog was cancelled: nothing changed.
#[ipc::command]
pub async fn choose_agency_logo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<AgencyDetailsView>, AppError> {
    let session = state.session().await?;
    let open = OpenRequest {
        title: "Choose your logo",
        filter_name: "PNG or SVG image",
        extensions: &["png", "svg"],
    };
    let Some(path) = dialogs::choose_open_path(&app, open).await? else {
        return Ok(None);
    };
    Ok(Some(session.agency.set_agency_logo(path).await?))
}

#[ipc::command]
pub async fn remove_agency_logo(state: State<'_, AppState>) -> Result<AgencyDetailsView, AppError> {
    Ok(state.session().await?.agency.remove_agency_logo()?)
}

#[ipc::command]
pub async fn get_environment_info(state: State<'_, AppState>) -> Result<EnvironmentInfo, AppError> {
    let session = state.session().await?;
    let data_folder = session
        .agency
        .store()
        .path()
        .and_then(|db| db.parent())
        .map(|dir| dir.display().to_string());
    Ok(EnvironmentInfo {
        mode: session.mode,
        data_folder,
        keychain: session.agency.keychain_description().to_owned(),
    })
}
