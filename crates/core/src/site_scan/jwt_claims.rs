//! The claims of a JWT found on a page, read without checking its signature: only to tell whose
//! token it is and what it allows. A forged token could claim anything, but claims only change
//! how loudly it is reported, and nothing is ever sent with it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

use crate::vapi::TokenRestrictions;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Claims {
    #[serde(default)]
    pub org_id: Option<String>,
    #[serde(default)]
    pub token: Option<TokenClaim>,
    #[serde(default)]
    pub exp: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct TokenClaim {
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub restrictions: Option<TokenRestrictions>,
}

/// The payload of `header.payload.signature`, when it is base64url JSON of Vapi's shape.
pub(super) fn read(jwt: &str) -> Option<Claims> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_vapi_claims_and_refuses_garbage() {
        let payload = URL_SAFE_NO_PAD.encode(
            br#"{"orgId":"o1","token":{"tag":"public","restrictions":{"allowedOrigins":["https://a.example"]}},"exp":5}"#,
        );
        let claims = read(&format!("eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln")).unwrap();
        assert_eq!(claims.org_id.as_deref(), Some("o1"));
        assert_eq!(claims.exp, Some(5));
        let token = claims.token.unwrap();
        assert_eq!(token.tag.as_deref(), Some("public"));
        assert!(token.restrictions.unwrap().allowed_origins.is_some());
        assert!(read("eyJhbGciOiJIUzI1NiJ9.!!!.c2ln").is_none());
        assert!(read("eyJhbGciOiJIUzI1NiJ9").is_none());
    }
}
