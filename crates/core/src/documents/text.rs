//! Text as it may appear on a page: one line, no control characters, wrapped to a width.

use super::font::Face;

/// Bidirectional overrides and isolates would reorder what follows them in a viewer that
/// honours them; they print as nothing.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` on one line: line breaks and tabs become spaces, other control characters and
/// bidirectional controls are dropped, runs of spaces collapse.
pub(super) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c.is_control() || is_bidi_control(c) || (c == ' ' && out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// `text` (which may hold line breaks) as lines at most `width` points wide at `size`: words
/// move to the next line, a word wider than the line is cut between characters.
pub(super) fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let paragraph = one_line(paragraph);
        let mut line = String::new();
        for word in paragraph.split(' ') {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if face.width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::font::face;

    #[test]
    fn one_line_drops_controls_and_keeps_the_words() {
        assert_eq!(one_line("Acme\nDental\t Inc\u{0}."), "Acme Dental Inc.");
        assert_eq!(one_line("\u{202E}evil\u{202C} co"), "evil co");
        assert_eq!(one_line("<b>) Tj (</b>"), "<b>) Tj (</b>");
    }

    #[test]
    fn wrapping_keeps_every_character_within_the_width() {
        let face = face().unwrap();
        let text = format!("Acme {} Dental", "W".repeat(80));
        let lines = wrap(face, &text, 10.0, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(face.width(line, 10.0) <= 120.0, "{line}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
        assert_eq!(wrap(face, "a\n\nb", 10.0, 100.0), vec!["a", "b"]);
    }
}
