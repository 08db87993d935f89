//! Golden snippets for a fixed request, each one parsed by its real toolchain.
//!
//! The golden files in `snippets_golden/` are what a reviewer reads to judge a template change.
//! After an intended change, regenerate them with
//! `UPDATE_GOLDEN=1 cargo test -p agencydesk-core --test snippets_golden` and review the diff.

#[path = "snippets_support/mod.rs"]
mod support;

use std::path::PathBuf;

use agencydesk_core::snippets::{generate, PrivateKeyGuard, Snippet, SnippetKind};
use support::*;

fn render(snippet: &Snippet) -> String {
    let mut out = format!(
        "kind: {}\nlanguage: {:?}\nfile: {}\nwarnings: {:?}\n--------\n{}",
        snippet.kind, snippet.language, snippet.filename_hint, snippet.warnings, snippet.code
    );
    for file in &snippet.companions {
        out.push_str(&format!(
            "======== companion {} ({:?}): {}\n{}",
            file.filename_hint, file.language, file.purpose, file.code
        ));
    }
    out
}

fn golden_path(kind: SnippetKind) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snippets_golden")
        .join(format!("{kind}.txt"))
}

#[test]
fn every_kind_matches_its_golden_file() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for kind in SnippetKind::ALL {
        let snippet = generate(&request(kind), &PrivateKeyGuard::default()).unwrap();
        let rendered = render(&snippet);
        let path = golden_path(kind);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &rendered).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == rendered => {}
            Ok(_) => mismatches.push(format!("{kind}: differs from {}", path.display())),
            Err(e) => mismatches.push(format!("{kind}: cannot read {}: {e}", path.display())),
        }
    }
    assert!(
        mismatches.is_empty(),
        "{mismatches:#?}\nIf the change is intended: UPDATE_GOLDEN=1 cargo test -p agencydesk-core --test snippets_golden"
    );
}

#[test]
fn every_kind_parses() {
    for kind in SnippetKind::ALL {
        let snippet = generate(&request(kind), &PrivateKeyGuard::default()).unwrap();
        if let Err(e) = check_syntax(&snippet) {
            panic!("{kind}: {e}");
        }
    }
}

#[test]
fn every_kind_parses_with_a_custom_api_base_url() {
    for kind in SnippetKind::ALL {
        let mut req = request(kind);
        req.api_base_url = Some("http://127.0.0.1:4010/".to_owned());
        let snippet = generate(&req, &PrivateKeyGuard::default()).unwrap();
        check_syntax(&snippet).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let all_code = std::iter::once(snippet.code.as_str())
            .chain(snippet.companions.iter().map(|c| c.code.as_str()))
            .collect::<String>();
        if kind == SnippetKind::ScriptTag {
            // The widget cannot be pointed elsewhere: it says so instead of pretending.
            assert!(snippet
                .warnings
                .iter()
                .any(|w| w.contains("script-tag widget")));
        } else {
            assert!(
                all_code.contains("\"http://127.0.0.1:4010\""),
                "{kind}:\n{all_code}"
            );
        }
    }
}

#[test]
fn hostile_names_cannot_break_out_of_any_snippet() {
    for kind in SnippetKind::ALL {
        let snippet = generate(&hostile_request(kind), &PrivateKeyGuard::default()).unwrap();
        check_syntax(&snippet).unwrap_or_else(|e| panic!("{kind} with a hostile name: {e}"));
        for code in std::iter::once(&snippet.code).chain(snippet.companions.iter().map(|c| &c.code))
        {
            assert!(!code.contains("<script>alert(1)"), "{kind}:\n{code}");
            assert!(!code.contains('\u{2028}'), "{kind}");
            // Template-literal syntax survives only in comments, where it is inert.
            for line in code.lines().filter(|l| l.contains("${x}")) {
                let t = line.trim_start();
                assert!(
                    t.starts_with("//") || t.starts_with('#') || t.starts_with("<!--"),
                    "{kind}: {line}"
                );
            }
        }
        if kind == SnippetKind::ScriptTag {
            // Exactly one script element: the name did not open or close another.
            inline_script(&snippet.code).unwrap();
        }
    }
}

#[test]
fn key_based_kinds_embed_the_public_key_and_backends_do_not() {
    for kind in SnippetKind::ALL {
        let snippet = generate(&request(kind), &PrivateKeyGuard::default()).unwrap();
        let all: String = std::iter::once(snippet.code.clone())
            .chain(snippet.companions.iter().map(|c| c.code.clone()))
            .collect();
        assert_eq!(all.contains(PUBLIC_KEY), kind.uses_public_key(), "{kind}");
        assert!(!all.contains(PRIVATE_KEY), "{kind}");
        if !kind.uses_public_key() {
            assert!(
                snippet.code.contains("VAPI_PRIVATE_KEY"),
                "{kind} reads the key from the environment"
            );
            assert_eq!(
                snippet.companions.len(),
                1,
                "{kind} comes with its page code"
            );
        }
    }
}
