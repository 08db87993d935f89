//! The kinds of full-text search the benchmarks time (issue 10): a phrase, a word, a prefix,
//! two words, one client's calls, a month a year back, a word no call holds; made of the words
//! of a real cached transcript so that they find calls.

use std::time::Instant;

use agencydesk_core::calls::{self, CallSearch};
use agencydesk_core::store::{time, Store, StoreError};
use serde_json::{json, Value};

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// Times each kind of search (`runs` runs, median) on `store`; `call` is one cached call's JSON
/// whose transcript gives the words, `org` the client of the one-client search. Prints each
/// and returns the figures and the median of the medians.
pub fn timed(
    store: &Store,
    call: Option<&Value>,
    org: &str,
    runs: usize,
) -> BenchResult<(Vec<Value>, f64)> {
    let transcript = call
        .and_then(|c| {
            c.get("transcript")
                .or_else(|| c.pointer("/artifact/transcript"))
        })
        .and_then(Value::as_str)
        .unwrap_or("");
    let words: Vec<String> = transcript
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 3 && !matches!(*w, "User"))
        .map(str::to_lowercase)
        .collect();
    let word = |i: usize| {
        words
            .get(i % words.len().max(1))
            .cloned()
            .unwrap_or_default()
    };
    let newest: i64 = store.read(|c| {
        Ok::<_, StoreError>(c.query_row("SELECT MAX(created_ms) FROM calls", [], |r| r.get(0))?)
    })?;
    let newest = time::parse(&time::format_ms(newest)).ok_or("bad time")?;
    let base = |text: String| CallSearch {
        text,
        ..CallSearch::default()
    };
    let queries = [
        ("phrase", base(format!("\"{} {}\"", word(3), word(4)))),
        ("word", base(word(6))),
        (
            "prefix",
            base(format!("{}*", &word(8)[..word(8).len().min(3)])),
        ),
        ("two words", base(format!("{} {}", word(2), word(9)))),
        (
            "word, one client",
            CallSearch {
                org_id: Some(org.to_owned()),
                ..base(word(6))
            },
        ),
        (
            "word, one month a year back",
            CallSearch {
                from: Some(newest - chrono::Duration::days(395)),
                to: Some(newest - chrono::Duration::days(365)),
                ..base(word(6))
            },
        ),
        ("no match", base("zzqxvw".to_owned())),
    ];
    let mut figures = Vec::new();
    let mut medians = Vec::new();
    for (label, q) in &queries {
        let hits = store.read(|c| calls::search_calls(c, q))?.hits.len();
        let mut times = Vec::with_capacity(runs);
        for _ in 0..runs.max(1) {
            let start = Instant::now();
            store.read(|c| calls::search_calls(c, q))?;
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let ms = times[times.len() / 2];
        println!(
            "  search {label} ({:?}): {hits} results on the first page, {ms:.1} ms",
            q.text
        );
        medians.push(ms);
        figures.push(json!({"label": label, "query": q.text, "hits": hits, "ms": ms}));
    }
    medians.sort_by(f64::total_cmp);
    Ok((figures, medians[medians.len() / 2]))
}
