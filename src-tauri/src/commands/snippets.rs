//! Snippets for a client's site and test JWTs. The JWT is a short-lived PUBLIC credential (web
//! calls only, within the key's restrictions), made to be handed to a browser, so it may be
//! shown; the private key that signs it never leaves core.

use std::time::Duration;

use agencydesk_core::error::CoreError;
use agencydesk_core::jwt::{JwtTtl, MintedJwt};
use agencydesk_core::public_keys::SnippetChoice;
use agencydesk_core::snippets::{Snippet, SnippetKind};
use tauri::State;

use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

fn ttl(secs: Option<u64>) -> Result<JwtTtl, AppError> {
    secs.map_or(Ok(JwtTtl::default()), |s| {
        JwtTtl::new(Duration::from_secs(s)).map_err(|e| AppError::Core(CoreError::from(e)))
    })
}

#[ipc::command]
pub async fn generate_snippet(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
    assistant_id: String,
    kind: SnippetKind,
    site_origin: Option<String>,
    token_ttl_secs: Option<u64>,
) -> Result<Snippet, AppError> {
    let choice = SnippetChoice {
        kind,
        key_id: Some(key_id),
        assistant_id,
        site_origin: site_origin.filter(|s| !s.trim().is_empty()),
        token_ttl: ttl(token_ttl_secs)?,
        api_base_url: None,
    };
    let session = state.session().await?;
    Ok(session.agency.snippet(&org_id, &choice)?)
}

/// A test token with the key's websites, for one assistant.
#[ipc::command]
pub async fn mint_test_jwt(
    state: State<'_, AppState>,
    org_id: String,
    key_id: String,
    assistant_id: String,
    ttl_secs: Option<u64>,
) -> Result<MintedJwt, AppError> {
    let ttl = ttl(ttl_secs)?;
    let session = state.session().await?;
    Ok(session
        .agency
        .mint_test_jwt_for_key(&org_id, &key_id, &assistant_id, ttl)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lifetimes_outside_the_limits_are_refused_in_words() {
        assert_eq!(ttl(None).unwrap(), JwtTtl::default());
        assert_eq!(ttl(Some(120)).unwrap().as_secs(), 120);
        let err = ttl(Some(5)).unwrap_err();
        assert_eq!(err.code(), agencydesk_core::error::Code::InvalidInput);
        assert!(err.to_string().contains("at least"), "{err}");
        assert!(ttl(Some(10 * 3600)).is_err());
    }
}
