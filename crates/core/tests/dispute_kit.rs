//! `Agency::dispute_kit` against the simulator on 127.0.0.1: a zip with the call as cached, its
//! transcript, logs, recording (from the archive when there) and a summary naming the
//! discrepancy; a call without a recording says so instead of failing.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::billing::Period;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::recordings::no_archive_progress;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::sync::{no_progress, CancellationToken, SyncOptions};
use agencydesk_core::vapi::ClientOptions;
use serde_json::{json, Value};
use vapi_sim::{Sim, SimConfig};

async fn setup() -> (Sim, Agency, tempfile::TempDir) {
    let sim = Sim::start(
        SimConfig {
            orgs: 1,
            days: 2,
            calls_per_day: 6,
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
    agency
        .link_client(
            Some(&sim.url()),
            SecretKey::new(sim.manifest().orgs[0].private_key.clone()),
            &NoConfirmation::confirmer(),
        )
        .await
        .unwrap();
    (sim, agency, data)
}

async fn sync(agency: &Agency) {
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
}

fn entries(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

fn text_of<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &files
        .iter()
        .find(|f| f.0 == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kit_holds_the_call_its_artifacts_and_the_discrepancy() {
    let (sim, agency, data) = setup().await;
    let org = sim.manifest().orgs[0].id.clone();
    // Billed 30 minutes by Vapi's fee entry, entries adding up to 1.50 against a cost of 1.60.
    let mut fields = serde_json::Map::new();
    fields.insert("cost".into(), json!(1.6));
    fields.insert(
        "costs".into(),
        json!([
            {"type": "transport", "provider": "twilio", "minutes": 30, "cost": 0.5},
            {"type": "vapi", "subType": "normal", "minutes": 30, "cost": 1.0}
        ]),
    );
    let odd = sim.handle().add_call_with_fields(&org, fields).unwrap();
    sync(&agency).await;
    let call: Value = agency.cached_call(&odd, true).await.unwrap();

    let out = data.path().join("kit.zip");
    let kit = agency.dispute_kit(&odd, &out).await.unwrap();
    assert_eq!(kit.path, out.display().to_string());
    let files = entries(&out);
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    let json: Value = serde_json::from_slice(text_of(&files, "call.json")).unwrap();
    assert_eq!(json, call);
    let summary = String::from_utf8(text_of(&files, "summary.txt").to_vec()).unwrap();
    assert!(
        summary.contains(&format!("Call                  {odd}")),
        "{summary}"
    );
    assert!(
        summary.contains("Billed minutes        30.00 min"),
        "{summary}"
    );
    assert!(
        summary.contains("Sum of costs[]        1.500000 USD (2 entries)"),
        "{summary}"
    );
    assert!(
        summary.contains("cost - sum of costs[] 0.100000 USD"),
        "{summary}"
    );
    let transcript = String::from_utf8(text_of(&files, "transcript.txt").to_vec()).unwrap();
    if let Some(t) = call["transcript"].as_str() {
        assert_eq!(transcript.trim_end(), t.trim_end());
    }
    assert_eq!(kit.logs, names.contains(&"call-logs.jsonl.gz"));
    assert!(kit.logs, "{names:?}");
    assert_eq!(&text_of(&files, "call-logs.jsonl.gz")[..2], &[0x1f, 0x8b]);
    assert_eq!(kit.recording, call["recordingUrl"].is_string());
    if kit.recording {
        assert_eq!(&text_of(&files, "recording.wav")[..4], b"RIFF");
        assert!(summary.contains("fetched from Vapi"), "{summary}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recordings_come_from_the_archive_and_missing_ones_are_named() {
    let (sim, agency, data) = setup().await;
    let org = sim.manifest().orgs[0].id.clone();
    sync(&agency).await;
    let report = agency
        .archive_recordings(None, None, no_archive_progress(), CancellationToken::new())
        .await
        .unwrap();
    assert!(report.progress.archived > 0);
    let calls = sim.handle().calls(&org);
    let with = calls
        .iter()
        .find(|c| c["recordingUrl"].is_string())
        .unwrap();
    let without = calls
        .iter()
        .find(|c| c["status"] == "ended" && c["recordingUrl"].is_null())
        .unwrap();

    let before = sim.handle().request_count();
    let out = data.path().join("with.zip");
    let kit = agency
        .dispute_kit(with["id"].as_str().unwrap(), &out)
        .await
        .unwrap();
    assert!(kit.recording);
    // Only the logs were asked for (two requests): the recording came from the archive.
    assert_eq!(sim.handle().request_count() - before, 2);
    let files = entries(&out);
    let summary = String::from_utf8(text_of(&files, "summary.txt").to_vec()).unwrap();
    assert!(
        summary.contains("from the archive on this computer"),
        "{summary}"
    );

    let out = data.path().join("without.zip");
    let kit = agency
        .dispute_kit(without["id"].as_str().unwrap(), &out)
        .await
        .unwrap();
    assert!(!kit.recording);
    let files = entries(&out);
    assert!(files.iter().all(|f| f.0 != "recording.wav"));
    let summary = String::from_utf8(text_of(&files, "summary.txt").to_vec()).unwrap();
    assert!(summary.contains("Vapi has none for this call"), "{summary}");

    assert!(agency
        .dispute_kit("not-cached", &data.path().join("x.zip"))
        .await
        .is_err());
    assert!(!data.path().join("x.zip").exists());

    // --flagged: one kit per call the audit flags for its duration, none otherwise.
    let month = Period::month_of(chrono::Utc::now().date_naive()).unwrap();
    let dir = data.path().join("kits");
    let flagged = agency
        .dispute_kits_flagged(&org, month, &dir)
        .await
        .unwrap();
    let audit = agency.billing_audit(&org, month).await.unwrap();
    assert_eq!(
        flagged.kits.len() as u64,
        audit.duration_mismatch.count.min(1000)
    );
    sim.shutdown().await;
}
