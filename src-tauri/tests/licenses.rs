//! Writes `src-tauri/licenses/crates.tsv`, the crates the About panel lists, from `cargo metadata`:
//! every package the app is built from through normal dependencies (not build scripts' or tests'
//! own), on any platform, with its license. `make test` fails when the committed file drifts
//! from Cargo.lock, so the About panel never names a crate the app does not contain or misses one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn the_license_list_names_every_crate_compiled_in() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("src-tauri sits in the repository");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--manifest-path",
        ])
        .arg(root.join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");

    let packages: BTreeMap<&str, &Value> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().expect("package id"), p))
        .collect();
    let app = packages
        .values()
        .find(|p| p["name"] == "agencydesk")
        .map(|p| p["id"].as_str().expect("id"))
        .expect("the app package");
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("resolve nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("node id"), n))
        .collect();

    // Normal dependencies only, transitively: what the app binary is made of.
    let mut seen = BTreeSet::new();
    let mut todo = vec![app];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().expect("deps") {
            let normal = dep["dep_kinds"]
                .as_array()
                .expect("dep_kinds")
                .iter()
                .any(|k| k["kind"].is_null());
            if normal {
                todo.push(dep["pkg"].as_str().expect("dep pkg"));
            }
        }
    }

    let mut rows: Vec<String> = seen
        .iter()
        .map(|id| {
            let p = packages[id];
            let license = p["license"]
                .as_str()
                .map(str::to_owned)
                .or_else(|| {
                    p["license_file"]
                        .as_str()
                        .map(|_| "see its license file".to_owned())
                })
                .unwrap_or_else(|| "see its repository".to_owned());
            format!(
                "{}\t{}\t{}",
                p["name"].as_str().expect("name"),
                p["version"].as_str().expect("version"),
                license.replace(['\t', '\n'], " ")
            )
        })
        .collect();
    rows.sort();
    rows.dedup();
    assert!(
        rows.len() > 100,
        "a Tauri app is built from hundreds of crates"
    );
    for needed in ["tauri\t", "rusqlite\t", "keyring\t", "agencydesk-core\t"] {
        assert!(
            rows.iter().any(|r| r.starts_with(needed)),
            "{needed} is listed"
        );
    }
    assert!(
        !rows.iter().any(|r| r.starts_with("proptest\t")),
        "test-only crates are not listed"
    );

    let file = root.join("src-tauri/licenses/crates.tsv");
    let text = rows.join("\n") + "\n";
    if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
        std::fs::write(&file, text).expect("write crates.tsv");
    }
}
