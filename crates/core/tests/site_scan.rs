//! The site exposure scan against a test site on 127.0.0.1 and the simulator's keys: every
//! severity, the bounds (scripts, bytes, time, redirects, other sites), and proof that no request
//! carried credentials or a key.

#[path = "site_support/mod.rs"]
mod site_support;

use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::jwt::{mint_public_jwt, JwtTtl};
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::keys::{AuditPolicy, KeyRestrictions, UnrestrictedOverride};
use agencydesk_core::public_keys::IfInUse;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::site_scan::{
    ExposedKind, ExposureFinding, ExposureSeverity, ScanLimits, SiteScanReport,
};
use agencydesk_core::vapi::ClientOptions;
use site_support::{Route, TestSite};
use vapi_sim::{OrgEntry, Sim, SimConfig};

struct Fixture {
    sim: Sim,
    agency: Agency,
    _data: tempfile::TempDir,
}

impl Fixture {
    fn org(&self, i: usize) -> OrgEntry {
        self.sim.manifest().orgs[i].clone()
    }

    /// Every key the simulator knows: none may ever reach the test site in a request.
    fn all_keys(&self) -> Vec<String> {
        self.sim
            .manifest()
            .orgs
            .iter()
            .flat_map(|o| {
                std::iter::once(o.private_key.clone())
                    .chain(o.public_keys.iter().map(|k| k.value.clone()))
            })
            .collect()
    }
}

/// Four orgs (the simulator gives org 1 an unrestricted key and org 2 a turned-off one); the
/// first three are linked, the fourth is someone else's.
async fn fixture() -> Fixture {
    let config = SimConfig {
        orgs: 4,
        days: 1,
        calls_per_day: 1,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new()))
        .unwrap()
        .with_client_options(ClientOptions {
            initial_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(5),
            ..ClientOptions::default()
        });
    for org in sim.manifest().orgs.iter().take(3) {
        agency
            .link_client(
                Some(&sim.url()),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    Fixture {
        sim,
        agency,
        _data: data,
    }
}

fn policy() -> AuditPolicy {
    AuditPolicy::new(chrono::Utc::now())
}

fn fp(value: &str) -> String {
    SecretKey::new(value.to_owned()).fingerprint()
}

fn finding<'r>(report: &'r SiteScanReport, value: &str) -> &'r ExposureFinding {
    let key = fp(value);
    report
        .findings
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no finding for {key}: {:#?}", report.findings))
}

fn absent(report: &SiteScanReport, value: &str) {
    let key = fp(value);
    assert!(
        report.findings.iter().all(|f| f.key != key),
        "{key} should not be reported: {:#?}",
        report.findings
    );
}

fn key_value<'o>(org: &'o OrgEntry, name_starts: &str) -> &'o str {
    &org.public_keys
        .iter()
        .find(|k| k.name.starts_with(name_starts))
        .unwrap_or_else(|| panic!("{} has no key named {name_starts}…", org.name))
        .value
}

fn consent() -> UnrestrictedOverride {
    UnrestrictedOverride::new("test of the site scan's high severity").unwrap()
}

#[tokio::test]
async fn every_severity_is_found_and_nothing_is_sent() {
    let f = fixture().await;
    let site = TestSite::start().await;
    let site_origin = site.url("");
    let (org0, org1, org2, stranger) = (f.org(0), f.org(1), f.org(2), f.org(3));

    // Keys made for this test: one restricted to the test site (as intended: info), one that
    // allows transient assistants (high), one deleted at Vapi (warning).
    let here = KeyRestrictions::builder()
        .parse_origin(&site_origin)
        .unwrap()
        .assistant(&org0.assistants[0].id)
        .build()
        .unwrap();
    let fitting = f
        .agency
        .create_public_key(&org0.id, "Test site", &here, &policy())
        .await
        .unwrap();
    let transient = KeyRestrictions::builder()
        .parse_origin(&site_origin)
        .unwrap()
        .allow_any_assistant(consent())
        .allow_transient_assistants(consent())
        .build()
        .unwrap();
    let loose = f
        .agency
        .create_public_key(&org0.id, "Transient", &transient, &policy())
        .await
        .unwrap();
    let gone = f
        .agency
        .create_public_key(&org0.id, "Soon gone", &here, &policy())
        .await
        .unwrap();
    f.agency
        .delete_public_key(&org0.id, &gone.id, IfInUse::Proceed)
        .await
        .unwrap();
    // Public tokens: one for this site, one expired two hours ago.
    let private0 = SecretKey::new(org0.private_key.clone());
    let jwt = mint_public_jwt(
        &org0.id,
        &private0,
        &here,
        JwtTtl::default(),
        chrono::Utc::now(),
    )
    .unwrap()
    .token;
    let stale = mint_public_jwt(
        &org0.id,
        &private0,
        &here,
        JwtTtl::default(),
        chrono::Utc::now() - chrono::Duration::hours(2),
    )
    .unwrap()
    .token;
    let random = "5b3d3c1e-9a2f-4c8b-b7e1-2f4a6d8c0e13";
    let not_vapi = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    site.page(
        "/",
        &format!(
            r#"<!doctype html><html data-build="{not_vapi}"><head>
<script src="/app.js"></script>
<script src="{evil}"></script>
<script src="/moved.js"></script>
</head><body>
<script>const vapi = new Vapi("{widget}"); vapi.start("{assistant}");</script>
</body></html>"#,
            evil = site.other_site_url("/evil.js"),
            widget = key_value(&org0, "Website widget"),
            assistant = org0.assistants[0].id,
        ),
    );
    site.script(
        "/app.js",
        &format!(
            r#"// vapi set-up
const apiKey = "{private0}";
const vapiPublicKey = "{open}";
const transientKey = "{loose}";
const fitting = new Vapi("{fitting}");
const old = new Vapi("{disabled}");
const removed = new Vapi("{gone}");
const token = "{jwt}";
const staleToken = "{stale}";
const other = new Vapi("{stranger_key}");
const vapiAssistant = "{random}";
"#,
            private0 = org0.private_key,
            open = key_value(&org1, "Legacy widget"),
            loose = loose.value.as_deref().unwrap(),
            fitting = fitting.value.as_deref().unwrap(),
            disabled = key_value(&org2, "Old landing page"),
            gone = gone.value.as_deref().unwrap(),
            stranger_key = key_value(&stranger, "Website widget"),
        ),
    );
    site.script("/evil.js", &format!("var k = \"{}\";", org1.private_key));
    site.route("/moved.js", Route::Redirect(site.other_site_url("/x.js")));
    site.script("/x.js", &format!("var k = \"{}\";", org2.private_key));

    let report = f
        .agency
        .scan_site(&site.url("/"), Some(&org0.id))
        .await
        .unwrap();

    let critical = finding(&report, &org0.private_key);
    assert_eq!(critical.severity, ExposureSeverity::Critical);
    assert_eq!(critical.kind, ExposedKind::PrivateKey);
    assert_eq!(critical.org_id.as_deref(), Some(org0.id.as_str()));
    assert_eq!(critical.url, site.url("/app.js"));

    let open = finding(&report, key_value(&org1, "Legacy widget"));
    assert_eq!(
        (open.severity, open.kind),
        (ExposureSeverity::High, ExposedKind::PublicKey)
    );
    assert_eq!(open.org_id.as_deref(), Some(org1.id.as_str()));
    assert!(open.key_id.is_some());
    let high = finding(&report, loose.value.as_deref().unwrap());
    assert_eq!(high.severity, ExposureSeverity::High);
    assert!(high.message.contains("transient"), "{}", high.message);

    let widget = finding(&report, key_value(&org0, "Website widget"));
    assert_eq!(widget.severity, ExposureSeverity::WillNotWork);
    assert_eq!(
        widget.url,
        site.url("/"),
        "the inline script is in the page"
    );

    let ok_here = finding(&report, fitting.value.as_deref().unwrap());
    assert_eq!(
        (ok_here.severity, ok_here.kind),
        (ExposureSeverity::Info, ExposedKind::PublicKey)
    );
    let disabled = finding(&report, key_value(&org2, "Old landing page"));
    assert_eq!(
        (disabled.severity, disabled.kind),
        (ExposureSeverity::Warning, ExposedKind::DisabledKey)
    );
    let deleted = finding(&report, gone.value.as_deref().unwrap());
    assert_eq!(
        (deleted.severity, deleted.kind),
        (ExposureSeverity::Warning, ExposedKind::DeletedKey)
    );
    let token = finding(&report, &jwt);
    assert_eq!(
        (token.severity, token.kind),
        (ExposureSeverity::Info, ExposedKind::PublicJwt)
    );
    let expired = finding(&report, &stale);
    assert_eq!(
        (expired.severity, expired.kind),
        (ExposureSeverity::Warning, ExposedKind::ExpiredJwt)
    );
    for unknown in [key_value(&stranger, "Website widget"), random] {
        let u = finding(&report, unknown);
        assert_eq!(
            (u.severity, u.kind, u.org_id.as_deref()),
            (ExposureSeverity::Info, ExposedKind::Unknown, None)
        );
    }
    // Not keys: an assistant id, a UUID nowhere near Vapi.
    absent(&report, &org0.assistants[0].id);
    absent(&report, not_vapi);
    // Other sites: neither the script nor the redirect target was fetched.
    absent(&report, &org1.private_key);
    absent(&report, &org2.private_key);
    assert!(report.needs_action());
    assert_eq!(report.findings[0].severity, ExposureSeverity::Critical);

    // Keys only as fingerprints, anywhere in the report.
    let json = serde_json::to_string(&report).unwrap();
    for key in f.all_keys() {
        assert!(!json.contains(&key), "a key value is in the report");
    }
    assert!(!json.contains(&jwt) && !json.contains(&stale));

    let paths = site.paths();
    assert!(
        !paths.iter().any(|p| p == "/evil.js" || p == "/x.js"),
        "{paths:?}"
    );
    let evil = report
        .resources
        .iter()
        .find(|r| r.url == site.other_site_url("/evil.js"))
        .unwrap();
    assert!(!evil.scanned && evil.note.as_deref().unwrap().contains("another site"));
    let moved = report
        .resources
        .iter()
        .find(|r| r.url == site.url("/moved.js"))
        .unwrap();
    assert!(!moved.scanned && moved.note.as_deref().unwrap().contains("another site"));
    let mut secrets = f.all_keys();
    secrets.push(jwt.clone());
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    site.assert_no_credentials_sent(&secrets);

    // Stored as the client's last check, and a line in the key audit.
    assert_eq!(
        f.agency.last_site_scan(&org0.id).unwrap(),
        Some(report.clone())
    );
    let audit = f.agency.audit_keys(&policy()).await.unwrap();
    let line = audit
        .site_checks
        .iter()
        .find(|s| s.org_id == org0.id)
        .unwrap();
    assert_eq!((line.critical, line.high), (1, 2));
    assert_eq!(line.warning, 3);
}

#[tokio::test]
async fn the_bounds_hold() {
    let f = fixture().await;
    let site = TestSite::start().await;
    let org1 = f.org(1);
    let leaked = format!("var vapiKey = \"{}\";", org1.private_key);
    let scripts: String = (0..5)
        .map(|i| format!("<script src=\"/s{i}.js\"></script>"))
        .collect();
    site.page(
        "/",
        &format!(
            "<script src=\"/loop.js\"></script><script src=\"/big.js\"></script>\
             <script src=\"/slow.js\"></script>{scripts}"
        ),
    );
    site.route("/loop.js", Route::Redirect("/loop2.js".to_owned()));
    site.route("/loop2.js", Route::Redirect("/loop.js".to_owned()));
    // The key sits past the size limit.
    site.script(
        "/big.js",
        &format!("{}{leaked}", "/* filler */".repeat(4000)),
    );
    site.route(
        "/slow.js",
        Route::Slow(Duration::from_secs(30), leaked.clone()),
    );
    for i in 0..5 {
        site.script(&format!("/s{i}.js"), &leaked);
    }
    let limits = ScanLimits {
        max_scripts: 4,
        max_resource_bytes: 16 * 1024,
        max_redirects: 3,
        request_timeout: Duration::from_secs(30),
        total_time: Duration::from_secs(3),
        ..ScanLimits::default()
    };
    let report = f
        .agency
        .scan_sites_limited(&[site.url("/")], None, &limits)
        .await
        .unwrap();
    let note = |path: &str| {
        report
            .resources
            .iter()
            .find(|r| r.url == site.url(path))
            .unwrap_or_else(|| panic!("{path} not listed: {:#?}", report.resources))
            .clone()
    };

    let looped = note("/loop.js");
    assert!(!looped.scanned);
    assert!(looped.note.unwrap().contains("more than 3 redirects"));
    let loop_hits = site
        .paths()
        .iter()
        .filter(|p| p.starts_with("/loop"))
        .count();
    assert_eq!(loop_hits, 4, "the first request and 3 redirects");

    let big = note("/big.js");
    assert!(big.scanned);
    assert!(big.note.unwrap().contains("16 KiB"));

    let slow = note("/slow.js");
    assert!(!slow.scanned);
    assert!(slow.note.unwrap().contains("time limit"));

    // 4 scripts at most: loop, big, slow and s0; s1..s4 are listed, not fetched.
    for i in 1..5 {
        let skipped = note(&format!("/s{i}.js"));
        assert!(!skipped.scanned);
        assert!(skipped.note.unwrap().contains("more than 4 scripts"));
    }
    assert!(!site.paths().iter().any(|p| p == "/s1.js"));
    // The key was in s0.js only once the time limit had passed, or not at all: it is found in
    // no script beyond the bounds.
    assert!(report
        .findings
        .iter()
        .all(|f| f.url != site.url("/big.js") && f.url != site.url("/slow.js")));
    site.assert_no_credentials_sent(&[org1.private_key.as_str()]);
}

#[tokio::test]
async fn site_urls_default_to_the_key_origins_and_are_validated() {
    let f = fixture().await;
    let org0 = f.org(0);
    let urls = f.agency.site_urls(&org0.id).unwrap();
    assert!(urls.from_keys);
    assert!(!urls.urls.is_empty());
    assert!(
        urls.urls.iter().all(|u| u.starts_with("https://")),
        "{urls:?}"
    );

    for bad in ["ftp://acme.example/", "https://user:pw@acme.example/", ""] {
        assert!(f.agency.add_site_url(&org0.id, bad).is_err(), "{bad}");
    }
    let added = f
        .agency
        .add_site_url(&org0.id, "acme.example/contact#form")
        .unwrap();
    assert!(!added.from_keys);
    assert_eq!(added.urls, ["https://acme.example/contact"]);
    let twice = f
        .agency
        .add_site_url(&org0.id, "https://acme.example/contact")
        .unwrap();
    assert_eq!(twice.urls.len(), 1);
    let back = f
        .agency
        .remove_site_url(&org0.id, "https://acme.example/contact")
        .unwrap();
    assert!(back.from_keys);
    assert!(f.agency.site_urls("no-such-org").is_err());
}
