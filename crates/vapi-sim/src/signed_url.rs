//! Short-lived storage URLs, as the 302s of `/call/{id}/...-recording` and `/call-logs` point
//! to: the path and expiry signed with a secret only this simulator holds, so an expired or
//! edited URL is refused, as a real presigned storage URL is.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::time::Millis;

type HmacSha256 = Hmac<Sha256>;

/// How long a signed URL opens, in seconds.
pub const TTL_SECS: i64 = 300;

fn signature(secret: &[u8], path: &str, expires: i64) -> Option<Vec<u8>> {
    let mut mac = HmacSha256::new_from_slice(secret).ok()?;
    mac.update(path.as_bytes());
    mac.update(b"\n");
    mac.update(expires.to_string().as_bytes());
    Some(mac.finalize().into_bytes().to_vec())
}

/// The query string (`Expires=..&Signature=..`) that opens `path` until `now + TTL_SECS`.
pub fn sign(secret: &[u8], path: &str, now_ms: Millis) -> String {
    let expires = now_ms.div_euclid(1000) + TTL_SECS;
    let sig = signature(secret, path, expires).unwrap_or_default();
    format!(
        "Expires={expires}&Signature={}",
        URL_SAFE_NO_PAD.encode(sig)
    )
}

#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    Expired,
    BadSignature,
}

pub fn verify(
    secret: &[u8],
    path: &str,
    expires: Option<&str>,
    sig: Option<&str>,
    now_ms: Millis,
) -> Result<(), Refusal> {
    let expires: i64 = expires
        .and_then(|e| e.parse().ok())
        .ok_or(Refusal::BadSignature)?;
    let given = sig
        .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
        .ok_or(Refusal::BadSignature)?;
    let want = signature(secret, path, expires).ok_or(Refusal::BadSignature)?;
    if !bool::from(want.ct_eq(&given)) {
        return Err(Refusal::BadSignature);
    }
    if now_ms.div_euclid(1000) > expires {
        return Err(Refusal::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_url_opens_until_it_expires_and_only_for_its_path() {
        let secret = b"0123456789abcdef";
        let q = sign(secret, "/storage/a", 1_000_000);
        let parts: Vec<&str> = q.split('&').map(|p| p.split_once('=').unwrap().1).collect();
        let (exp, sig) = (Some(parts[0]), Some(parts[1]));
        assert_eq!(verify(secret, "/storage/a", exp, sig, 1_000_000), Ok(()));
        assert_eq!(
            verify(secret, "/storage/b", exp, sig, 1_000_000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(secret, "/storage/a", Some("999999999"), sig, 1_000_000),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(
                secret,
                "/storage/a",
                exp,
                sig,
                1_000_000 + (TTL_SECS + 1) * 1000
            ),
            Err(Refusal::Expired)
        );
        assert_eq!(
            verify(b"another secret!!", "/storage/a", exp, sig, 1_000_000),
            Err(Refusal::BadSignature)
        );
    }
}
