//! Client orgs of the open agency. A private key arrives once, in `link_client` or
//! `link_agency`, already wrapped in `SecretKey` by deserialization; no command returns a key
//! (views carry only a fingerprint). A Vapi address other than Vapi's or this machine's is
//! trusted only through the native dialog `dialogs::confirmer` raises, never by an argument.

use agencydesk_core::agency::{BillingLimits, ClientOrgView};
use agencydesk_core::sensitive::SecretKey;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs;
use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

#[ipc::command]
pub async fn list_clients(state: State<'_, AppState>) -> Result<Vec<ClientOrgView>, AppError> {
    Ok(state.session().await?.agency.list_clients()?)
}

#[ipc::command]
pub async fn link_client<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    base_url: String,
    #[ts(type = "string")] key: SecretKey,
) -> Result<ClientOrgView, AppError> {
    let session = state.session().await?;
    let confirmer = dialogs::confirmer(&app);
    Ok(session
        .agency
        .link_client(Some(&base_url), key, &confirmer)
        .await?)
}

/// Links the agency's own org, whose key creates new client orgs (`create_client_org`).
#[ipc::command]
pub async fn link_agency<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    base_url: String,
    #[ts(type = "string")] key: SecretKey,
) -> Result<ClientOrgView, AppError> {
    let session = state.session().await?;
    let confirmer = dialogs::confirmer(&app);
    Ok(session
        .agency
        .link_agency(Some(&base_url), key, &confirmer)
        .await?)
}

/// The new org lives at the agency org's stored address: the page cannot choose another.
#[ipc::command]
pub async fn create_client_org(
    state: State<'_, AppState>,
    name: String,
) -> Result<ClientOrgView, AppError> {
    let session = state.session().await?;
    Ok(session.agency.create_client_org(&name).await?)
}

#[ipc::command]
pub async fn refresh_client(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<ClientOrgView, AppError> {
    let session = state.session().await?;
    Ok(session.agency.refresh_client(&client_id).await?)
}

#[ipc::command]
pub async fn unlink_client(state: State<'_, AppState>, client_id: String) -> Result<(), AppError> {
    let session = state.session().await?;
    Ok(session.agency.unlink_client(&client_id).await?)
}

/// The org's billing limit and subscription facts, asked of Vapi now.
#[ipc::command]
pub async fn get_billing_limits(
    state: State<'_, AppState>,
    client_id: String,
) -> Result<BillingLimits, AppError> {
    let session = state.session().await?;
    Ok(session.agency.billing_limits(&client_id).await?)
}

/// `amount` is the text typed (USD a month); core checks it as Vapi does before sending it.
#[ipc::command]
pub async fn set_billing_limit(
    state: State<'_, AppState>,
    client_id: String,
    amount: String,
) -> Result<BillingLimits, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .set_billing_limit(&client_id, &amount)
        .await?)
}
