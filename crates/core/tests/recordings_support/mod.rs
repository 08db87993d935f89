//! Shared by the recordings tests: the simulator on 127.0.0.1:0 with its orgs linked and synced
//! into an agency in a temporary folder, an archive run, and the files under a folder.

#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::recordings::{no_archive_progress, ArchiveReport, MARKER};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions};
use agencydesk_core::vapi::ClientOptions;
use vapi_sim::{Sim, SimConfig};

pub async fn setup(calls_per_day: u32) -> (Sim, Agency, tempfile::TempDir) {
    let config = SimConfig {
        orgs: 2,
        days: 2,
        calls_per_day,
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
            max_retries: 8,
            ..ClientOptions::default()
        });
    for org in &sim.manifest().orgs {
        agency
            .link_client(
                Some(&sim.url()),
                SecretKey::new(org.private_key.clone()),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    let report = agency
        .sync_calls(
            None,
            SyncOptions::default(),
            no_progress(),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    assert!(report.all_done());
    (sim, agency, data)
}

pub async fn archive(agency: &Agency) -> ArchiveReport {
    agency
        .archive_recordings(None, None, no_archive_progress(), CancellationToken::new())
        .await
        .unwrap()
}

/// Every file under `dir` but the archive's marker.
pub fn wav_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(wav_files(&p));
        } else if !p.ends_with(MARKER) {
            out.push(p);
        }
    }
    out
}
