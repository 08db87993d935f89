//! The IPC contract, generated from the Rust side (see `src/ipc`): this test writes
//! `ui/src/lib/bindings/commands.ts` and every type binding it reaches (`make test` then fails if
//! the committed files drift), and checks that the command list, the capability file and the UI's
//! imports agree with it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use agencydesk::ipc::typescript::{self, BINDINGS_DIR, COMMANDS_FILE};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("src-tauri sits in the repository")
        .to_path_buf()
}

fn read_binding(name: &str) -> String {
    let path = repo().join(BINDINGS_DIR).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The one export: every file the UI's types come from (the only test that writes them).
#[test]
fn writes_the_command_table_and_every_type_it_reaches() {
    let contract = agencydesk::commands::contract();
    let written = typescript::write_bindings(&contract, &repo()).unwrap();
    for file in written.types.iter().chain([&written.commands]) {
        assert!(
            repo().join(file).is_file(),
            "{} was written",
            file.display()
        );
    }

    let table = read_binding(COMMANDS_FILE);
    // The key goes in as plain text once; the answer is a view with its fingerprint at most.
    assert!(
        table.contains(
            "link_client: { args: { baseUrl: string; key: string }; result: ClientOrgView };"
        ),
        "{table}"
    );
    assert!(
        table.contains(r#"import type { ClientOrgView } from "./ClientOrgView";"#),
        "{table}"
    );
    assert!(
        table.contains(r#"getStatus: (): Promise<AppStatus> => invoke("get_status", {}),"#),
        "{table}"
    );
    assert!(
        table.contains(r#""sync-progress": SyncProgress;"#),
        "{table}"
    );

    // What the per-module export tests checked: imports between files resolve in one folder.
    let app_status = read_binding("AppStatus.ts");
    assert!(
        app_status.contains(r#"from "./ErrorPayload""#),
        "{app_status}"
    );
    assert!(
        app_status.contains(r#"from "./SessionInfo""#),
        "{app_status}"
    );
    let environment = read_binding("EnvironmentInfo.ts");
    assert!(
        environment.contains(r#"from "./SessionMode""#),
        "{environment}"
    );
    assert!(
        environment.contains("dataFolder: string | null"),
        "{environment}"
    );
    let billing = read_binding("ClientBilling.ts");
    assert!(billing.contains(r#"from "./InvoicePreview""#), "{billing}");
    let months = read_binding("CallsMonths.ts");
    assert!(months.contains(r#"from "./MonthFigures""#), "{months}");
    let events = read_binding("SyncEventName.ts");
    assert!(
        events.contains(r#""sync-progress" | "sync-finished""#),
        "{events}"
    );
}

#[test]
fn the_table_is_sorted_and_the_same_every_time() {
    let first = typescript::commands_ts(&agencydesk::commands::contract()).unwrap();
    let second = typescript::commands_ts(&agencydesk::commands::contract()).unwrap();
    assert_eq!(first, second);
    let contract = agencydesk::commands::contract();
    let names: Vec<&str> = contract.commands.iter().map(|c| c.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn the_handler_list_and_the_contract_name_the_same_commands() {
    let registered: BTreeSet<&str> = agencydesk::commands::NAMES.iter().copied().collect();
    assert_eq!(
        registered.len(),
        agencydesk::commands::NAMES.len(),
        "a command is listed twice"
    );
    let contract = agencydesk::commands::contract();
    let described: BTreeSet<&str> = contract.commands.iter().map(|c| c.name).collect();
    assert_eq!(registered, described);
}

/// build.rs makes an `allow-<command>` permission of each listed command; the main window must be
/// granted exactly those (a command missing here is unreachable, an extra grant names nothing).
#[test]
fn the_capability_grants_exactly_the_commands() {
    let path = repo().join("src-tauri/capabilities/default.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let capability: serde_json::Value = serde_json::from_str(&text).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .filter_map(|p| p.as_str())
        // Plugin permissions are `plugin:permission`; the app's own have no prefix.
        .filter(|p| !p.contains(':'))
        .map(str::to_owned)
        .collect();
    let expected: BTreeSet<String> = agencydesk::commands::NAMES
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    let missing: Vec<_> = expected.difference(&granted).collect();
    let extra: Vec<_> = granted.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "capabilities/default.json: missing {missing:?}, not a command {extra:?}"
    );
}

/// The coordinator can delete the per-type export tests: the UI needs no file this export does
/// not write.
#[test]
fn every_binding_the_ui_imports_comes_from_the_contract() {
    let contract = agencydesk::commands::contract();
    let generated: BTreeSet<String> = contract
        .types
        .files()
        .iter()
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .chain([COMMANDS_FILE.trim_end_matches(".ts").to_owned()])
        .collect();
    let ui = repo().join("ui/src");
    let bindings = repo().join(BINDINGS_DIR);
    let mut missing = BTreeSet::new();
    for file in files_under(&ui) {
        if file.starts_with(&bindings) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for name in binding_imports(&text) {
            if !generated.contains(&name) {
                missing.insert(format!("{} ({})", name, file.display()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not reached by the contract: {missing:?}"
    );
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "svelte") {
                out.push(path);
            }
        }
    }
    out
}

/// `X` of every `bindings/X"` in an import.
fn binding_imports(text: &str) -> Vec<String> {
    text.split("bindings/")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(name, _)| name.to_owned()))
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

/// No committed binding is left behind by a type that left the contract.
#[test]
fn every_committed_binding_is_generated() {
    let contract = agencydesk::commands::contract();
    let generated: BTreeSet<PathBuf> = contract
        .types
        .files()
        .iter()
        .filter_map(|p| p.file_name().map(PathBuf::from))
        .chain([PathBuf::from(COMMANDS_FILE)])
        .collect();
    let stale: Vec<String> = std::fs::read_dir(repo().join(BINDINGS_DIR))
        .unwrap()
        .map(|entry| PathBuf::from(entry.unwrap().file_name()))
        .filter(|name| !generated.contains(name))
        .map(|name| name.to_string_lossy().trim_end_matches(".ts").to_owned())
        .collect();
    assert!(stale.is_empty(), "no longer generated, delete: {stale:?}");
}
