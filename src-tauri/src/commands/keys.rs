//! Public keys of a client org and the key audit: thin wrappers over core's `Agency`. Nothing
//! here returns a private key; public keys are published in web pages by design.
//!
//! `max_key_age_days` is the rotation age the user set on the Key audit screen (`None`: core's
//! default), so the per-key findings and the audit agree.

use agencydesk_core::keys::{
    check_origin as check, AuditPolicy, Fix, OriginCheck, RestrictionsRequest,
};
use agencydesk_core::public_keys::{
    FixOutcome, IfInUse, KeyAuditReport, PublicKeyView, RotationStart,
};
use tauri::State;

use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

/// Longest rotation age accepted: ten years is already "never".
const MAX_ROTATION_AGE_DAYS: u32 = 3650;

pub(crate) fn policy(max_key_age_days: Option<u32>) -> Result<AuditPolicy, AppError> {
    let base = AuditPolicy::new(chrono::Utc::now());
    match max_key_age_days {
        None => Ok(base),
        Some(days @ 1..=MAX_ROTATION_AGE_DAYS) => Ok(AuditPolicy {
            max_key_age: chrono::Duration::days(i64::from(days)),
            ..base
        }),
        Some(_) => Err(AppError::Core(
            agencydesk_core::error::CoreError::InvalidInput(format!(
                "The rotation age must be between 1 and {MAX_ROTATION_AGE_DAYS} days."
            )),
        )),
    }
}

fn if_in_use(confirmed: bool) -> IfInUse {
    if confirmed {
        IfInUse::Proceed
    } else {
        IfInUse::Refuse
    }
}

/// The keys as last fetched (instant, works offline).
#[ipc::command]
pub async fn list_public_keys(
    state: State<'_, AppState>,
    org_id: String,
    max_key_age_days: Option<u32>,
) -> Result<Vec<PublicKeyView>, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .public_keys(&org_id, &policy(max_key_age_days)?)?)
}

/// Fetches the org's keys from Vapi, then lists them.
#[ipc::command]
pub async fn refresh_public_keys(
    state: State<'_, AppState>,
    org_id: String,
    max_key_age_days: Option<u32>,
) -> Result<Vec<PublicKeyView>, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .refresh_public_keys(&org_id, &policy(max_key_age_days)?)
        .await?)
}

#[ipc::command]
pub async fn create_public_key(
    state: State<'_, AppState>,
    org_id: String,
    name: String,
    restrictions: RestrictionsRequest,
) -> Result<PublicKeyView, AppError> {
    let built = restrictions
        .build()
        .map_err(agencydesk_core::error::CoreError::from)?;
    let session = state.session().await?;
    Ok(session
        .agency
        .create_public_key(&org_id, &name, &built, &policy(None)?)
        .await?)
}

#[ipc::command]
pub async fn update_public_key(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
    name: Option<String>,
    restrictions: RestrictionsRequest,
) -> Result<PublicKeyView, AppError> {
    let built = restrictions
        .build()
        .map_err(agencydesk_core::error::CoreError::from)?;
    let session = state.session().await?;
    Ok(session
        .agency
        .update_public_key(&org_id, &key_id, name.as_deref(), &built, &policy(None)?)
        .await?)
}

/// Turns a key on or off. Turning off the org's last working key needs `confirm_in_use`.
#[ipc::command]
pub async fn set_public_key_enabled(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
    enabled: bool,
    confirm_in_use: bool,
) -> Result<PublicKeyView, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .set_public_key_enabled(
            &org_id,
            &key_id,
            enabled,
            if_in_use(confirm_in_use),
            &policy(None)?,
        )
        .await?)
}

/// Deletes a key. A key still switched on needs `confirm_in_use`.
#[ipc::command]
pub async fn delete_public_key(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
    confirm_in_use: bool,
) -> Result<(), AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .delete_public_key(&org_id, &key_id, if_in_use(confirm_in_use))
        .await?)
}

#[ipc::command]
pub async fn start_key_rotation(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
) -> Result<RotationStart, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .start_key_rotation(&org_id, &key_id, &policy(None)?)
        .await?)
}

#[ipc::command]
pub async fn finish_key_rotation(
    state: State<'_, AppState>,
    org_id: String,
    old_key_id: String,
    new_key_id: String,
) -> Result<PublicKeyView, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .finish_key_rotation(&org_id, &old_key_id, &new_key_id, &policy(None)?)
        .await?)
}

#[ipc::command]
pub async fn audit_keys(
    state: State<'_, AppState>,
    max_key_age_days: Option<u32>,
) -> Result<KeyAuditReport, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .audit_keys(&policy(max_key_age_days)?)
        .await?)
}

/// Applies a finding's one-click fix, if a fresh audit of the key still offers it.
#[ipc::command]
pub async fn apply_key_fix(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
    fix: Fix,
    max_key_age_days: Option<u32>,
) -> Result<FixOutcome, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .apply_fix(&org_id, &key_id, &fix, &policy(max_key_age_days)?)
        .await?)
}

/// Checks an origin as the user types it; `listed` are the origins already in the form.
/// Needs no open agency: it only judges text.
#[ipc::command]
pub fn check_origin(text: String, listed: Vec<String>) -> OriginCheck {
    check(&text, &listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_age_is_bounded() {
        assert!(policy(None).is_ok());
        assert_eq!(
            policy(Some(30)).unwrap().max_key_age,
            chrono::Duration::days(30)
        );
        for bad in [0, MAX_ROTATION_AGE_DAYS + 1] {
            let err = policy(Some(bad)).unwrap_err();
            assert_eq!(err.code(), agencydesk_core::error::Code::InvalidInput);
        }
    }
}
