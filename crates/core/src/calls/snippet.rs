//! A few lines of a call's text around the first place a search matched, the matching words
//! marked. Cut here from the call's JSON because the index keeps no copy of the text.

use serde::Serialize;
use ts_rs::TS;

use super::search_terms::{words, Term};

/// Characters of context before the first match, and the snippet's length at most.
const BEFORE: usize = 60;
const LENGTH: usize = 220;

/// A piece of a snippet: a matching word or the text between matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// Byte ranges of `text` the terms match, in order.
fn matches(text: &str, terms: &[Term]) -> Vec<(usize, usize)> {
    let tokens: Vec<(usize, &str)> = words(text).collect();
    let lower: Vec<String> = tokens.iter().map(|(_, w)| w.to_lowercase()).collect();
    let mut spans = Vec::new();
    for term in terms {
        let n = term.words.len();
        for i in 0..lower.len().saturating_sub(n - 1) {
            let hit = term.words.iter().enumerate().all(|(j, w)| {
                let token = &lower[i + j];
                if term.prefix && j == n - 1 {
                    token.starts_with(w.as_str())
                } else {
                    token == w
                }
            });
            if hit {
                for (start, word) in &tokens[i..i + n] {
                    spans.push((*start, start + word.len()));
                }
            }
        }
    }
    spans.sort_unstable();
    spans.dedup();
    spans
}

/// The nearest char boundary at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The snippet of `text` around its first match; `None` when the terms do not match it.
pub(crate) fn snippet(text: &str, terms: &[Term]) -> Option<Vec<SnippetPart>> {
    let spans = matches(text, terms);
    let (first, _) = *spans.first()?;
    let start = floor(text, first.saturating_sub(BEFORE));
    // Start at a word, not inside one.
    let start = if start == 0 {
        0
    } else {
        text[start..first]
            .find(char::is_whitespace)
            .map_or(first, |i| start + i + 1)
    };
    let end = floor(text, (start + LENGTH).min(text.len())).max(first);
    let mut parts = Vec::new();
    let mut push = |piece: &str, hit: bool| {
        let piece = piece.replace(['\n', '\r'], " ");
        if !piece.is_empty() {
            parts.push(SnippetPart { text: piece, hit });
        }
    };
    if start > 0 {
        push("…", false);
    }
    let mut at = start;
    for (s, e) in spans {
        if s < at || e > end {
            continue;
        }
        push(&text[at..s], false);
        push(&text[s..e], true);
        at = e;
    }
    push(&text[at..end], false);
    if end < text.len() {
        push("…", false);
    }
    Some(parts)
}

/// The start of `text` without marks: what a result shows when its match is in a word the
/// index folds differently (an accent) or in text it no longer holds.
pub(crate) fn opening(text: &str) -> Vec<SnippetPart> {
    let end = floor(text, LENGTH.min(text.len()));
    let clipped = end < text.len();
    let mut text = text[..end].replace(['\n', '\r'], " ");
    if clipped {
        text.push('…');
    }
    vec![SnippetPart { text, hit: false }]
}

/// The parts as one line, matches between `**`.
pub fn snippet_text(parts: &[SnippetPart]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.hit {
                format!("**{}**", p.text)
            } else {
                p.text.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::search_terms::parse;

    #[test]
    fn marks_words_phrases_and_prefixes() {
        let text = "AI: Hello!\nUser: I need to cancel my cleaning next week, please.";
        let parts = snippet(text, &parse(r#"cancel* "next week""#)).unwrap();
        assert_eq!(
            snippet_text(&parts),
            "AI: Hello! User: I need to **cancel** my cleaning **next** **week**, please."
        );
        assert!(snippet(text, &parse("dentist")).is_none());
        assert!(snippet(text, &parse(r#""week next""#)).is_none());
    }

    #[test]
    fn long_text_is_cut_around_the_first_match_at_char_boundaries() {
        let text = format!("{} needle {}", "é ".repeat(200), "ü ".repeat(200));
        let parts = snippet(&text, &parse("needle")).unwrap();
        let line = snippet_text(&parts);
        assert!(line.starts_with('…') && line.ends_with('…'), "{line}");
        assert!(line.contains("**needle**"));
        assert!(line.chars().count() < LENGTH + 10, "{line}");
    }
}
