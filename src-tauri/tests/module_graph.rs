//! No circles between the top-level modules of the workspace's crates: a module never imports one
//! that imports it back (directly or through others). Layers stay layers: in core the leaves
//! (`vapi`, `store`, `billing`, `keys`, ...) know nothing of the `Agency` features built on them,
//! and in the app crate `commands` and `cli` sit over `state`, `sync_runs` and `ipc`.
//!
//! Reads the sources: an edge is any `crate::<module>` path in a file of another top-level
//! module (comments excluded), `use` lines and inline paths alike.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `agency/link.rs` and `agency.rs` belong to `agency`; `lib.rs` and `main.rs` to the root.
fn top_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

fn crate_paths(code: &str) -> impl Iterator<Item = String> + '_ {
    code.match_indices("crate::").filter_map(|(at, _)| {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        (!name.is_empty()).then_some(name)
    })
}

fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| top_module(src, f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let from = top_module(src, file);
        if from == "lib" || from == "main" {
            continue;
        }
        let code = without_comments(&std::fs::read_to_string(file).unwrap());
        for to in crate_paths(&code) {
            if to != from && modules.contains(&to) {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// One circle, as the modules along it, if there is any.
fn find_circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

fn assert_no_circle(crate_src: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(crate_src);
    let graph = graph(&src);
    assert!(graph.len() > 3, "{crate_src}: no modules found in {src:?}");
    if let Some(circle) = find_circle(&graph) {
        panic!(
            "{crate_src}: modules import each other in a circle: {}",
            circle.join(" -> ")
        );
    }
}

#[test]
fn the_app_crate_has_no_circle() {
    assert_no_circle("src");
}

#[test]
fn core_has_no_circle() {
    assert_no_circle("../crates/core/src");
}

#[test]
fn a_circle_is_found_and_named() {
    let mut graph = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned());
    }
    assert_eq!(
        find_circle(&graph).map(|c| c.join(" -> ")),
        Some("a -> b -> c -> a".to_owned())
    );
    graph.get_mut("c").unwrap().remove("a");
    assert_eq!(find_circle(&graph), None);
    let code = without_comments("use crate::state::X; // crate::cli\nlet y = crate::ipc::z;");
    assert_eq!(crate_paths(&code).collect::<Vec<_>>(), ["state", "ipc"]);
}
