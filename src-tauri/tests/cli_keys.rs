//! `agencydesk keys ...` as a user or a script runs it: the real binary on the demo agency (its
//! simulator runs inside the CLI process), checking exit statuses, JSON and the refusals that
//! protect a client's site. The truth about keys comes from a simulator with the same seed,
//! asked through core's Vapi client, not from the CLI under test.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Command, Output};

use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::vapi::{Token, VapiClient};
use serde_json::Value;
use vapi_sim::{OrgEntry, Sim};

fn agencydesk(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .arg("--demo")
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data.path())
        .output()
        .unwrap()
}

fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo's world, started here too, to know what the CLI's own copy holds.
async fn demo_world() -> Sim {
    Sim::start(
        agencydesk::demo::sim_config(),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await
    .unwrap()
}

async fn public_tokens(sim: &Sim, org: &OrgEntry) -> Vec<Token> {
    let client = VapiClient::new(&sim.url(), SecretKey::new(org.private_key.clone())).unwrap();
    client
        .list_tokens()
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t.org_id == org.id && t.is_public())
        .collect()
}

/// An org of the demo with exactly one public key switched on, and that key's id.
async fn org_with_one_working_key(sim: &Sim) -> (OrgEntry, String) {
    for org in sim.manifest().orgs {
        let working: Vec<Token> = public_tokens(sim, &org)
            .await
            .into_iter()
            .filter(Token::is_enabled)
            .collect();
        if let [only] = working.as_slice() {
            return (org.clone(), only.id.clone());
        }
    }
    panic!("the demo world has no org with exactly one working key");
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_json_matches_vapi_and_describes_each_key() {
    let sim = demo_world().await;
    let org = sim.manifest().orgs[0].clone();
    let out = agencydesk(&["keys", "list", "--org", &org.id, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listed = stdout_json(&out);
    let mut ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["id"].as_str().unwrap())
        .collect();
    let truth = public_tokens(&sim, &org).await;
    let mut expected: Vec<&str> = truth.iter().map(|t| t.id.as_str()).collect();
    ids.sort_unstable();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    for key in listed.as_array().unwrap() {
        let sentence = key["summary"]["sentence"].as_str().unwrap();
        assert!(sentence.contains("may start"), "{sentence}");
        let text = key.to_string();
        assert!(
            !text.contains(&org.private_key),
            "a private key was printed"
        );
    }
    sim.shutdown().await;
}

#[test]
fn list_text_says_what_each_key_allows() {
    let out = agencydesk(&["clients", "list", "--json"]);
    let org = &stdout_json(&out)[0];
    let out = agencydesk(&["keys", "list", "--org", org["id"].as_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Only https://"), "{text}");
    assert!(text.contains("may start"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_makes_a_restricted_key_with_safe_defaults() {
    let sim = demo_world().await;
    let org = sim.manifest().orgs[0].clone();
    let assistant = org.assistants[0].id.clone();
    let out = agencydesk(&[
        "keys",
        "create",
        "--org",
        &org.id,
        "--name",
        "Clinic site",
        "--origin",
        "https://clinic.example/contact",
        "--origin",
        "https://www.clinic.example",
        "--assistant",
        &assistant,
        "--json",
    ]);
    // A path is refused by the normaliser before anything is created.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("Remove the path"), "{}", stderr(&out));

    let out = agencydesk(&[
        "keys",
        "create",
        "--org",
        &org.id,
        "--name",
        "Clinic site",
        "--origin",
        "HTTPS://Clinic.Example:443/",
        "--origin",
        "https://www.clinic.example",
        "--assistant",
        &assistant,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let key = stdout_json(&out);
    assert_eq!(key["name"], "Clinic site");
    assert_eq!(key["enabled"], true);
    let r = &key["restrictions"];
    assert_eq!(
        r["allowedOrigins"],
        serde_json::json!(["https://clinic.example", "https://www.clinic.example"])
    );
    assert_eq!(r["allowedAssistantIds"], serde_json::json!([assistant]));
    assert_eq!(r["allowTransientAssistant"], false);
    assert_eq!(key["findings"], serde_json::json!([]));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_widens_a_default_only_with_an_explicit_flag_and_a_reason() {
    let sim = demo_world().await;
    let org = sim.manifest().orgs[0].clone();
    let assistant = org.assistants[0].id.clone();
    let base = ["keys", "create", "--org", &org.id, "--name", "Partners"];
    let with = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        agencydesk(&args)
    };

    // No origin and no override: refused by core, nothing created.
    let out = with(&["--assistant", &assistant]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("at least one website"),
        "{}",
        stderr(&out)
    );
    // The override flag without a reason, or a reason without an override: usage errors.
    assert_eq!(
        with(&["--any-origin", "--assistant", &assistant])
            .status
            .code(),
        Some(2)
    );
    let out = with(&[
        "--origin",
        "https://a.example",
        "--assistant",
        &assistant,
        "--unrestricted-because",
        "partner sites need it",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A reason too short to be one.
    let out = with(&[
        "--any-origin",
        "--unrestricted-because",
        "ok",
        "--assistant",
        &assistant,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("at least 10 characters"),
        "{}",
        stderr(&out)
    );

    let out = with(&[
        "--any-origin",
        "--unrestricted-because",
        "embedded on forty partner sites",
        "--assistant",
        &assistant,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let key = stdout_json(&out);
    assert!(key["restrictions"].get("allowedOrigins").is_none(), "{key}");
    let kinds: Vec<&str> = key["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["noOriginRestriction"],
        "the open key is flagged at once"
    );
    sim.shutdown().await;
}

#[test]
fn create_refuses_an_assistant_of_another_org() {
    let out = agencydesk(&["clients", "list", "--json"]);
    let orgs = stdout_json(&out);
    let other = orgs[1]["assistants"][0]["id"].as_str().unwrap();
    let out = agencydesk(&[
        "keys",
        "create",
        "--org",
        orgs[0]["id"].as_str().unwrap(),
        "--name",
        "Site",
        "--origin",
        "https://a.example",
        "--assistant",
        other,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("has no assistant"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_working_key_is_not_turned_off_or_deleted_without_force() {
    let sim = demo_world().await;
    let (org, key) = org_with_one_working_key(&sim).await;
    for command in ["disable", "delete"] {
        let out = agencydesk(&["keys", command, "--org", &org.id, "--key", &key]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("only working public key"), "{command}: {err}");
        assert!(err.contains("--force"), "{command}: {err}");
    }
    let out = agencydesk(&[
        "keys", "disable", "--org", &org.id, "--key", &key, "--force", "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let view = stdout_json(&out);
    assert_eq!(view["id"], key.as_str());
    assert_eq!(view["enabled"], false);
    let out = agencydesk(&[
        "keys", "delete", "--org", &org.id, "--key", &key, "--force", "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout_json(&out)["deleted"], key.as_str());
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_prints_the_snippets_to_change_and_keeps_both_keys_working() {
    let sim = demo_world().await;
    let (org, key) = org_with_one_working_key(&sim).await;
    let out = agencydesk(&["keys", "rotate", "--org", &org.id, "--key", &key, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let started = stdout_json(&out);
    assert_eq!(
        started["snippetsToUpdate"],
        serde_json::json!(["script-tag", "web-sdk", "react"])
    );
    assert_eq!(started["oldKey"]["id"], key.as_str());
    assert_eq!(
        started["oldKey"]["enabled"], true,
        "the old key keeps working"
    );
    assert_eq!(started["newKey"]["enabled"], true);
    assert_ne!(started["newKey"]["id"], started["oldKey"]["id"]);
    assert_eq!(
        started["newKey"]["restrictions"], started["oldKey"]["restrictions"],
        "the replacement allows exactly what the old key allowed"
    );

    let out = agencydesk(&["keys", "rotate", "--org", &org.id, "--key", &key]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--kind web-sdk"), "{text}");
    assert!(text.contains("--finish --new-key"), "{text}");

    // Finishing needs the replacement's id; a made-up one leaves the old key on.
    let out = agencydesk(&[
        "keys", "rotate", "--org", &org.id, "--key", &key, "--finish",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = agencydesk(&[
        "keys",
        "rotate",
        "--org",
        &org.id,
        "--key",
        &key,
        "--finish",
        "--new-key",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("old key stays on"),
        "{}",
        stderr(&out)
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_exits_3_with_findings_and_says_so_in_help() {
    let sim = demo_world().await;
    let out = agencydesk(&["keys", "audit", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let report = stdout_json(&out);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    // Every seeded key without any restriction is reported, with the fix to offer.
    for org in sim.manifest().orgs {
        for token in public_tokens(&sim, &org).await {
            if token.restrictions.is_none() {
                assert!(
                    findings.iter().any(|f| f["keyId"] == token.id.as_str()
                        && f["kind"] == "noOriginRestriction"
                        && f["fix"]["kind"] == "chooseOrigins"),
                    "unrestricted key {} not reported",
                    token.id
                );
            }
        }
    }
    assert!(stderr(&out).contains("finding"), "{}", stderr(&out));

    let text = agencydesk(&["keys", "audit"]);
    assert_eq!(text.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&text.stdout).contains("HIGH"));

    let help = agencydesk(&["keys", "audit", "--help"]);
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(help.contains("3 when there are findings"), "{help}");
    sim.shutdown().await;
}
