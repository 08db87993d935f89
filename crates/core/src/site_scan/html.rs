//! The scripts a page loads: the `src` of each `<script>` tag. A plain scan rather than an HTML
//! parser: only tag attributes are needed, and whatever is missed in odd markup is still in the
//! page text, which is searched as a whole.

/// The `src` values of the page's `<script>` tags, in order, entity `&amp;` decoded.
pub(super) fn script_sources(html: &str) -> Vec<String> {
    // ASCII lowercasing keeps every byte offset, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(pos) = lower[at..].find("<script") {
        let start = at + pos + "<script".len();
        let next = lower.as_bytes().get(start).copied();
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        if matches!(next, Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>')) {
            if let Some(src) = attribute(&html[start..end], &lower[start..end], "src") {
                found.push(src.replace("&amp;", "&"));
            }
        }
        at = end;
    }
    found
}

/// The value of attribute `name` inside a tag's text (`lower` is the same text lowercased).
fn attribute(tag: &str, lower: &str, name: &str) -> Option<String> {
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let i = from + pos;
        from = i + name.len();
        let before_ok = i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'/';
        let rest = lower[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value_at = lower.len() - rest[1..].trim_start().len();
        let value = &tag[value_at..];
        let text = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or_default(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace() || c == '>')
                .next()
                .unwrap_or_default(),
        };
        let text = text.trim();
        return (!text.is_empty()).then(|| text.to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_sources_in_any_spelling() {
        let html = r#"<html><SCRIPT src="/a.js"></SCRIPT><script type="module" src='b.js?x=1&amp;y=2'></script>
            <script>var dataSrc = "x";</script><script defer src=https://cdn.example/c.js></script>
            <scripts src="/no.js"></scripts><script data-src="/no2.js"></script>"#;
        assert_eq!(
            script_sources(html),
            ["/a.js", "b.js?x=1&y=2", "https://cdn.example/c.js"]
        );
    }

    #[test]
    fn odd_markup_does_not_panic() {
        for html in [
            "<script",
            "<script src=",
            "<script src=\"",
            "<script src='x",
            "é<script src=é>",
        ] {
            let _ = script_sources(html);
        }
        assert_eq!(script_sources("<script src=é>"), ["é"]);
    }
}
