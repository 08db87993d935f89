//! Filling `@@NAME@@` placeholders in the snippet templates.
//!
//! Single pass over the template: substituted values are never scanned again, so a value that
//! happens to contain `@@OTHER@@` stays literal text. Values must already be escaped for their
//! context; this module only places them.

use super::SnippetError;

const MARK: &str = "@@";

pub(super) fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, SnippetError> {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find(MARK) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK.len()..];
        let end = after.find(MARK).ok_or_else(|| bug("unterminated"))?;
        let name = &after[..end];
        let value = values
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .ok_or_else(|| bug(name))?;
        out.push_str(value);
        rest = &after[end + MARK.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

fn bug(placeholder: &str) -> SnippetError {
    SnippetError::Template {
        placeholder: placeholder.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_once_and_never_rescans_values() {
        let out = fill("a @@X@@ b @@Y@@", &[("X", "@@Y@@"), ("Y", "2")]).unwrap();
        assert_eq!(out, "a @@Y@@ b 2");
    }

    #[test]
    fn unknown_or_unterminated_placeholders_are_errors() {
        assert!(matches!(
            fill("@@NOPE@@", &[]),
            Err(SnippetError::Template { .. })
        ));
        assert!(matches!(
            fill("x @@OPEN", &[("OPEN", "")]),
            Err(SnippetError::Template { .. })
        ));
    }
}
