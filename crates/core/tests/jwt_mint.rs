//! Public JWT minting, checked by recomputing the HMAC independently of the code under test.

use std::time::Duration;

use agencydesk_core::jwt::{mint_public_jwt, JwtError, JwtTtl, MAX_JWT_TTL, MIN_JWT_TTL};
use agencydesk_core::keys::{KeyRestrictions, UnrestrictedOverride};
use agencydesk_core::sensitive::SecretKey;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{TimeZone, Utc};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

const PRIVATE: &str = "3f1c2b7a-9d40-4e8b-8a51-2c6f0e9d7b13";

fn restrictions() -> KeyRestrictions {
    KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .parse_origin("https://www.acme.com")
        .unwrap()
        .assistant("asst-1")
        .build()
        .unwrap()
}

fn decode(segment: &str) -> Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(segment).unwrap()).unwrap()
}

/// HMAC-SHA256 of `header.payload` with `key`, base64url: the JWT signature per RFC 7515.
fn expected_signature(key: &str, signing_input: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(signing_input.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

#[test]
fn token_is_a_valid_hs256_jwt_with_vapis_payload() {
    let now = Utc.with_ymd_and_hms(2025, 3, 1, 9, 30, 0).unwrap();
    let ttl = JwtTtl::new(Duration::from_secs(600)).unwrap();
    let key = SecretKey::new(PRIVATE.to_owned());
    let minted = mint_public_jwt("org-1", &key, &restrictions(), ttl, now).unwrap();

    let parts: Vec<&str> = minted.token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let signing_input = format!("{}.{}", parts[0], parts[1]);
    assert_eq!(parts[2], expected_signature(PRIVATE, &signing_input));
    assert_ne!(parts[2], expected_signature("another-key", &signing_input));

    assert_eq!(decode(parts[0]), json!({ "alg": "HS256", "typ": "JWT" }));
    let payload = decode(parts[1]);
    assert_eq!(
        payload,
        json!({
            "orgId": "org-1",
            "token": {
                "tag": "public",
                "restrictions": {
                    "enabled": true,
                    "allowedOrigins": ["https://acme.com", "https://www.acme.com"],
                    "allowedAssistantIds": ["asst-1"],
                    "allowTransientAssistant": false,
                },
            },
            "iat": now.timestamp(),
            "exp": now.timestamp() + 600,
        })
    );
    assert_eq!(minted.issued_at, now);
    assert_eq!(minted.expires_at.timestamp(), now.timestamp() + 600);
    assert!(!minted.token.contains(PRIVATE));
}

#[test]
fn sub_second_now_is_truncated_consistently() {
    let now = Utc.timestamp_opt(1_700_000_000, 987_000_000).unwrap();
    let minted = mint_public_jwt(
        "org-1",
        &SecretKey::new(PRIVATE.to_owned()),
        &restrictions(),
        JwtTtl::default(),
        now,
    )
    .unwrap();
    let payload = decode(minted.token.split('.').nth(1).unwrap());
    assert_eq!(payload["iat"], 1_700_000_000);
    assert_eq!(payload["exp"], 1_700_000_000 + 600);
    assert_eq!(minted.issued_at.timestamp_subsec_nanos(), 0);
}

#[test]
fn ttl_is_bounded() {
    assert_eq!(
        JwtTtl::new(Duration::from_secs(29)),
        Err(JwtError::TtlTooShort)
    );
    assert_eq!(
        JwtTtl::new(MAX_JWT_TTL + Duration::from_secs(1)),
        Err(JwtError::TtlTooLong)
    );
    assert!(JwtTtl::new(MIN_JWT_TTL).is_ok());
    assert!(JwtTtl::new(MAX_JWT_TTL).is_ok());
    assert_eq!(JwtTtl::default().as_secs(), 600);
}

#[test]
fn refuses_missing_inputs_and_disabled_restrictions() {
    let now = Utc::now();
    let key = SecretKey::new(PRIVATE.to_owned());
    let ttl = JwtTtl::default();
    assert_eq!(
        mint_public_jwt(" ", &key, &restrictions(), ttl, now),
        Err(JwtError::MissingOrgId)
    );
    assert_eq!(
        mint_public_jwt(
            "org-1",
            &SecretKey::new(String::new()),
            &restrictions(),
            ttl,
            now
        ),
        Err(JwtError::MissingPrivateKey)
    );
    let off = restrictions().with_enabled(false);
    assert_eq!(
        mint_public_jwt("org-1", &key, &off, ttl, now),
        Err(JwtError::RestrictionsDisabled)
    );
}

#[test]
fn unrestricted_override_is_carried_explicitly() {
    let consent = UnrestrictedOverride::new("testing on many staging hosts").unwrap();
    let open = KeyRestrictions::builder()
        .allow_any_origin(consent)
        .assistant("asst-1")
        .build()
        .unwrap();
    let minted = mint_public_jwt(
        "org-1",
        &SecretKey::new(PRIVATE.to_owned()),
        &open,
        JwtTtl::default(),
        Utc::now(),
    )
    .unwrap();
    let payload = decode(minted.token.split('.').nth(1).unwrap());
    let r = &payload["token"]["restrictions"];
    assert!(r.get("allowedOrigins").is_none());
    assert_eq!(r["allowTransientAssistant"], false);
}

#[test]
fn ttl_parses_human_durations() {
    assert_eq!("10m".parse::<JwtTtl>().map(JwtTtl::as_secs), Ok(600));
    assert_eq!("90s".parse::<JwtTtl>().map(JwtTtl::as_secs), Ok(90));
    assert_eq!(" 1h ".parse::<JwtTtl>().map(JwtTtl::as_secs), Ok(3600));
    assert_eq!("120".parse::<JwtTtl>().map(JwtTtl::as_secs), Ok(120));
    assert_eq!("2h".parse::<JwtTtl>(), Err(JwtError::TtlTooLong));
    assert_eq!("5s".parse::<JwtTtl>(), Err(JwtError::TtlTooShort));
    for bad in [
        "",
        "m",
        "10 minutes",
        "1.5h",
        "-10m",
        "99999999999999999999h",
    ] {
        assert_eq!(bad.parse::<JwtTtl>(), Err(JwtError::InvalidTtl), "{bad:?}");
    }
}
