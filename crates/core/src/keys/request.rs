//! Restrictions as a form sends them (the app's create and edit dialogs), turned into
//! [`KeyRestrictions`] through the safe-by-default builder, so the form cannot produce anything
//! the builder would refuse.

use serde::Deserialize;
use ts_rs::TS;

use super::builder::{RestrictionsError, UnrestrictedOverride};
use super::restrictions::KeyRestrictions;

/// What the user chose. Each `any_*`/`allow_transient` box widens one safe default and needs
/// `override_reason`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct RestrictionsRequest {
    /// Typed origins; each is normalised or refused with its own message.
    pub origins: Vec<String>,
    pub assistant_ids: Vec<String>,
    pub any_origin: bool,
    pub any_assistant: bool,
    pub allow_transient: bool,
    /// Why the key needs a widened default, in the user's words.
    pub override_reason: Option<String>,
}

impl RestrictionsRequest {
    pub fn build(&self) -> Result<KeyRestrictions, RestrictionsError> {
        let widens = self.any_origin || self.any_assistant || self.allow_transient;
        let consent = if widens {
            Some(UnrestrictedOverride::new(
                self.override_reason.as_deref().unwrap_or_default(),
            )?)
        } else {
            None
        };
        let mut builder = KeyRestrictions::builder();
        for origin in self.origins.iter().filter(|o| !o.trim().is_empty()) {
            builder = builder.parse_origin(origin)?;
        }
        builder = builder.assistants(
            self.assistant_ids
                .iter()
                .filter(|id| !id.trim().is_empty())
                .cloned(),
        );
        if let Some(consent) = consent {
            if self.any_origin {
                builder = builder.allow_any_origin(consent.clone());
            }
            if self.any_assistant {
                builder = builder.allow_any_assistant(consent.clone());
            }
            if self.allow_transient {
                builder = builder.allow_transient_assistants(consent);
            }
        }
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{AssistantScope, OriginScope, OverrideScope};

    fn request() -> RestrictionsRequest {
        RestrictionsRequest {
            origins: vec!["HTTPS://Acme.com/".into(), "  ".into()],
            assistant_ids: vec!["asst-1".into()],
            ..RestrictionsRequest::default()
        }
    }

    #[test]
    fn an_ordinary_form_gives_the_safe_restrictions() {
        let built = request().build().unwrap();
        assert_eq!(built.origin_list()[0].to_string(), "https://acme.com");
        assert_eq!(built.origin_list().len(), 1, "blank rows are ignored");
        assert_eq!(
            *built.assistants(),
            AssistantScope::Only(vec!["asst-1".into()])
        );
        assert!(!built.allow_transient());
        assert!(built.acknowledgements().is_empty());
    }

    #[test]
    fn an_empty_form_is_refused_not_turned_into_an_open_key() {
        let err = RestrictionsRequest::default().build().unwrap_err();
        assert_eq!(err, RestrictionsError::NoOrigins);
        let no_assistant = RestrictionsRequest {
            assistant_ids: vec![],
            ..request()
        };
        assert_eq!(
            no_assistant.build().unwrap_err(),
            RestrictionsError::NoAssistants
        );
    }

    #[test]
    fn widening_needs_a_reason_and_records_it() {
        let open = RestrictionsRequest {
            origins: vec![],
            any_origin: true,
            ..request()
        };
        assert_eq!(open.build().unwrap_err(), RestrictionsError::ReasonTooShort);
        let open = RestrictionsRequest {
            override_reason: Some("Embedded on 40 partner sites".into()),
            ..open
        };
        let built = open.build().unwrap();
        assert_eq!(*built.origins(), OriginScope::Any);
        assert_eq!(built.acknowledgements()[0].scope, OverrideScope::AnyOrigin);
        // A reason alone widens nothing.
        let reason_only = RestrictionsRequest {
            override_reason: Some("Embedded on 40 partner sites".into()),
            ..request()
        };
        assert!(reason_only.build().unwrap().acknowledgements().is_empty());
    }

    #[test]
    fn a_bad_origin_is_refused_with_its_own_message() {
        let bad = RestrictionsRequest {
            origins: vec!["https://acme.com/contact".into()],
            ..request()
        };
        let message = bad.build().unwrap_err().to_string();
        assert!(message.contains("Remove the path"), "{message}");
    }
}
