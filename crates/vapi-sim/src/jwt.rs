//! HS256 JWTs as Vapi accepts them: signed with one of the org's private
//! keys (the key string is the HMAC secret), payload
//! `{orgId, token: {tag, restrictions}, exp}`.
//!
//! Implemented with hmac + sha2 + base64 to keep the checks visible: the
//! header must say `HS256` (`none` and every other alg are refused), the
//! signature is compared in constant time and `exp` (seconds) must be in the
//! future when present.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::world::token::{Restrictions, Tag};

type HmacSha256 = Hmac<Sha256>;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JwtError {
    #[error("not a JWT (expected three base64url parts)")]
    Malformed,
    #[error("unsupported alg (only HS256)")]
    Alg,
    #[error("payload lacks orgId or token.tag")]
    Claims,
    #[error("invalid restrictions: {0:?}")]
    Restrictions(Vec<String>),
    #[error("bad signature")]
    Signature,
    #[error("expired")]
    Expired,
}

/// The parts of a JWT before its signature has been checked.
pub struct Unverified {
    pub org_id: String,
    pub tag: Tag,
    pub restrictions: Option<Restrictions>,
    pub exp: Option<f64>,
    signing_input: String,
    signature: Vec<u8>,
}

fn decode_json(part: &str) -> Result<Value, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

pub fn looks_like_jwt(s: &str) -> bool {
    s.split('.').count() == 3
}

/// Parses header and payload; checks the alg but not the signature.
pub fn parse(token: &str) -> Result<Unverified, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let header = decode_json(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Alg);
    }
    let payload = decode_json(p)?;
    let signature = URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .map_err(|_| JwtError::Malformed)?;
    let org_id = payload
        .get("orgId")
        .and_then(Value::as_str)
        .ok_or(JwtError::Claims)?
        .to_owned();
    let token_claim = payload.get("token").ok_or(JwtError::Claims)?;
    let tag = token_claim
        .get("tag")
        .and_then(Value::as_str)
        .and_then(Tag::parse)
        .ok_or(JwtError::Claims)?;
    let restrictions = match token_claim.get("restrictions") {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => {
            Some(Restrictions::from_json(o, "token.restrictions").map_err(JwtError::Restrictions)?)
        }
        Some(_) => return Err(JwtError::Restrictions(vec!["must be an object".into()])),
    };
    let exp = match payload.get("exp") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_f64().ok_or(JwtError::Claims)?),
    };
    Ok(Unverified {
        org_id,
        tag,
        restrictions,
        exp,
        signing_input: format!("{h}.{p}"),
        signature,
    })
}

fn mac(secret: &str, input: &str) -> Vec<u8> {
    // HMAC accepts keys of any length; new_from_slice cannot fail for it.
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mut m) => {
            m.update(input.as_bytes());
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

impl Unverified {
    /// Checks the signature against each candidate secret (the org's private
    /// keys), then `exp` against `now_s` (Unix seconds).
    pub fn verify<'a>(
        &self,
        secrets: impl IntoIterator<Item = &'a str>,
        now_s: i64,
    ) -> Result<(), JwtError> {
        let mut ok = subtle::Choice::from(0u8);
        for secret in secrets {
            let expected = mac(secret, &self.signing_input);
            ok |= expected.ct_eq(&self.signature);
        }
        if !bool::from(ok) {
            return Err(JwtError::Signature);
        }
        match self.exp {
            Some(exp) if exp <= now_s as f64 => Err(JwtError::Expired),
            _ => Ok(()),
        }
    }
}

/// Signs `payload` as an HS256 JWT. Used by tests and by clients of the
/// simulator that want to mint short-lived public JWTs.
pub fn sign_hs256(secret: &str, payload: &Value) -> String {
    sign_with_header(
        secret,
        &serde_json::json!({"alg": "HS256", "typ": "JWT"}),
        payload,
    )
}

/// Like [`sign_hs256`] with any header, to build refused tokens in tests.
pub fn sign_with_header(secret: &str, header: &Value, payload: &Value) -> String {
    let h = URL_SAFE_NO_PAD.encode(header.to_string());
    let p = URL_SAFE_NO_PAD.encode(payload.to_string());
    let input = format!("{h}.{p}");
    let s = URL_SAFE_NO_PAD.encode(mac(secret, &input));
    format!("{input}.{s}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(exp: i64) -> Value {
        json!({"orgId": "o1", "token": {"tag": "public"}, "exp": exp})
    }

    #[test]
    fn round_trip_and_refusals() {
        let t = sign_hs256("secret", &payload(2_000));
        let u = parse(&t).unwrap();
        assert_eq!(u.org_id, "o1");
        assert_eq!(u.tag, Tag::Public);
        assert_eq!(u.verify(["other", "secret"], 1_000), Ok(()));
        assert_eq!(u.verify(["other"], 1_000), Err(JwtError::Signature));
        assert_eq!(u.verify(["secret"], 2_000), Err(JwtError::Expired));
        let none = sign_with_header("secret", &json!({"alg": "none"}), &payload(2_000));
        assert_eq!(parse(&none).err(), Some(JwtError::Alg));
        assert_eq!(parse("a.b").err(), Some(JwtError::Malformed));
        assert_eq!(parse("!!.??.**").err(), Some(JwtError::Malformed));
    }
}
