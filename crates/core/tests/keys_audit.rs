//! One test per audit rule, plus a clean key that must produce nothing.

use agencydesk_core::keys::wire::TokenRestrictions;
use agencydesk_core::keys::{
    audit_all, audit_private_key, audit_public_key, AuditPolicy, FindingKind, Fix, KeyRestrictions,
    PrivateKeyCheck, PrivateKeyStatus, PublicKeyFacts, Severity,
};
use chrono::{DateTime, Duration, TimeZone, Utc};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

fn wire(
    origins: Option<&[&str]>,
    ids: Option<&[&str]>,
    transient: Option<bool>,
) -> KeyRestrictions {
    let list = |v: Option<&[&str]>| v.map(|s| s.iter().map(|x| (*x).to_owned()).collect());
    KeyRestrictions::from_wire(Some(&TokenRestrictions {
        enabled: Some(true),
        allowed_origins: list(origins),
        allowed_assistant_ids: list(ids),
        allow_transient_assistant: transient,
    }))
}

fn facts(r: &KeyRestrictions) -> PublicKeyFacts<'_> {
    PublicKeyFacts {
        org_id: "org-1",
        org_name: "Acme Dental",
        key_id: "key-1",
        key_name: Some("Website"),
        created_at: now() - Duration::days(10),
        restrictions: r,
    }
}

fn kinds(r: &KeyRestrictions) -> Vec<FindingKind> {
    audit_public_key(&facts(r), &AuditPolicy::new(now()))
        .into_iter()
        .map(|f| f.kind)
        .collect()
}

const GOOD_ORIGINS: &[&str] = &["https://acme.com", "https://www.acme.com"];

#[test]
fn clean_key_has_no_findings() {
    let r = wire(Some(GOOD_ORIGINS), Some(&["asst-1"]), Some(false));
    assert_eq!(kinds(&r), []);
    let built = KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .assistant("asst-1")
        .build()
        .unwrap();
    assert_eq!(kinds(&built), []);
}

#[test]
fn no_origin_restriction() {
    let r = wire(None, Some(&["asst-1"]), None);
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    assert_eq!(f.kind, FindingKind::NoOriginRestriction);
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.fix, Fix::ChooseOrigins);
    assert!(!f.one_click);
    assert_eq!(
        (f.org_id.as_str(), f.key_id.as_deref()),
        ("org-1", Some("key-1"))
    );
    assert!(
        f.message.contains("anyone who copies the key"),
        "{}",
        f.message
    );
}

#[test]
fn transient_allowed_and_no_assistant_restriction() {
    let r = wire(Some(GOOD_ORIGINS), None, None);
    assert_eq!(
        kinds(&r),
        [
            FindingKind::TransientAllowed,
            FindingKind::NoAssistantRestriction
        ]
    );
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    assert_eq!(findings[0].fix, Fix::DisallowTransient);
    assert!(findings[0].one_click);
    // Any assistant but transient explicitly off: only the assistant finding.
    let r = wire(Some(GOOD_ORIGINS), None, Some(false));
    assert_eq!(kinds(&r), [FindingKind::NoAssistantRestriction]);
}

#[test]
fn plain_http_non_local_origin() {
    let r = wire(
        Some(&[
            "http://acme.com",
            "http://www.acme.com",
            "http://localhost:3000",
        ]),
        Some(&["asst-1"]),
        None,
    );
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    let http: Vec<&Fix> = findings
        .iter()
        .filter(|f| f.kind == FindingKind::PlainHttpOrigin)
        .map(|f| &f.fix)
        .collect();
    assert_eq!(
        http,
        [
            &Fix::UseHttps {
                from: "http://acme.com".into(),
                to: "https://acme.com".into()
            },
            &Fix::UseHttps {
                from: "http://www.acme.com".into(),
                to: "https://www.acme.com".into()
            },
        ]
    );
}

#[test]
fn localhost_in_production_key() {
    let r = wire(
        Some(&[
            "https://acme.com",
            "https://www.acme.com",
            "http://localhost:3000",
            "http://127.0.0.1:3000",
        ]),
        Some(&["asst-1"]),
        None,
    );
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, FindingKind::LocalhostWithProduction);
    assert_eq!(
        findings[0].fix,
        Fix::RemoveOrigins {
            origins: vec![
                "http://localhost:3000".into(),
                "http://127.0.0.1:3000".into()
            ]
        }
    );
    // A development-only key is fine.
    let dev = wire(Some(&["http://localhost:3000"]), Some(&["asst-1"]), None);
    assert_eq!(kinds(&dev), []);
}

#[test]
fn unusable_origin() {
    let r = wire(
        Some(&[
            "https://acme.com",
            "https://www.acme.com",
            "https://acme.com/",
        ]),
        Some(&["a"]),
        None,
    );
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, FindingKind::UnusableOrigin);
    assert_eq!(
        findings[0].fix,
        Fix::RemoveOrigins {
            origins: vec!["https://acme.com/".into()]
        }
    );
}

#[test]
fn disabled_but_present_hides_other_findings() {
    let r = wire(None, None, None).with_enabled(false);
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, FindingKind::DisabledButPresent);
    assert_eq!(findings[0].fix, Fix::DeleteKey);
}

#[test]
fn older_than_configured_age() {
    let r = wire(Some(GOOD_ORIGINS), Some(&["asst-1"]), None);
    let mut key = facts(&r);
    key.created_at = now() - Duration::days(181);
    let default_policy = AuditPolicy::new(now());
    let findings = audit_public_key(&key, &default_policy);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, FindingKind::OlderThanMaxAge);
    assert_eq!(findings[0].fix, Fix::RotateKey);
    assert!(
        findings[0].message.contains("181 days"),
        "{}",
        findings[0].message
    );
    let lenient = AuditPolicy {
        max_key_age: Duration::days(365),
        ..default_policy
    };
    assert!(audit_public_key(&key, &lenient).is_empty());
    key.created_at = now() - Duration::days(180);
    assert!(
        audit_public_key(&key, &default_policy).is_empty(),
        "exactly at the limit is fine"
    );
}

#[test]
fn private_key_that_no_longer_works() {
    let check = |status| PrivateKeyCheck {
        org_id: "org-2",
        org_name: "Bravo",
        status,
    };
    let f = audit_private_key(&check(PrivateKeyStatus::Rejected)).unwrap();
    assert_eq!(
        (f.kind, f.severity, f.fix.clone()),
        (
            FindingKind::PrivateKeyNotWorking,
            Severity::High,
            Fix::ReconnectPrivateKey
        )
    );
    assert_eq!(f.key_id, None);
    assert!(audit_private_key(&check(PrivateKeyStatus::Works)).is_none());
    assert!(audit_private_key(&check(PrivateKeyStatus::Unchecked)).is_none());
}

#[test]
fn audit_all_sorts_by_severity_then_org() {
    let clean = wire(Some(GOOD_ORIGINS), Some(&["asst-1"]), None);
    let open = wire(None, Some(&["asst-1"]), None);
    let old_disabled = clean.with_enabled(false);
    let mut zed = facts(&open);
    zed.org_name = "Zed Plumbing";
    let mut acme = facts(&old_disabled);
    acme.key_id = "key-2";
    let keys = [facts(&clean), zed, acme];
    let private = [PrivateKeyCheck {
        org_id: "org-3",
        org_name: "Mid Co",
        status: PrivateKeyStatus::Rejected,
    }];
    let findings = audit_all(&keys, &private, &AuditPolicy::new(now()));
    let order: Vec<(&str, FindingKind)> = findings
        .iter()
        .map(|f| (f.org_name.as_str(), f.kind))
        .collect();
    assert_eq!(
        order,
        [
            ("Mid Co", FindingKind::PrivateKeyNotWorking),
            ("Zed Plumbing", FindingKind::NoOriginRestriction),
            ("Acme Dental", FindingKind::DisabledButPresent),
        ]
    );
}

#[test]
fn finding_serialises_for_the_ui() {
    let r = wire(
        Some(&["http://acme.com", "http://www.acme.com"]),
        Some(&["asst-1"]),
        None,
    );
    let findings = audit_public_key(&facts(&r), &AuditPolicy::new(now()));
    let json = serde_json::to_value(&findings[0]).unwrap();
    assert_eq!(json["kind"], "plainHttpOrigin");
    assert_eq!(json["severity"], "medium");
    assert_eq!(json["fix"]["kind"], "useHttps");
    assert_eq!(json["fix"]["to"], "https://acme.com");
    assert_eq!(json["oneClick"], true);
}
