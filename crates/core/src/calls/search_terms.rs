//! What a person types in the search box, as an FTS5 query. Only words survive: each is quoted,
//! so no input can be read as FTS5 syntax (a stray `"`, `NEAR`, `-`, a column name), and none
//! fails as a syntax error. `"two words"` is a phrase; `word*` (or `"two wor"*`) a prefix; the
//! terms must all appear.

/// One term of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Term {
    /// Lower-case words, in order: one for a word, several for a phrase.
    pub words: Vec<String>,
    /// The last word is a prefix.
    pub prefix: bool,
}

/// Words as the index's tokenizer (unicode61) cuts them: runs of letters and digits.
pub(crate) fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut out = Vec::new();
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (start, c.is_alphanumeric()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

fn term(text: &str, prefix: bool) -> Option<Term> {
    let words: Vec<String> = words(text).map(|(_, w)| w.to_lowercase()).collect();
    (!words.is_empty()).then_some(Term { words, prefix })
}

/// The terms of `query`; empty when it holds no word.
pub(crate) fn parse(query: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut rest = query;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            let after = quoted.get(end + 1..).unwrap_or("");
            let prefix = after.starts_with('*');
            terms.extend(term(&quoted[..end], prefix));
            rest = after.strip_prefix('*').unwrap_or(after);
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let token = &rest[..end];
            let prefix = token.ends_with('*');
            terms.extend(term(token.trim_end_matches('*'), prefix));
            rest = &rest[end..];
        }
    }
    terms
}

/// The FTS5 expression of `terms`: their words. The index keeps neither columns nor positions
/// (`detail=none`), so the search checks each term in the call's transcript and summary.
pub(crate) fn fts_expression(terms: &[Term]) -> String {
    let parts: Vec<String> = terms
        .iter()
        .flat_map(|t| {
            let last = t.words.len().saturating_sub(1);
            t.words.iter().enumerate().map(move |(i, w)| {
                format!("\"{w}\"{}", if t.prefix && i == last { " *" } else { "" })
            })
        })
        .collect();
    format!("({})", parts.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(words: &[&str], prefix: bool) -> Term {
        Term {
            words: words.iter().map(|w| (*w).to_owned()).collect(),
            prefix,
        }
    }

    #[test]
    fn phrases_prefixes_and_hostile_input() {
        assert_eq!(
            parse(r#"  "Next Week" cancel* don't"#),
            vec![
                t(&["next", "week"], false),
                t(&["cancel"], true),
                t(&["don", "t"], false)
            ]
        );
        assert_eq!(
            parse(r#""root can"* x"#),
            vec![t(&["root", "can"], true), t(&["x"], false)]
        );
        assert_eq!(
            parse(r#"NEAR( "a OR -b"#),
            vec![t(&["near"], false), t(&["a", "or", "b"], false)]
        );
        assert!(parse(r#" "" * -- () "#).is_empty());
        assert_eq!(
            fts_expression(&parse(r#"cancel* "next week""#)),
            r#"("cancel" * AND "next" AND "week")"#
        );
    }
}
