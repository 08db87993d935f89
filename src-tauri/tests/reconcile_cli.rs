//! `agencydesk reconcile --org ID --month YYYY-MM [--json]` on a real agency: "cache matches
//! Vapi" and exit 0 after a sync; the days that differ and exit 3 once Vapi holds calls the cache
//! lacks. The real binary, a real data folder, a simulator on 127.0.0.1, a throwaway keychain.

mod cli_support;
mod keychain_support;

use chrono::{Datelike, Utc};
use cli_support::{json_of, link_all, ok, run, sim, stderr, text};
use keychain_support::in_throwaway_keychain;

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconcile_matches_after_a_sync_and_names_the_days_that_drift() {
    if !in_throwaway_keychain("reconcile_matches_after_a_sync_and_names_the_days_that_drift") {
        return;
    }
    let sim = sim(1, 65).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    ok(&run(&["sync"], data.path()));
    let org = sim.manifest().orgs[0].id.clone();
    let first = Utc::now().date_naive().with_day(1).unwrap();
    let last_month = first.pred_opt().unwrap();
    let month = last_month.format("%Y-%m").to_string();

    let clean = run(
        &["reconcile", "--org", &org, "--month", &month],
        data.path(),
    );
    let said = ok(&clean);
    assert!(said.contains("cache matches Vapi"), "{said}");

    // Vapi gets calls on one day of that month that the cache does not have.
    let day = last_month.with_day(12).unwrap();
    let at = day.and_hms_opt(9, 0, 0).unwrap().and_utc();
    sim.handle().add_calls(&org, 2, Some(at));
    let drift = run(
        &["reconcile", "--org", &org, "--month", &month],
        data.path(),
    );
    assert_eq!(drift.status.code(), Some(3), "{}", text(&drift));
    let table = String::from_utf8_lossy(&drift.stdout).into_owned();
    assert!(table.contains(&day.to_string()), "{table}");
    assert!(stderr(&drift).contains("--resync"), "{}", text(&drift));

    let json = run(
        &["reconcile", "--org", &org, "--month", &month, "--json"],
        data.path(),
    );
    assert_eq!(json.status.code(), Some(3), "{}", text(&json));
    let report = json_of(&json);
    assert_eq!(report["matches"], false);
    let days = report["differingDays"].as_array().unwrap();
    assert_eq!(days.len(), 1, "{report}");
    assert_eq!(days[0]["day"], day.to_string());
    assert_eq!(
        days[0]["vapiCalls"].as_u64().unwrap(),
        days[0]["cachedCalls"].as_u64().unwrap() + 2
    );

    // --resync re-reads the days that differ, then compares again: the month matches.
    let fixed = run(
        &["reconcile", "--org", &org, "--month", &month, "--resync"],
        data.path(),
    );
    assert!(
        ok(&fixed).contains("cache matches Vapi"),
        "{}",
        text(&fixed)
    );
    assert!(
        stderr(&fixed).contains("Re-read 1 day(s)"),
        "{}",
        text(&fixed)
    );
    ok(&run(
        &["reconcile", "--org", &org, "--month", &month],
        data.path(),
    ));

    let bad = run(
        &["reconcile", "--org", &org, "--month", "2026-13"],
        data.path(),
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
}
