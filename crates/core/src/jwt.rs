//! Short-lived public JWTs for web calls, signed with the org's private key (HS256).
//!
//! A public JWT does what a public key does (start web calls within its restrictions) but
//! expires, so one copied out of a page stops working within minutes. Built by hand from
//! hmac + sha2 + base64: the format is three base64url segments and one HMAC, which is less code
//! to audit than a general JWT library and its crypto backend features.
//!
//! Payload, as Vapi documents it: `{"orgId", "token": {"tag": "public", "restrictions"}, "iat",
//! "exp"}`.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, SubsecRound, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use thiserror::Error;
use ts_rs::TS;

use crate::error::CoreError;
use crate::keys::wire::TokenRestrictions;
use crate::keys::KeyRestrictions;
use crate::sensitive::SecretKey;

/// Shortest lifetime: page load, the token request and the call request must fit, with room for
/// a few seconds of clock difference between this machine and Vapi.
pub const MIN_JWT_TTL: Duration = Duration::from_secs(30);
/// Longest lifetime: a minted token cannot be revoked (there is no key to disable), so its
/// lifetime is how long a copied token stays useful. A call starts right after the token is
/// fetched, so an hour is already generous; the snippets use ten minutes.
pub const MAX_JWT_TTL: Duration = Duration::from_secs(60 * 60);
/// What the JWT-mode snippets and the "mint a test JWT" action use unless told otherwise.
pub const DEFAULT_JWT_TTL: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum JwtError {
    #[error("A token must live at least {} seconds, or it may expire before the call starts", MIN_JWT_TTL.as_secs())]
    TtlTooShort,
    #[error("A token may live at most {} minutes: a minted token cannot be revoked, so a long life means a long exposure if it is copied", MAX_JWT_TTL.as_secs() / 60)]
    TtlTooLong,
    #[error("Write the lifetime as seconds, minutes or hours, e.g. 90s, 10m or 1h")]
    InvalidTtl,
    #[error("The organisation id is missing")]
    MissingOrgId,
    #[error("No private key is available for this organisation: connect it first")]
    MissingPrivateKey,
    #[error("These restrictions are turned off: a token made from them could not start calls")]
    RestrictionsDisabled,
    #[error("internal error: could not encode the token")]
    Encoding,
}

/// Every token refusal is something the user can act on, so the UI gets it as invalid input with
/// the message above.
impl From<JwtError> for CoreError {
    fn from(error: JwtError) -> Self {
        CoreError::InvalidInput(error.to_string())
    }
}

/// A validated token lifetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwtTtl(Duration);

impl JwtTtl {
    pub fn new(ttl: Duration) -> Result<Self, JwtError> {
        if ttl < MIN_JWT_TTL {
            Err(JwtError::TtlTooShort)
        } else if ttl > MAX_JWT_TTL {
            Err(JwtError::TtlTooLong)
        } else {
            Ok(Self(ttl))
        }
    }

    pub fn as_duration(self) -> Duration {
        self.0
    }

    pub fn as_secs(self) -> u64 {
        self.0.as_secs()
    }
}

/// Reads "90s", "10m", "1h" or a plain number of seconds (for `agencydesk jwt mint --ttl`).
impl std::str::FromStr for JwtTtl {
    type Err = JwtError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
            Some(i) => s.split_at(i),
            None => (s, "s"),
        };
        let multiplier = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => return Err(JwtError::InvalidTtl),
        };
        let secs = digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(multiplier))
            .ok_or(JwtError::InvalidTtl)?;
        Self::new(Duration::from_secs(secs))
    }
}

impl Default for JwtTtl {
    fn default() -> Self {
        Self(DEFAULT_JWT_TTL)
    }
}

/// A minted token. The token is a bearer credential for web calls only, meant to be handed to a
/// browser, so unlike a private key it may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct MintedJwt {
    pub token: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Header {
    alg: &'static str,
    typ: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Payload<'a> {
    org_id: &'a str,
    token: TokenClaim,
    iat: i64,
    exp: i64,
}

#[derive(Serialize)]
struct TokenClaim {
    tag: &'static str,
    restrictions: TokenRestrictions,
}

/// Mints a public JWT valid from `now` for `ttl`, carrying `restrictions` (sent with every
/// field explicit, so no Vapi default widens them).
pub fn mint_public_jwt(
    org_id: &str,
    private_key: &SecretKey,
    restrictions: &KeyRestrictions,
    ttl: JwtTtl,
    now: DateTime<Utc>,
) -> Result<MintedJwt, JwtError> {
    let org_id = org_id.trim();
    if org_id.is_empty() {
        return Err(JwtError::MissingOrgId);
    }
    if private_key.expose().trim().is_empty() {
        return Err(JwtError::MissingPrivateKey);
    }
    if !restrictions.enabled() {
        return Err(JwtError::RestrictionsDisabled);
    }
    // JWT times are whole seconds; keep the reported times equal to the claims.
    let now = now.trunc_subsecs(0);
    let lifetime =
        chrono::Duration::from_std(ttl.as_duration()).map_err(|_| JwtError::TtlTooLong)?;
    let expires_at = now + lifetime;
    let payload = Payload {
        org_id,
        token: TokenClaim {
            tag: "public",
            restrictions: restrictions.to_wire(),
        },
        iat: now.timestamp(),
        exp: expires_at.timestamp(),
    };
    let header = serde_json::to_vec(&Header {
        alg: "HS256",
        typ: "JWT",
    })
    .map_err(|_| JwtError::Encoding)?;
    let payload = serde_json::to_vec(&payload).map_err(|_| JwtError::Encoding)?;
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(private_key.expose().as_bytes())
        .map_err(|_| JwtError::Encoding)?;
    mac.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    Ok(MintedJwt {
        token: format!("{signing_input}.{signature}"),
        issued_at: now,
        expires_at,
    })
}
