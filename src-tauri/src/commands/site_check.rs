//! The site exposure scan of a client org: its site URLs and the scan, thin wrappers over core.
//! The scan sends no key anywhere (core's own keyless client), so the window choosing the URLs
//! to fetch chooses nothing a key could follow; findings carry keys as fingerprints only.

use agencydesk_core::site_scan::{SiteScanReport, SiteUrls};
use tauri::State;

use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

/// The client's site URLs (stored, or the origins its public keys allow).
#[ipc::command]
pub async fn get_site_urls(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<SiteUrls, AppError> {
    Ok(state.session().await?.agency.site_urls(&org_id)?)
}

#[ipc::command]
pub async fn add_site_url(
    state: State<'_, AppState>,
    org_id: String,
    url: String,
) -> Result<SiteUrls, AppError> {
    Ok(state.session().await?.agency.add_site_url(&org_id, &url)?)
}

#[ipc::command]
pub async fn remove_site_url(
    state: State<'_, AppState>,
    org_id: String,
    url: String,
) -> Result<SiteUrls, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .remove_site_url(&org_id, &url)?)
}

/// Scans every site URL of the client; the report becomes its last site check.
#[ipc::command]
pub async fn scan_client_sites(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<SiteScanReport, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .scan_client_sites(&org_id)
        .await?)
}

#[ipc::command]
pub async fn last_site_scan(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<Option<SiteScanReport>, AppError> {
    Ok(state.session().await?.agency.last_site_scan(&org_id)?)
}
