//! `agencydesk clients limit --org ID [--set AMOUNT] [--json]` on a real agency: the real binary,
//! a real data folder, a simulator on 127.0.0.1, keys in a throwaway keychain.

mod cli_support;
mod keychain_support;

use cli_support::{json_of, link_all, ok, run, sim, stderr, text};
use keychain_support::in_throwaway_keychain;

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_limit_shows_sets_and_refuses_like_vapi() {
    if !in_throwaway_keychain("clients_limit_shows_sets_and_refuses_like_vapi") {
        return;
    }
    let sim = sim(1, 2).await;
    let data = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let org = sim.manifest().orgs[0].id.clone();

    let shown = json_of(&run(
        &["clients", "limit", "--org", &org, "--json"],
        data.path(),
    ));
    assert_eq!(shown["orgId"], org.as_str());
    assert!(
        shown["billingLimit"].is_string(),
        "the seeded limit, as text: {shown}"
    );
    assert_eq!(shown["concurrencyLimit"], 10.0);
    assert_eq!(shown["subscription"]["credits"], "500.00");
    assert!(shown["minutesUsed"].as_f64().unwrap() > 0.0, "{shown}");
    let words = ok(&run(&["clients", "limit", "--org", &org], data.path()));
    assert!(
        words.contains("USD a month") && words.contains("500.00 USD"),
        "{words}"
    );

    let set = ok(&run(
        &["clients", "limit", "--org", &org, "--set", "120.50"],
        data.path(),
    ));
    assert!(
        set.contains("Billing limit set") && set.contains("120.5 USD a month"),
        "{set}"
    );
    // What Vapi now holds, read by another process.
    let again = json_of(&run(
        &["clients", "limit", "--org", &org, "--json"],
        data.path(),
    ));
    assert_eq!(again["billingLimit"], "120.5");

    let requests = sim.handle().request_count();
    for amount in ["1500", "-1", "9.999", "lots"] {
        let refused = run(
            &["clients", "limit", "--org", &org, "--set", amount],
            data.path(),
        );
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{amount}: {}",
            text(&refused)
        );
        assert!(
            stderr(&refused).contains("limit"),
            "{amount}: {}",
            text(&refused)
        );
    }
    assert_eq!(
        sim.handle().request_count(),
        requests,
        "nothing sent to Vapi"
    );
    let unknown = run(&["clients", "limit", "--org", "no-such-org"], data.path());
    assert_eq!(unknown.status.code(), Some(1), "{}", text(&unknown));
    let kept = json_of(&run(
        &["clients", "limit", "--org", &org, "--json"],
        data.path(),
    ));
    assert_eq!(kept["billingLimit"], "120.5");
}
