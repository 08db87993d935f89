//! `agencydesk alerts set|clear|list|check` on a real agency: thresholds stored in the real
//! SQLite file, a month's spend from the synced cache of a simulator on 127.0.0.1, and `check`
//! exiting 4 while a threshold is crossed, reporting each one as new only the first time.

mod cli_support;
mod keychain_support;

use chrono::{Datelike, Utc};
use cli_support::{json_of, link_all, ok, run, sim, stderr, text};
use keychain_support::in_throwaway_keychain;
use serde_json::Value;

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_check_exits_4_once_a_threshold_is_crossed() {
    if !in_throwaway_keychain("alerts_check_exits_4_once_a_threshold_is_crossed") {
        return;
    }
    let sim = sim(2, 65).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    ok(&run(&["sync"], data.path()));
    let manifest = sim.manifest();
    let (a, b) = (manifest.orgs[0].id.clone(), manifest.orgs[1].id.clone());
    let first = Utc::now().date_naive().with_day(1).unwrap();
    let month = first.pred_opt().unwrap().format("%Y-%m").to_string();
    let check = |extra: &[&str]| {
        let mut args = vec!["alerts", "check", "--month", month.as_str()];
        args.extend_from_slice(extra);
        run(&args, data.path())
    };

    // Nothing set: nothing crossed.
    let quiet = check(&[]);
    assert_eq!(quiet.status.code(), Some(0), "{}", text(&quiet));
    assert!(ok(&run(&["alerts", "list"], data.path())).contains("No spend thresholds"));

    // b's limit at Vapi, far above a month of its calls.
    ok(&run(
        &["clients", "limit", "--org", &b, "--set", "1000"],
        data.path(),
    ));
    ok(&run(
        &["alerts", "set", "--org", &a, "--amount", "0.01"],
        data.path(),
    ));
    ok(&run(
        &["alerts", "set", "--agency", "--amount", "1000000"],
        data.path(),
    ));
    ok(&run(
        &["alerts", "set", "--org", &b, "--limit-percent", "50"],
        data.path(),
    ));
    let listed = json_of(&run(&["alerts", "list", "--json"], data.path()));
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
    assert_eq!(
        listed[0]["orgId"],
        Value::Null,
        "the agency's first: {listed}"
    );

    let crossed = check(&["--json"]);
    assert_eq!(crossed.status.code(), Some(4), "{}", text(&crossed));
    let report = json_of(&crossed);
    let rows = report["crossed"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["threshold"]["orgId"], a.as_str());
    assert_eq!(rows[0]["firstTime"], true);
    assert!(rows[0]["spent"].as_str().unwrap().parse::<f64>().unwrap() > 0.01);
    assert_eq!(report["unchecked"], serde_json::json!([]), "{report}");

    // Still crossed, no longer new.
    let again = json_of(&check(&["--json"]));
    assert_eq!(again["crossed"][0]["firstTime"], false, "{again}");

    // A limit at Vapi of 1 USD: half of it is crossed by any month of calls.
    ok(&run(
        &["clients", "limit", "--org", &b, "--set", "1"],
        data.path(),
    ));
    let both = json_of(&check(&["--json"]));
    let who: Vec<&str> = both["crossed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["threshold"]["orgId"].as_str().unwrap())
        .collect();
    assert_eq!(who.len(), 2, "{both}");
    assert!(who.contains(&b.as_str()), "{both}");
    let share = both["crossed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["threshold"]["orgId"] == b.as_str())
        .unwrap();
    assert_eq!(share["at"], "0.5");
    assert_eq!(share["firstTime"], true);

    // Every sync checks this month: a threshold crossed says so once, on standard error.
    ok(&run(
        &["alerts", "set", "--agency", "--amount", "0.01"],
        data.path(),
    ));
    sim.handle().add_calls(&a, 3, None);
    let synced = run(&["sync"], data.path());
    assert!(
        stderr(&synced).contains("Spend alert: the agency (all clients) reached 0.01 USD"),
        "{}",
        text(&synced)
    );
    let quiet_sync = run(&["sync"], data.path());
    assert!(
        !stderr(&quiet_sync).contains("Spend alert"),
        "once a month: {}",
        text(&quiet_sync)
    );
    ok(&run(
        &["alerts", "set", "--agency", "--amount", "1000000"],
        data.path(),
    ));

    // Refusals.
    for (args, status) in [
        (
            vec!["alerts", "set", "--agency", "--limit-percent", "80"],
            1,
        ),
        (
            vec!["alerts", "set", "--org", a.as_str(), "--amount", "0"],
            1,
        ),
        (
            vec![
                "alerts",
                "set",
                "--org",
                a.as_str(),
                "--limit-percent",
                "150",
            ],
            1,
        ),
        (
            vec!["alerts", "set", "--org", "no-such-org", "--amount", "5"],
            1,
        ),
        (vec!["alerts", "set", "--org", a.as_str()], 2),
        (vec!["alerts", "set", "--amount", "5"], 2),
    ] {
        let refused = run(&args, data.path());
        assert_eq!(
            refused.status.code(),
            Some(status),
            "{args:?}: {}",
            text(&refused)
        );
    }

    // Cleared, the month is quiet again.
    ok(&run(
        &["alerts", "clear", "--org", &a, "--kind", "amount"],
        data.path(),
    ));
    ok(&run(
        &["alerts", "clear", "--org", &b, "--kind", "limit-percent"],
        data.path(),
    ));
    let calm = check(&[]);
    assert_eq!(calm.status.code(), Some(0), "{}", text(&calm));
    assert!(ok(&calm).contains("no spend threshold crossed"));
}
