//! Agency settings and client base URLs, on a real SQLite file in a temp folder.

use std::sync::Arc;

use agencydesk_core::agency::{Agency, SettingsUpdate, DEFAULT_KEY_ROTATION_MAX_AGE_DAYS};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::keys::audit::DEFAULT_MAX_KEY_AGE_DAYS;
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind, OrgStatus};

fn open(dir: &std::path::Path) -> Agency {
    Agency::open(dir, Arc::new(EphemeralKeychain::new())).unwrap()
}

fn update(days: u32, alert: Option<&str>) -> SettingsUpdate {
    SettingsUpdate {
        key_rotation_max_age_days: days,
        spend_alert_usd: alert.map(str::to_owned),
    }
}

#[test]
fn defaults_until_saved_then_persist_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let agency = open(dir.path());
    let fresh = agency.settings().unwrap();
    assert_eq!(fresh.key_rotation_max_age_days, 180);
    assert_eq!(fresh.spend_alert_usd, None);
    assert_eq!(fresh.updated_at, None);

    let saved = agency
        .update_settings(&update(90, Some(" 250.50 ")))
        .unwrap();
    assert_eq!(saved.key_rotation_max_age_days, 90);
    assert_eq!(saved.spend_alert_usd.as_deref(), Some("250.5"));
    assert!(saved.updated_at.is_some());
    drop(agency);

    // Another process (the CLI) opening the same folder sees the same values.
    let reopened = open(dir.path()).settings().unwrap();
    assert_eq!(reopened, saved);
    assert_eq!(reopened.spend_alert().unwrap().to_string(), "250.5");
}

#[test]
fn invalid_settings_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let agency = open(dir.path());
    let saved = agency.update_settings(&update(30, Some("10"))).unwrap();
    for bad in [
        update(0, None),
        update(3651, None),
        update(30, Some("-5")),
        update(30, Some("ten")),
    ] {
        let err = agency.update_settings(&bad).unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{bad:?}");
    }
    assert_eq!(agency.settings().unwrap(), saved);

    // Clearing the alert stores no alert.
    let cleared = agency.update_settings(&update(30, Some(""))).unwrap();
    assert_eq!(cleared.spend_alert_usd, None);
}

#[test]
fn client_base_url_is_validated_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let agency = open(dir.path());
    let row = ClientOrgRow {
        id: "org-1".into(),
        name: "Acme Dental".into(),
        base_url: "https://api.vapi.ai".into(),
        key_fingerprint: None,
        kind: OrgKind::Client,
        status: OrgStatus::Linked,
        linked_at: None,
        updated_at: "2026-11-22T00:00:00Z".into(),
    };
    agency
        .store()
        .write(|tx| clients::upsert(tx, &row))
        .unwrap();

    let stored = agency
        .set_client_base_url("org-1", " https://proxy.example/vapi/ ")
        .unwrap();
    assert_eq!(stored, "https://proxy.example/vapi");
    let read = agency
        .store()
        .read(|c| clients::get(c, "org-1"))
        .unwrap()
        .unwrap();
    assert_eq!(read.base_url, "https://proxy.example/vapi");

    // Plain http to another machine would send the key in clear: refused, nothing changed.
    let err = agency
        .set_client_base_url("org-1", "http://proxy.example")
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    assert!(err.to_string().contains("https"), "{err}");
    let read = agency
        .store()
        .read(|c| clients::get(c, "org-1"))
        .unwrap()
        .unwrap();
    assert_eq!(read.base_url, "https://proxy.example/vapi");

    let missing = agency
        .set_client_base_url("nope", "https://api.vapi.ai")
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
}

#[test]
fn the_default_age_is_the_audits() {
    assert_eq!(
        i64::from(DEFAULT_KEY_ROTATION_MAX_AGE_DAYS),
        DEFAULT_MAX_KEY_AGE_DAYS
    );
}
