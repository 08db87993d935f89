//! "Copy diagnostics" (`Agency::diagnostics`): the counts match what the agency holds, each org's
//! last sync and its error are reported with the org numbered, and the text carries no key, no
//! org id or name and no transcript, even when a logged error held a key.

use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, AppFacts, NoConfirmation};
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions};
use agencydesk_core::vapi::ClientOptions;
use vapi_sim::{Sim, SimConfig};

#[tokio::test]
async fn the_report_counts_what_is_held_and_names_nothing_private() {
    let sim = Sim::start(
        SimConfig {
            orgs: 2,
            days: 5,
            calls_per_day: 12,
            ..SimConfig::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
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
    let orgs = sim.manifest().orgs;
    for org in &orgs {
        agency
            .link_client(
                Some(&sim.url()),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    // One org syncs; the other's key is revoked at Vapi first, so its sync fails.
    assert!(sim
        .handle()
        .revoke_private_key(&orgs[1].id, &orgs[1].private_key));
    let _ = agency
        .sync_calls(
            None,
            SyncOptions::default(),
            no_progress(),
            CancellationToken::new(),
        )
        .await;
    agency.create_backup().await.unwrap();

    let leaked_line = format!(
        "WARN agencydesk: a request failed key={} org={}",
        orgs[0].private_key, orgs[0].id
    );
    let report = agency
        .diagnostics(AppFacts {
            app: "agencydesk 9.9.9".to_owned(),
            build: "debug".to_owned(),
            mode: "live".to_owned(),
            recent_errors: vec![leaked_line],
        })
        .await
        .unwrap();

    let c = &report.counts;
    assert_eq!(c.clients_linked + c.clients_key_rejected, 2);
    assert_eq!(c.calls_cached, sim.handle().call_count(&orgs[0].id) as u64);
    assert!(c.calls_cached > 0);
    assert_eq!(c.backups, 1);
    assert_eq!(report.syncs.len(), 2);
    assert_eq!(
        report
            .syncs
            .iter()
            .filter(|s| s.last_error.is_some())
            .count(),
        1,
        "the revoked org's failure is reported: {:?}",
        report.syncs
    );

    let text = &report.text;
    assert!(text.starts_with("agencydesk 9.9.9 (debug build), live mode"));
    assert!(
        text.contains(&format!("calls cached: {}", c.calls_cached)),
        "{text}"
    );
    assert!(text.contains("recent errors"), "{text}");
    assert!(
        text.contains("a request failed key=<key-shaped value>"),
        "{text}"
    );
    for org in &orgs {
        assert!(
            !text.contains(&org.private_key),
            "a private key is in the report"
        );
        assert!(!text.contains(&org.id), "an org id is in the report");
        assert!(
            !text.contains(&org.name),
            "a client's name is in the report"
        );
    }
    let transcripts: Vec<String> = sim
        .handle()
        .calls(&orgs[0].id)
        .iter()
        .filter_map(|call| call["transcript"].as_str().map(str::to_owned))
        .filter(|t| t.len() > 20)
        .collect();
    assert!(!transcripts.is_empty());
    for t in &transcripts {
        let line = t.lines().next().unwrap();
        assert!(!text.contains(line), "a transcript line is in the report");
    }
}
