//! Month-end from the command line alone: `agencydesk plan show|set` on a real agency (the real
//! binary, a real data folder, client orgs of a simulator on 127.0.0.1, keys in a throwaway
//! keychain), checked by the app's plan-editor rules, and `invoice export` refusing to end a
//! month silently when no client has a plan.

mod cli_support;
mod keychain_support;

use std::path::Path;

use cli_support::{json_of, link_all, ok, run, sim, stderr, text};
use keychain_support::in_throwaway_keychain;
use serde_json::{json, Value};

fn show(client: &str, data: &Path) -> Value {
    json_of(&run(&["plan", "show", "--client", client, "--json"], data))
}

fn export(out_dir: &Path, extra: &[&str], data: &Path) -> std::process::Output {
    let mut args = vec![
        "invoice",
        "export",
        "--month",
        "2026-10",
        "--out",
        out_dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args, data)
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

// Multi-threaded: the simulator must keep serving while this thread waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_set_from_the_cli_is_the_one_invoices_use() {
    if !in_throwaway_keychain("a_plan_set_from_the_cli_is_the_one_invoices_use") {
        return;
    }
    let sim = sim(2, 1).await;
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    link_all(&sim, data.path());
    let manifest = sim.manifest();
    let (first, second) = (&manifest.orgs[0].id, &manifest.orgs[1].id);

    // No plan anywhere: not a silent success, and the command that fixes it is printed.
    let nothing = export(out.path(), &["--format", "qbo"], data.path());
    assert_eq!(nothing.status.code(), Some(1), "{}", text(&nothing));
    let said = stderr(&nothing);
    assert!(said.contains("Nothing to invoice"), "{said}");
    for id in [first, second] {
        assert!(
            said.contains(&format!("agencydesk plan set --client {id}")),
            "{said}"
        );
    }
    assert_eq!(files_in(out.path()), 0, "nothing written");
    let one = export(
        out.path(),
        &["--format", "generic", "--draft", "--client", first],
        data.path(),
    );
    assert_eq!(one.status.code(), Some(1), "{}", text(&one));
    assert!(
        stderr(&one).contains(&format!("agencydesk plan set --client {first}")),
        "{}",
        text(&one)
    );

    let empty = show(first, data.path());
    assert_eq!(empty["saved"], false, "{empty}");
    assert_eq!(empty["plan"], Value::Null, "{empty}");
    let told = ok(&run(&["plan", "show", "--client", first], data.path()));
    assert!(told.contains("no pricing plan yet"), "{told}");
    assert!(told.contains("agencydesk plan set --client"), "{told}");

    // Set field by field; what is not named stays.
    ok(&run(
        &[
            "plan",
            "set",
            "--client",
            first,
            "--per-minute",
            "0.15",
            "--rounding",
            "60s",
            "--monthly-fee",
            "49",
            "--tax-rate",
            "8.25",
            "--tax-code",
            "TAX",
        ],
        data.path(),
    ));
    let plan = show(first, data.path());
    assert_eq!(plan["saved"], true, "{plan}");
    assert_eq!(
        plan["plan"],
        json!({
            "currency": "USD",
            "usdExchangeRate": null,
            "markupPercent": null,
            "perMinuteRate": "0.15",
            "minuteRounding": "up_to_60s",
            "monthlyFee": "49",
            "includedMinutes": null,
            "tax": {"code": "TAX", "ratePercent": "8.25"},
            "paymentTermsDays": 30
        })
    );
    ok(&run(
        &["plan", "set", "--client", first, "--monthly-fee", "59.50"],
        data.path(),
    ));
    let plan = show(first, data.path());
    assert_eq!(plan["plan"]["monthlyFee"], "59.50");
    assert_eq!(plan["plan"]["perMinuteRate"], "0.15");
    let shown = ok(&run(&["plan", "show", "--client", first], data.path()));
    assert!(shown.contains("59.50") && shown.contains("60s"), "{shown}");

    // Refused by the plan editor's rules, each under the flag to fix; nothing changes.
    for (args, flag, words) in [
        (
            vec!["--included-minutes", "500", "--overage-rate", "0.10"],
            "--included-minutes",
            "either",
        ),
        (
            vec!["--markup-percent", "ten"],
            "--markup-percent",
            "number",
        ),
        (vec!["--currency", "EUR"], "--usd-exchange-rate", "USD"),
        (vec!["--tax-code", "none"], "--tax-code", "tax code"),
    ] {
        let mut all = vec!["plan", "set", "--client", first.as_str()];
        all.extend_from_slice(&args);
        let refused = run(&all, data.path());
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&refused)
        );
        let said = stderr(&refused);
        assert!(said.contains("was not saved"), "{args:?}: {said}");
        assert!(said.contains(flag), "{args:?}: {said}");
        assert!(said.contains(words), "{args:?}: {said}");
        assert_eq!(show(first, data.path()), plan, "{args:?} changed the plan");
    }
    for (args, status) in [
        (
            vec![
                "plan",
                "set",
                "--client",
                first.as_str(),
                "--rounding",
                "45s",
            ],
            2,
        ),
        (vec!["plan", "set", "--client", first.as_str()], 1),
        (
            vec![
                "plan",
                "set",
                "--client",
                "no-such-org",
                "--markup-percent",
                "10",
            ],
            1,
        ),
        (vec!["plan", "show", "--client", "no-such-org"], 1),
    ] {
        let refused = run(&args, data.path());
        assert_eq!(
            refused.status.code(),
            Some(status),
            "{args:?}: {}",
            text(&refused)
        );
    }

    // Switching styles: clear the rate, use included minutes.
    ok(&run(
        &[
            "plan",
            "set",
            "--client",
            first,
            "--per-minute",
            "none",
            "--included-minutes",
            "500",
            "--overage-rate",
            "0.12",
        ],
        data.path(),
    ));
    let plan = show(first, data.path());
    assert_eq!(plan["plan"]["perMinuteRate"], Value::Null);
    assert_eq!(
        plan["plan"]["includedMinutes"],
        json!({"minutes": 500, "overageRate": "0.12"})
    );

    // Now the month ends: the client with a plan is invoiced, the other named with its command.
    let draft = export(out.path(), &["--format", "generic", "--draft"], data.path());
    let files: Vec<String> = ok(&draft).lines().map(str::to_owned).collect();
    assert_eq!(files.len(), 1, "{}", text(&draft));
    let csv = std::fs::read_to_string(&files[0]).unwrap();
    assert!(csv.contains("59.50"), "the monthly fee is billed: {csv}");
    assert!(
        stderr(&draft).contains(&format!("agencydesk plan set --client {second}")),
        "{}",
        text(&draft)
    );
}
