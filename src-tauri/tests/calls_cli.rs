//! `agencydesk calls show` and `calls search` as a user runs them, on the demo (its own
//! simulator on 127.0.0.1, synced first). What they print is checked against the same seeded
//! world served by a second simulator here.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Output};

use serde_json::Value;
use vapi_sim::Sim;

fn agencydesk(args: &[&str], data_dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Three words of a transcript line after its speaker label. The demo's calls depend on today's
/// date, so the test picks a call with such a line instead of assuming one.
fn search_words(line: &str) -> Vec<&str> {
    line.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .skip(1)
        .take(3)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_and_search_print_what_the_simulator_served() {
    let sim = Sim::start(
        agencydesk::demo::sim_config(),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap();
    let org = sim.manifest().orgs[1].clone();
    // An older call: settled long ago, the same in both worlds.
    let served = sim
        .handle()
        .calls(&org.id)
        .into_iter()
        .skip(100)
        .find(|c| {
            c["customer"]["number"].is_string()
                && c["transcript"]
                    .as_str()
                    .and_then(|t| t.lines().nth(1))
                    .is_some_and(|line| search_words(line).len() >= 3)
        })
        .unwrap();
    let id = served["id"].as_str().unwrap();
    let number = served["customer"]["number"].as_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();

    // --json: the call as cached, the customer's number masked; --reveal shows it.
    let shown: Value = serde_json::from_str(&stdout(&agencydesk(
        &["--demo", "calls", "show", id, "--json"],
        tmp.path(),
    )))
    .unwrap();
    let mut expected = served.clone();
    expected["customer"]["number"] = Value::String(format!("••• {}", &number[number.len() - 4..]));
    assert_eq!(shown, expected);
    let revealed: Value = serde_json::from_str(&stdout(&agencydesk(
        &["--demo", "calls", "show", id, "--json", "--reveal"],
        tmp.path(),
    )))
    .unwrap();
    assert_eq!(revealed, served);

    // The report: why it ended in words, the cost, the conversation; the number masked.
    let report = stdout(&agencydesk(&["--demo", "calls", "show", id], tmp.path()));
    assert!(report.contains(&format!("Call        {id}")), "{report}");
    assert!(
        report.contains(served["endedReason"].as_str().unwrap()),
        "{report}"
    );
    assert!(
        report.contains("Conversation") && report.contains("Assistant: "),
        "{report}"
    );
    assert!(report.contains("Cost entries"), "{report}");
    assert!(!report.contains(number), "{report}");

    // Search: a phrase of that transcript, within the org; every result is the org's, newest
    // first, with the phrase marked; the call itself is among them (asked for up to 200).
    let transcript = served["transcript"].as_str().unwrap();
    let line = transcript.lines().nth(1).unwrap();
    let words = search_words(line);
    let phrase = format!("\"{}\"", words.join(" "));
    let out = stdout(&agencydesk(
        &[
            "--demo", "calls", "search", &phrase, "--org", &org.id, "--limit", "200", "--json",
        ],
        tmp.path(),
    ));
    let hits: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(!hits.is_empty());
    for h in &hits {
        let keys: Vec<&str> = h.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["createdAt", "id", "orgId", "snippet"]);
        assert_eq!(h["orgId"], org.id.as_str());
        let snippet = h["snippet"].as_str().unwrap().to_lowercase();
        assert!(
            snippet.contains(&format!("**{}**", words[0].to_lowercase())),
            "{snippet}"
        );
    }
    assert!(hits
        .windows(2)
        .all(|p| p[0]["createdAt"].as_str() >= p[1]["createdAt"].as_str()));
    let served_at = served["createdAt"].as_str().unwrap();
    if hits.len() < 200 || hits[199]["createdAt"].as_str().unwrap() <= served_at {
        assert!(
            hits.iter().any(|h| h["id"] == id),
            "{id} not found by {phrase}"
        );
    }
    let text = stdout(&agencydesk(
        &["--demo", "calls", "search", "zzqxv"],
        tmp.path(),
    ));
    assert!(text.starts_with("No cached call matches"), "{text}");

    // An unknown call is an error naming it.
    let out = agencydesk(&["--demo", "calls", "show", "no-such-call"], tmp.path());
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No call no-such-call is cached"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
