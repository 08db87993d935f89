//! Restrictions: safe defaults, overrides, plain-words descriptions and the wire form.

use std::collections::HashMap;

use agencydesk_core::keys::wire::TokenRestrictions;
use agencydesk_core::keys::{
    normalize_origin, AssistantScope, KeyRestrictions, OriginScope, OverrideScope,
    RestrictionsError, UnrestrictedOverride,
};

fn names() -> HashMap<String, String> {
    HashMap::from([
        ("asst-1".to_owned(), "Receptionist".to_owned()),
        ("asst-2".to_owned(), "After-hours Booking".to_owned()),
    ])
}

fn consent() -> UnrestrictedOverride {
    UnrestrictedOverride::new("internal demo page used from many hosts").unwrap()
}

fn safe_key() -> KeyRestrictions {
    KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .parse_origin("https://www.acme.com/")
        .unwrap()
        .assistants(["asst-1", "asst-2"])
        .build()
        .unwrap()
}

#[test]
fn defaults_require_origins_and_assistants() {
    let no_origins = KeyRestrictions::builder().assistant("asst-1").build();
    assert_eq!(no_origins, Err(RestrictionsError::NoOrigins));
    let no_assistants = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .build();
    assert_eq!(no_assistants, Err(RestrictionsError::NoAssistants));
}

#[test]
fn safe_key_refuses_transient_and_lists_everything() {
    let key = safe_key();
    assert!(key.enabled());
    assert!(!key.allow_transient());
    assert_eq!(key.origin_list().len(), 2);
    assert!(key.acknowledgements().is_empty());
    assert_eq!(
        key.describe(&names()),
        "Only https://acme.com and https://www.acme.com may start Receptionist or After-hours \
         Booking. Transient assistants are refused."
    );
    assert!(key.summary(&names()).warnings.is_empty());
}

#[test]
fn wire_form_is_fully_explicit() {
    let wire = safe_key().to_wire();
    assert_eq!(
        serde_json::to_value(&wire).unwrap(),
        serde_json::json!({
            "enabled": true,
            "allowedOrigins": ["https://acme.com", "https://www.acme.com"],
            "allowedAssistantIds": ["asst-1", "asst-2"],
            "allowTransientAssistant": false,
        })
    );
}

#[test]
fn duplicates_collapse_and_ids_are_trimmed() {
    let key = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .parse_origin("HTTPS://ACME.COM:443/")
        .unwrap()
        .assistants([" asst-1 ", "asst-1"])
        .build()
        .unwrap();
    assert_eq!(key.origin_list().len(), 1);
    assert_eq!(
        *key.assistants(),
        AssistantScope::Only(vec!["asst-1".to_owned()])
    );
}

#[test]
fn bad_input_is_refused_with_reasons() {
    let err = KeyRestrictions::builder()
        .parse_origin("https://acme.com/contact")
        .unwrap_err();
    assert!(err.to_string().starts_with("Remove the path"), "{err}");
    let err = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .assistant("two words")
        .build()
        .unwrap_err();
    assert!(matches!(err, RestrictionsError::InvalidAssistantId { .. }));
    assert_eq!(
        UnrestrictedOverride::new("   ok   "),
        Err(RestrictionsError::ReasonTooShort)
    );
}

#[test]
fn unrestricted_needs_explicit_override_and_records_reason() {
    let key = KeyRestrictions::builder()
        .allow_any_origin(consent())
        .allow_any_assistant(consent())
        .allow_transient_assistants(consent())
        .build()
        .unwrap();
    assert_eq!(*key.origins(), OriginScope::Any);
    assert_eq!(*key.assistants(), AssistantScope::Any);
    assert!(key.allow_transient());
    let scopes: Vec<OverrideScope> = key.acknowledgements().iter().map(|a| a.scope).collect();
    assert_eq!(
        scopes,
        [
            OverrideScope::AnyOrigin,
            OverrideScope::AnyAssistant,
            OverrideScope::TransientAssistants
        ]
    );
    assert_eq!(
        key.acknowledgements()[0].reason,
        "internal demo page used from many hosts"
    );
    let summary = key.summary(&names());
    assert_eq!(
        summary.sentence,
        "Any website may start any of this organisation's assistants. Transient assistants are allowed."
    );
    assert_eq!(summary.warnings.len(), 3, "{:?}", summary.warnings);
    let wire = key.to_wire();
    assert_eq!(wire.allowed_origins, None);
    assert_eq!(wire.allowed_assistant_ids, None);
    assert_eq!(wire.allow_transient_assistant, Some(true));
}

#[test]
fn contradictory_choices_are_refused() {
    let both = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .allow_any_origin(consent())
        .assistant("asst-1")
        .build();
    assert_eq!(both, Err(RestrictionsError::OriginsAndAnyOrigin));
    let transient_with_ids = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .assistant("asst-1")
        .allow_transient_assistants(consent())
        .build();
    assert_eq!(
        transient_with_ids,
        Err(RestrictionsError::TransientNeedsAnyAssistant)
    );
}

#[test]
fn disabled_key_is_described_as_off() {
    let key = safe_key().with_enabled(false);
    let sentence = key.describe(&names());
    assert!(sentence.starts_with("This key is turned off"), "{sentence}");
    assert!(sentence.contains("https://www.acme.com"));
    assert_eq!(key.to_wire().enabled, Some(false));
}

#[test]
fn unknown_assistant_ids_are_shown_as_ids() {
    let key = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .assistants(["asst-1", "asst-x", "asst-2"])
        .build()
        .unwrap();
    let sentence = key.describe(&names());
    assert!(
        sentence.contains("Receptionist, asst-x or After-hours Booking"),
        "{sentence}"
    );
    // The www twin is missing: that shows up as a warning.
    assert_eq!(key.summary(&names()).warnings.len(), 1);
}

#[test]
fn from_wire_applies_vapi_defaults() {
    let open = KeyRestrictions::from_wire(None);
    assert!(open.enabled());
    assert_eq!(*open.origins(), OriginScope::Any);
    assert_eq!(*open.assistants(), AssistantScope::Any);
    assert!(
        open.allow_transient(),
        "Vapi's default is to allow transient assistants"
    );

    let ids_only = KeyRestrictions::from_wire(Some(&TokenRestrictions {
        allowed_assistant_ids: Some(vec!["asst-1".into()]),
        allow_transient_assistant: Some(true),
        ..Default::default()
    }));
    assert!(
        !ids_only.allow_transient(),
        "listing ids turns transient off at Vapi"
    );

    let empty_lists = KeyRestrictions::from_wire(Some(&TokenRestrictions {
        allowed_origins: Some(vec![]),
        allowed_assistant_ids: Some(vec![]),
        ..Default::default()
    }));
    assert_eq!(*empty_lists.origins(), OriginScope::Any);
    assert_eq!(*empty_lists.assistants(), AssistantScope::Any);
}

#[test]
fn from_wire_reports_unusable_origins_and_writes_them_back() {
    let wire = TokenRestrictions {
        enabled: Some(true),
        allowed_origins: Some(vec![
            "https://acme.com".into(),
            "https://Acme.com/".into(),
            "*.acme.com".into(),
        ]),
        allowed_assistant_ids: Some(vec!["asst-1".into()]),
        allow_transient_assistant: Some(false),
    };
    let key = KeyRestrictions::from_wire(Some(&wire));
    assert_eq!(
        key.origin_list(),
        [normalize_origin("https://acme.com").unwrap()]
    );
    let unusable = key.unusable_origins();
    assert_eq!(unusable.len(), 2);
    assert_eq!(
        unusable[0]
            .canonical
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("https://acme.com")
    );
    assert!(unusable[1].canonical.is_none());
    assert!(
        unusable[1].problem.contains("Wildcards"),
        "{}",
        unusable[1].problem
    );
    assert_eq!(
        key.to_wire(),
        wire,
        "reading and writing back changes nothing"
    );
}

#[test]
fn all_origins_unusable_means_no_website() {
    let key = KeyRestrictions::from_wire(Some(&TokenRestrictions {
        allowed_origins: Some(vec!["acme".into()]),
        allowed_assistant_ids: Some(vec!["asst-1".into()]),
        ..Default::default()
    }));
    assert_eq!(*key.origins(), OriginScope::Only(vec![]));
    assert!(!key.allows_origin(&normalize_origin("https://acme.com").unwrap()));
    assert!(key
        .describe(&names())
        .starts_with("No website can use this key"));
    // Written back with its bad entry, never as an empty list (which Vapi reads as "any").
    assert_eq!(key.to_wire().allowed_origins, Some(vec!["acme".to_owned()]));
}

#[test]
fn allows_checks_membership() {
    let key = safe_key();
    assert!(key.allows_origin(&normalize_origin("https://www.acme.com").unwrap()));
    assert!(!key.allows_origin(&normalize_origin("https://evil.com").unwrap()));
    assert!(key.allows_assistant("asst-2"));
    assert!(!key.allows_assistant("asst-3"));
}
