//! Checking one origin as the user types it, in the context of the ones already listed: the
//! normalised form, or the specific reason it is refused (with the corrected text when there is
//! exactly one), plus what is worth knowing about it (development address, plain http, a
//! missing www/apex twin).

use serde::Serialize;
use ts_rs::TS;

use super::origin::normalize_origin;
use super::origin_advice::{suggestions, OriginWarning};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OriginCheck {
    /// Exactly what a browser sends, when the text is a valid origin.
    pub normalized: Option<String>,
    /// Why it is refused, when it is.
    pub error: Option<String>,
    /// The corrected origin for a mistake with one obvious fix (a path, a missing scheme).
    pub fix: Option<String>,
    /// Already in the list (after normalising).
    pub duplicate: bool,
    /// `localhost`, `*.localhost`, loopback or private addresses: fine for development only.
    pub local_dev: bool,
    /// The www/apex counterpart, when it is not listed yet.
    pub twin: Option<String>,
    /// Everything else worth saying about this origin next to the listed ones.
    pub warnings: Vec<OriginWarning>,
}

/// Checks `text` as the next entry of a list that already holds `listed` (typed text; invalid
/// entries are ignored for the comparison).
pub fn check_origin(text: &str, listed: &[String]) -> OriginCheck {
    let origin = match normalize_origin(text) {
        Ok(origin) => origin,
        Err(err) => {
            return OriginCheck {
                normalized: None,
                fix: err.suggestion().map(str::to_owned),
                error: Some(err.to_string()),
                duplicate: false,
                local_dev: false,
                twin: None,
                warnings: Vec::new(),
            }
        }
    };
    let others: Vec<_> = listed
        .iter()
        .filter_map(|t| normalize_origin(t).ok())
        .collect();
    let duplicate = others.contains(&origin);
    let mut all = others;
    if !duplicate {
        all.push(origin.clone());
    }
    let normalized = origin.to_string();
    let twin = origin
        .www_twin()
        .filter(|t| !all.contains(t))
        .map(|t| t.to_string());
    let warnings = suggestions(&all)
        .into_iter()
        .filter(|w| w.origin == normalized)
        .collect();
    OriginCheck {
        normalized: Some(normalized),
        error: None,
        fix: None,
        duplicate,
        local_dev: origin.is_local_dev(),
        twin,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::OriginWarningKind;

    #[test]
    fn a_valid_origin_comes_back_normalised_with_its_twin() {
        let check = check_origin("HTTPS://Acme.COM:443", &[]);
        assert_eq!(check.normalized.as_deref(), Some("https://acme.com"));
        assert_eq!(check.twin.as_deref(), Some("https://www.acme.com"));
        assert!(!check.local_dev && !check.duplicate && check.error.is_none());
        assert_eq!(check.warnings[0].kind, OriginWarningKind::MissingWwwTwin);
    }

    #[test]
    fn no_twin_once_it_is_listed() {
        let check = check_origin("https://www.acme.com", &["https://acme.com".into()]);
        assert_eq!(check.twin, None);
        assert!(check.warnings.is_empty(), "{:?}", check.warnings);
    }

    #[test]
    fn a_refusal_says_why_and_offers_the_fix() {
        let check = check_origin("acme.com/contact", &[]);
        assert!(check.normalized.is_none());
        assert!(check.error.unwrap().contains("scheme"));
        assert_eq!(check.fix.as_deref(), Some("https://acme.com"));
    }

    #[test]
    fn localhost_is_flagged_and_duplicates_noticed() {
        let check = check_origin("http://localhost:3000", &["https://acme.com".into()]);
        assert!(check.local_dev);
        assert_eq!(check.twin, None);
        assert_eq!(
            check.warnings[0].kind,
            OriginWarningKind::LocalWithProduction
        );
        let again = check_origin("https://ACME.com", &["https://acme.com".into()]);
        assert!(again.duplicate);
    }
}
