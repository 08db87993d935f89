//! `agencydesk scan --url URL [--org ID] [--json]` on a real agency: exit 3 with the leaked
//! private key as a fingerprint, exit 0 on a page whose only key merely will not work there,
//! `--org` alone scanning the client's stored site URLs. The real binary, a real data folder,
//! a simulator and a test site on 127.0.0.1, a throwaway keychain.

mod cli_support;
mod keychain_support;
#[path = "../../crates/core/tests/site_support/mod.rs"]
mod site_support;

use std::sync::Arc;

use agencydesk_core::agency::Agency;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use cli_support::{json_of, link_all, ok, run, sim, text};
use keychain_support::in_throwaway_keychain;
use site_support::TestSite;

// Multi-threaded: the simulator and the site must keep serving while this thread waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_exits_3_on_a_leaked_private_key_and_0_when_clean() {
    if !in_throwaway_keychain("scan_exits_3_on_a_leaked_private_key_and_0_when_clean") {
        return;
    }
    let sim = sim(2, 1).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let manifest = sim.manifest();
    let (org0, org1) = (&manifest.orgs[0], &manifest.orgs[1]);
    let widget = &org0
        .public_keys
        .iter()
        .find(|k| k.name == "Website widget")
        .unwrap()
        .value;

    let site = TestSite::start().await;
    site.page(
        "/leak",
        &format!(
            "<script>const vapi = new Vapi(\"{}\");</script>",
            org1.private_key
        ),
    );
    site.page("/widget", "<script src=\"/widget.js\"></script>");
    site.script(
        "/widget.js",
        &format!("const vapi = new Vapi(\"{widget}\");"),
    );
    site.page("/clean", "<p>No keys here.</p>");

    let leak = run(
        &["scan", "--url", &site.url("/leak"), "--json"],
        data.path(),
    );
    assert_eq!(leak.status.code(), Some(3), "{}", text(&leak));
    let findings = json_of(&leak);
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["kind"], "privateKey");
    assert_eq!(f["orgId"], org1.id.as_str());
    assert_eq!(f["url"], site.url("/leak"));
    assert_eq!(
        f["key"],
        SecretKey::new(org1.private_key.clone()).fingerprint()
    );
    assert_eq!(f.as_object().unwrap().len(), 5, "{f}");
    let out = text(&leak);
    assert!(
        !out.contains(&org1.private_key),
        "the key itself was printed"
    );

    let table = run(&["scan", "--url", &site.url("/leak")], data.path());
    assert_eq!(table.status.code(), Some(3), "{}", text(&table));
    assert!(!text(&table).contains(&org1.private_key));
    assert!(text(&table).contains("Rotate it now"), "{}", text(&table));

    // A key that only fails on this site is reported but needs no emergency: exit 0.
    let widget_out = run(
        &["scan", "--url", &site.url("/widget"), "--json"],
        data.path(),
    );
    let said = json_of(&widget_out);
    assert!(widget_out.status.success(), "{}", text(&widget_out));
    assert_eq!(said[0]["severity"], "willNotWork", "{said}");
    assert_eq!(said[0]["url"], site.url("/widget.js"));

    let clean = ok(&run(&["scan", "--url", &site.url("/clean")], data.path()));
    assert!(clean.contains("No Vapi key found"), "{clean}");

    // --org alone scans the client's site URLs (stored through core, as the app stores them).
    {
        let agency = Agency::open(data.path(), Arc::new(EphemeralKeychain::new())).unwrap();
        agency.add_site_url(&org0.id, &site.url("/leak")).unwrap();
    }
    let by_org = run(&["scan", "--org", &org0.id, "--json"], data.path());
    assert_eq!(by_org.status.code(), Some(3), "{}", text(&by_org));
    assert_eq!(json_of(&by_org)[0]["orgId"], org1.id.as_str());

    // An unreachable site is a failure to run, not a clean result.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://127.0.0.1:{}/", closed.local_addr().unwrap().port());
    drop(closed);
    let nowhere = run(&["scan", "--url", &dead], data.path());
    assert_eq!(nowhere.status.code(), Some(1), "{}", text(&nowhere));

    let bad = run(&["scan", "--url", "ftp://example.com/"], data.path());
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));

    let secrets: Vec<&str> = manifest
        .orgs
        .iter()
        .flat_map(|o| {
            std::iter::once(o.private_key.as_str())
                .chain(o.public_keys.iter().map(|k| k.value.as_str()))
        })
        .collect();
    site.assert_no_credentials_sent(&secrets);
}
