//! The Settings screen: agency-wide settings and client Vapi addresses (thin wrappers over core's
//! `Agency`), and where the open agency keeps its data. Nothing here returns a secret.

use agencydesk_core::agency::{AgencySettings, SettingsUpdate};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use crate::dialogs;
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
