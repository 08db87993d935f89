//! A snippet never carries a private key, and warns in place about risky keys.

#[path = "snippets_support/mod.rs"]
mod support;

use agencydesk_core::keys::{normalize_origin, KeyRestrictions, UnrestrictedOverride};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::snippets::{generate, PrivateKeyGuard, SnippetError, SnippetKind};
use support::*;

fn guard() -> PrivateKeyGuard {
    PrivateKeyGuard::new([SecretKey::new(PRIVATE_KEY.to_owned()).fingerprint()])
}

#[test]
fn a_known_private_key_is_refused_as_the_public_key() {
    for kind in SnippetKind::ALL {
        let mut req = request(kind);
        req.public_key_value = Some(format!("  {PRIVATE_KEY}\n"));
        let err = generate(&req, &guard()).unwrap_err();
        assert_eq!(err, SnippetError::PrivateKeyRefused, "{kind}");
        assert!(!err.to_string().contains(PRIVATE_KEY));
    }
    // The same request with the real public key goes through.
    assert!(generate(&request(SnippetKind::WebSdk), &guard()).is_ok());
}

#[test]
fn a_private_key_smuggled_through_another_field_is_caught() {
    let mut req = request(SnippetKind::JwtPython);
    req.assistant_id = PRIVATE_KEY.to_owned();
    assert_eq!(
        generate(&req, &guard()),
        Err(SnippetError::PrivateKeyRefused)
    );
    let mut req = request(SnippetKind::ScriptTag);
    req.org_id = PRIVATE_KEY.to_owned();
    req.assistant_name = format!("Reception {PRIVATE_KEY}");
    assert_eq!(
        generate(&req, &guard()),
        Err(SnippetError::PrivateKeyRefused)
    );
}

#[test]
fn jwts_and_odd_values_are_not_public_keys() {
    let mut req = request(SnippetKind::ScriptTag);
    req.public_key_value = Some("eyJhbGciOiJIUzI1NiJ9.eyJvcmdJZCI6IngifQ.c2ln".to_owned());
    assert_eq!(generate(&req, &guard()), Err(SnippetError::JwtAsPublicKey));
    for bad in [
        "short",
        "has spaces in it",
        "quote\"inside-the-key",
        &"x".repeat(200),
    ] {
        req.public_key_value = Some(bad.to_owned());
        assert_eq!(
            generate(&req, &guard()),
            Err(SnippetError::MalformedPublicKey),
            "{bad}"
        );
    }
    req.public_key_value = None;
    assert_eq!(
        generate(&req, &guard()),
        Err(SnippetError::MissingPublicKey)
    );
}

#[test]
fn ids_and_base_url_are_validated() {
    let mut req = request(SnippetKind::WebSdk);
    req.assistant_id = "Receptionist (main)".to_owned();
    assert!(matches!(
        generate(&req, &guard()),
        Err(SnippetError::InvalidValue { .. })
    ));
    let mut req = request(SnippetKind::JwtNode);
    req.org_id = String::new();
    assert!(matches!(
        generate(&req, &guard()),
        Err(SnippetError::InvalidValue { .. })
    ));
    for bad in [
        "ftp://api.example",
        "not a url",
        "https://u:p@api.example",
        "https://api.example/?x=1",
    ] {
        let mut req = request(SnippetKind::WebSdk);
        req.api_base_url = Some(bad.to_owned());
        assert!(
            matches!(
                generate(&req, &guard()),
                Err(SnippetError::InvalidBaseUrl { .. })
            ),
            "{bad}"
        );
    }
    assert_eq!(
        "jwt-python".parse::<SnippetKind>(),
        Ok(SnippetKind::JwtPython)
    );
    assert!("jwt".parse::<SnippetKind>().is_err());
}

#[test]
fn well_restricted_key_for_its_site_has_no_warnings() {
    for kind in SnippetKind::ALL {
        let snippet = generate(&request(kind), &guard()).unwrap();
        assert!(
            snippet.warnings.is_empty(),
            "{kind}: {:?}",
            snippet.warnings
        );
        assert!(!snippet.code.contains("WARNING"), "{kind}");
    }
}

#[test]
fn a_key_that_does_not_allow_the_site_warns_in_place() {
    for kind in [
        SnippetKind::ScriptTag,
        SnippetKind::WebSdk,
        SnippetKind::JwtPython,
        SnippetKind::Proxy,
    ] {
        let mut req = request(kind);
        req.site_origin = Some(normalize_origin("https://acme-dental.co.uk").unwrap());
        let snippet = generate(&req, &guard()).unwrap();
        assert_eq!(snippet.warnings.len(), 1, "{kind}: {:?}", snippet.warnings);
        assert!(snippet.warnings[0].contains("https://acme-dental.co.uk"));
        assert!(snippet.code.contains("WARNING:"), "{kind}");
        assert!(snippet.code.contains("https://acme-dental.co.uk"), "{kind}");
    }
}

#[test]
fn missing_www_twin_of_the_site_is_warned() {
    let mut req = request(SnippetKind::WebSdk);
    req.restrictions = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .assistant(ASSISTANT_ID)
        .build()
        .unwrap();
    let snippet = generate(&req, &guard()).unwrap();
    assert_eq!(snippet.warnings.len(), 1, "{:?}", snippet.warnings);
    assert!(snippet.warnings[0].starts_with("https://www.acme.com is not allowed"));
}

#[test]
fn unrestricted_keys_warn_about_every_freedom() {
    let consent = || UnrestrictedOverride::new("shared demo key for the sales team").unwrap();
    let open = KeyRestrictions::builder()
        .allow_any_origin(consent())
        .allow_any_assistant(consent())
        .allow_transient_assistants(consent())
        .build()
        .unwrap();
    let mut req = request(SnippetKind::React);
    req.restrictions = open.clone();
    let snippet = generate(&req, &guard()).unwrap();
    let all = snippet.warnings.join("\n");
    assert_eq!(snippet.warnings.len(), 3, "{all}");
    assert!(all.contains("anyone who copies the key"));
    assert!(all.contains("any assistant"));
    assert!(all.contains("Transient assistants are allowed"));
    assert_eq!(snippet.code.matches("// WARNING:").count(), 3);
    check_syntax(&snippet).unwrap();

    let mut proxy = request(SnippetKind::Proxy);
    proxy.restrictions = open;
    let snippet = generate(&proxy, &guard()).unwrap();
    assert_eq!(snippet.warnings.len(), 1, "{:?}", snippet.warnings);
    assert!(snippet.warnings[0].contains("ALLOWED_ORIGINS"));
    assert!(snippet.code.contains("const ALLOWED_ORIGINS = [];"));
}

#[test]
fn a_key_that_may_not_start_the_assistant_or_is_off_warns() {
    let mut req = request(SnippetKind::WebSdk);
    req.assistant_id = "asst-other".to_owned();
    req.assistant_name = "After-hours".to_owned();
    req.restrictions = restrictions().with_enabled(false);
    let snippet = generate(&req, &guard()).unwrap();
    assert_eq!(snippet.warnings.len(), 2, "{:?}", snippet.warnings);
    assert!(snippet.warnings[0].starts_with("This key is turned off"));
    assert!(snippet.warnings[1].starts_with("This key may not start After-hours"));
}

#[test]
fn snippet_serialises_for_the_ui() {
    let snippet = generate(&request(SnippetKind::JwtWorker), &guard()).unwrap();
    let json = serde_json::to_value(&snippet).unwrap();
    assert_eq!(json["kind"], "jwt-worker");
    assert_eq!(json["language"], "javascript");
    assert_eq!(json["filenameHint"], "worker.js");
    assert_eq!(json["companions"][0]["filenameHint"], "vapi-call.js");
}
