//! Escaping for every context a snippet interpolates into.
//!
//! Client and assistant names are typed by people and may contain anything: quotes, `</script>`,
//! newlines, `${...}`. Each function here makes a value inert in exactly one context, and the
//! string-literal functions return the quotes too, so a caller cannot forget them.

use std::fmt::Write;

/// Longest comment text kept; names are for orientation, not documentation.
const MAX_COMMENT_CHARS: usize = 80;

/// Text between HTML tags.
pub fn html_text(value: &str) -> String {
    html_escape(value)
}

/// A double-quoted HTML attribute value (without the quotes). Quotes of both kinds are escaped
/// so the value also survives if a template ever switches to single quotes.
pub fn html_attr(value: &str) -> String {
    html_escape(value)
}

fn html_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '`' => out.push_str("&#96;"),
            _ => out.push(c),
        }
    }
    out
}

/// A JSON string literal, quotes included, that is also safe inside an HTML `<script>` element:
/// `<`, `>` and `&` become `\u003c`-style escapes (so `</script>` and `<!--` cannot appear), and
/// U+2028/U+2029 are escaped (raw, they end a line in older JavaScript engines).
pub fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        push_json_char(&mut out, c);
    }
    out.push('"');
    out
}

fn push_json_char(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => push_unicode_escape(out, c),
        c if c.is_control() => push_unicode_escape(out, c),
        c => out.push(c),
    }
}

fn push_unicode_escape(out: &mut String, c: char) {
    // Only BMP characters reach this (controls, separators, ASCII), so four digits suffice.
    let _ = write!(out, "\\u{:04x}", u32::from(c));
}

/// A JavaScript string literal, quotes included, safe in a `<script>` element, in a module, and
/// even if pasted into a template literal or single-quoted string: on top of [`json_string`]'s
/// escapes, `'`, `` ` `` and `$` are escaped so `${...}` cannot start an interpolation.
pub fn js_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\'' | '`' | '$' => push_unicode_escape(&mut out, c),
            c => push_json_char(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// A JSON value embedded in a script (`const X = {...};`): valid JSON and valid JavaScript, with
/// the same `<script>`-safety as [`json_string`].
pub fn script_json<T: serde::Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let raw = serde_json::to_string(value)?;
    // serde_json escapes quotes, backslashes and controls; the HTML-sensitive characters remain.
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => push_unicode_escape(&mut out, c),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// A Python 3 string literal, quotes included. Everything outside printable ASCII is written as
/// an escape, so the literal is valid whatever the file's encoding and cannot end early.
pub fn python_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if u32::from(c) <= 0xff => {
                let _ = write!(out, "\\x{:02x}", u32::from(c));
            }
            c if u32::from(c) <= 0xffff => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => {
                let _ = write!(out, "\\U{:08x}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// Text for a one-line comment in any of the snippet languages (`//`, `#`, `/* */`, `<!-- -->`,
/// and `//` inside an inline `<script>`). Line breaks of every kind become spaces, and the
/// sequences that could end a comment or the surrounding script are broken up: `<` and `>` are
/// dropped, `*/` and `--` are split.
pub fn comment_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        let c = if c.is_control() || c.is_whitespace() {
            ' '
        } else {
            c
        };
        match c {
            '<' | '>' => {}
            '/' if out.ends_with('*') => out.push_str(" /"),
            '-' if out.ends_with('-') => out.push_str(" -"),
            ' ' if out.ends_with(' ') || out.is_empty() => {}
            c => out.push(c),
        }
    }
    out.trim_end().to_owned()
}

/// [`comment_text`], shortened: for names shown in a snippet's heading comment.
pub fn short_comment_text(value: &str) -> String {
    let text = comment_text(value);
    if text.chars().count() <= MAX_COMMENT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(MAX_COMMENT_CHARS).collect();
    format!("{}…", cut.trim_end())
}
