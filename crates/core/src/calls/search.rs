//! Full-text search over every cached call's transcript and summary, newest first.
//!
//! The index (`calls_fts`) keys each call by its creation time (see its migration), so it
//! yields matches newest first by itself: a page reads the index until it has enough calls that
//! pass the filters, then cuts their snippets from their JSON. A client, assistant or
//! endedReason filter is also a word of the index's `facets` column, so the index intersects
//! it; dates bound the keys (to the second); every filter is checked again on the call's own
//! columns, and every term in its transcript and summary (the index keeps only which calls
//! hold a word).

use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::search_terms::words;
use super::search_terms::{fts_expression, parse, Term};
use super::snippet::{opening, snippet, snippet_text, SnippetPart};
use super::usd::usd_text;
use crate::error::CoreError;
use crate::store::call_search::{facet, searched_text, spoken, SLOTS};
use crate::store::{time, StoreError};
use crate::sync::raw::Decoder;

const DEFAULT_LIMIT: u32 = 50;
const MAX_LIMIT: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallSearch {
    /// Words (all must appear), `"a phrase"`, `prefix*`.
    pub text: String,
    #[serde(default)]
    #[ts(optional)]
    pub org_id: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub assistant_id: Option<String>,
    /// Calls created at or after this time.
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<DateTime<Utc>>,
    /// Calls created before this time.
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<DateTime<Utc>>,
    #[serde(default)]
    #[ts(optional)]
    pub ended_reason: Option<String>,
    /// USD, decimal text: calls costing at least this.
    #[serde(default)]
    #[ts(optional)]
    pub min_cost: Option<String>,
    /// USD, decimal text: calls costing at most this.
    #[serde(default)]
    #[ts(optional)]
    pub max_cost: Option<String>,
    /// Results per page (1-200; default 50).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// `next` of the previous page; absent for the first page.
    #[serde(default)]
    #[ts(optional)]
    pub after: Option<String>,
}

/// One call that matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SearchHit {
    pub id: String,
    pub org_id: String,
    pub org_name: String,
    pub created_at: String,
    pub assistant_name: Option<String>,
    pub ended_reason: Option<String>,
    /// USD, exact decimal text.
    pub cost: Option<String>,
    /// The snippet on one line, matches between `**`.
    pub snippet: String,
    /// The snippet in pieces, matches marked (for the window to highlight without markup).
    pub parts: Vec<SnippetPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SearchPage {
    pub hits: Vec<SearchHit>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// The filters checked on a call's own columns.
struct Filters {
    /// Created at or after `from`, before `to` (stored milliseconds).
    from: Option<i64>,
    to: Option<i64>,
    org_id: Option<String>,
    assistant_id: Option<String>,
    ended_reason: Option<String>,
    min_micros: Option<i64>,
    max_micros: Option<i64>,
}

fn micros(text: Option<&str>, what: &str) -> Result<Option<i64>, CoreError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let usd = Decimal::from_str(text.trim_start_matches('$')).map_err(|_| {
        CoreError::InvalidInput(format!(
            "The {what} cost {text:?} is not an amount in dollars (like 0.25)."
        ))
    })?;
    Ok((usd * Decimal::from(1_000_000)).round().try_into().ok())
}

/// The lowest key of `t`'s second, or of the next second when `up` and `t` falls inside one.
fn key_of(t: DateTime<Utc>, up: bool) -> i64 {
    let second = t.timestamp() + i64::from(up && t.timestamp_subsec_nanos() > 0);
    second.saturating_mul(SLOTS)
}

struct Candidate {
    id: String,
    org_id: String,
    org_name: String,
    created_ms: i64,
    assistant_id: Option<String>,
    assistant_name: Option<String>,
    ended_reason: Option<String>,
    cost_micros: Option<i64>,
    raw: Vec<u8>,
}

impl Filters {
    fn pass(&self, c: &Candidate) -> bool {
        let same = |want: &Option<String>, got: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == got)
        };
        self.from.is_none_or(|from| c.created_ms >= from)
            && self.to.is_none_or(|to| c.created_ms < to)
            && same(&self.org_id, Some(&c.org_id))
            && same(&self.assistant_id, c.assistant_id.as_deref())
            && same(&self.ended_reason, c.ended_reason.as_deref())
            && self
                .min_micros
                .is_none_or(|min| c.cost_micros.is_some_and(|m| m >= min))
            && self
                .max_micros
                .is_none_or(|max| c.cost_micros.is_some_and(|m| m <= max))
    }
}

/// One page of the calls matching `q`, newest first.
pub fn search_calls(conn: &Connection, q: &CallSearch) -> Result<SearchPage, CoreError> {
    let terms = parse(&q.text);
    if terms.is_empty() {
        return Err(CoreError::InvalidInput(
            "Type a word to search for (letters or digits).".to_owned(),
        ));
    }
    let filters = Filters {
        from: q.from.map(time::to_ms),
        to: q.to.map(time::to_ms),
        org_id: q.org_id.clone().filter(|s| !s.is_empty()),
        assistant_id: q.assistant_id.clone().filter(|s| !s.is_empty()),
        ended_reason: q.ended_reason.clone().filter(|s| !s.is_empty()),
        min_micros: micros(q.min_cost.as_deref(), "lowest")?,
        max_micros: micros(q.max_cost.as_deref(), "highest")?,
    };
    let mut expression = fts_expression(&terms);
    for (kind, value) in [
        ('o', &filters.org_id),
        ('a', &filters.assistant_id),
        ('r', &filters.ended_reason),
    ] {
        if let Some(value) = value {
            expression.push_str(&format!(" AND \"{}\"", facet(kind, value)));
        }
    }
    let after = match q.after.as_deref() {
        Some(text) => Some(text.parse::<i64>().map_err(|_| {
            CoreError::InvalidInput("That page of results no longer exists; search again.".into())
        })?),
        None => None,
    };
    let below = [after, q.to.map(|t| key_of(t, true))]
        .into_iter()
        .flatten()
        .min();
    let from = q.from.map_or(i64::MIN, |t| key_of(t, false));
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;

    let mut keys = conn
        .prepare_cached(
            "SELECT rowid FROM calls_fts
             WHERE calls_fts MATCH ?1 AND rowid < ?2 AND rowid >= ?3
             ORDER BY rowid DESC",
        )
        .map_err(StoreError::from)?;
    let mut keys = keys
        .query((&expression, below.unwrap_or(i64::MAX), from))
        .map_err(StoreError::from)?;
    let mut decoder = Decoder::new();
    let mut found: Vec<(i64, Candidate)> = Vec::with_capacity(limit + 1);
    while found.len() <= limit {
        let Some(row) = keys.next().map_err(StoreError::from)? else {
            break;
        };
        let key: i64 = row.get(0).map_err(StoreError::from)?;
        if let Some(c) = candidate(conn, key)? {
            if filters.pass(&c) && has_terms(conn, &mut decoder, &c, &terms)? {
                found.push((key, c));
            }
        }
    }
    let next = if found.len() > limit {
        found.truncate(limit);
        found.last().map(|(key, _)| key.to_string())
    } else {
        None
    };
    let hits = found
        .into_iter()
        .map(|(_, c)| hit(conn, &mut decoder, c, &terms))
        .collect::<Result<_, _>>()?;
    Ok(SearchPage { hits, next })
}

/// Whether the call's transcript or summary holds each term, a phrase's words in order: the
/// index only knows that the words appear somewhere in the call, facets included.
fn has_terms(
    conn: &Connection,
    decoder: &mut Decoder,
    c: &Candidate,
    terms: &[Term],
) -> Result<bool, StoreError> {
    let json = decode(conn, decoder, c)?;
    let (transcript, summary) = searched_text(&json);
    let texts = [transcript.map(spoken), summary.map(str::to_owned)];
    Ok(terms
        .iter()
        .all(|term| texts.iter().flatten().any(|text| holds(text, term))))
}

/// Whether `text` has `phrase`'s words in a row, the last as a prefix when it is one. The
/// index folds accents (`remove_diacritics`): a letter that is not ASCII, in the text or the
/// phrase, is taken to match the letter at its place.
fn holds(text: &str, phrase: &Term) -> bool {
    let tokens: Vec<Vec<char>> = words(text)
        .map(|(_, w)| w.to_lowercase().chars().collect())
        .collect();
    let wanted: Vec<Vec<char>> = phrase.words.iter().map(|w| w.chars().collect()).collect();
    if wanted.is_empty() {
        return true;
    }
    let last = wanted.len() - 1;
    tokens.windows(wanted.len()).any(|run| {
        run.iter()
            .zip(&wanted)
            .enumerate()
            .all(|(i, (token, word))| {
                let whole = token.len() == word.len() || (phrase.prefix && i == last);
                whole
                    && token.len() >= word.len()
                    && token
                        .iter()
                        .zip(word)
                        .all(|(a, b)| a == b || !a.is_ascii() || !b.is_ascii())
            })
    })
}

fn decode(conn: &Connection, decoder: &mut Decoder, c: &Candidate) -> Result<Value, StoreError> {
    decoder
        .decode_json(conn, &c.raw)
        .map_err(|e| StoreError::Corrupt {
            what: format!("call {}: {e}", c.id),
        })
}

fn candidate(conn: &Connection, key: i64) -> Result<Option<Candidate>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.org_id, o.name, c.created_ms, c.assistant_id, a.name,
                    c.ended_reason, c.cost_micros, c.raw
             FROM call_search s JOIN calls c ON c.rowid = s.call_rowid
             JOIN client_orgs o ON o.id = c.org_id
             LEFT JOIN assistants a ON a.id = c.assistant_id
             WHERE s.key = ?1",
        )?
        .query_row([key], |r| {
            Ok(Candidate {
                id: r.get(0)?,
                org_id: r.get(1)?,
                org_name: r.get(2)?,
                created_ms: r.get(3)?,
                assistant_id: r.get(4)?,
                assistant_name: r.get(5)?,
                ended_reason: r.get(6)?,
                cost_micros: r.get(7)?,
                raw: r.get(8)?,
            })
        })
        .optional()?)
}

fn hit(
    conn: &Connection,
    decoder: &mut Decoder,
    c: Candidate,
    terms: &[Term],
) -> Result<SearchHit, StoreError> {
    let json = decode(conn, decoder, &c)?;
    let (transcript, summary) = searched_text(&json);
    let (transcript, summary) = (transcript.unwrap_or(""), summary.unwrap_or(""));
    let parts = snippet(transcript, terms)
        .or_else(|| snippet(summary, terms))
        .unwrap_or_else(|| {
            opening(if transcript.is_empty() {
                summary
            } else {
                transcript
            })
        });
    Ok(SearchHit {
        snippet: snippet_text(&parts),
        parts,
        id: c.id,
        org_id: c.org_id,
        org_name: c.org_name,
        created_at: time::format_ms(c.created_ms),
        assistant_name: c.assistant_name,
        ended_reason: c.ended_reason,
        cost: c.cost_micros.map(usd_text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_its_words_in_a_row() {
        let phrase = |text: &str| parse(text).remove(0);
        let text = spoken("AI: Your cleaning is next\nUser: week, then? Café crème.");
        assert!(holds(&text, &phrase(r#""next week""#)));
        assert!(holds(&text, &phrase(r#""next wee"*"#)));
        assert!(!holds(&text, &phrase(r#""next wee""#)));
        assert!(!holds(&text, &phrase(r#""week next""#)));
        assert!(!holds(&text, &phrase(r#""cleaning next""#)));
        assert!(holds(&text, &phrase(r#""cafe creme""#)), "accents folded");
        assert!(holds(&text, &phrase(r#""CAFÉ CRÈME""#)));
        assert!(!holds(&text, &phrase(r#""cafe cream""#)));
    }
}
