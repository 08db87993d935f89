//! Making new key restrictions, where the safe choice is the default and every unsafe one needs
//! a written reason.
//!
//! Defaults: origins required, assistants required, transient assistants refused. Widening any
//! of these takes an [`UnrestrictedOverride`], which cannot be built without a reason, so an
//! unrestricted key can never be the result of a forgotten field or an empty form.

use serde::Serialize;
use thiserror::Error;
use ts_rs::TS;

use super::origin::{normalize_origin, Origin, OriginError};
use super::restrictions::{dedup, push_unique, AssistantScope, KeyRestrictions, OriginScope};

/// A reason this short is not a reason ("ok", "test").
pub const MIN_REASON_CHARS: usize = 10;
const MAX_ASSISTANT_ID_LEN: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RestrictionsError {
    #[error("Add at least one website (origin) that may use this key, e.g. https://acme.com. A key without origins works on any website.")]
    NoOrigins,
    #[error("Choose at least one assistant this key may start. A key without assistants can start any assistant in the organisation.")]
    NoAssistants,
    #[error("Either list the allowed websites or allow any website, not both")]
    OriginsAndAnyOrigin,
    #[error("Either list the allowed assistants or allow any assistant, not both")]
    AssistantsAndAnyAssistant,
    #[error("Transient assistants can only be allowed on a key that may start any assistant: Vapi refuses them whenever assistants are listed")]
    TransientNeedsAnyAssistant,
    #[error("Say in a few words why this key needs the exception (at least {MIN_REASON_CHARS} characters); the reason is written to agencydesk's log with the key's id")]
    ReasonTooShort,
    #[error("\"{id}\" is not an assistant id: ids have no spaces or control characters and are at most {MAX_ASSISTANT_ID_LEN} characters")]
    InvalidAssistantId { id: String },
    #[error(transparent)]
    Origin(#[from] OriginError),
}

/// Which safe default an override gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum OverrideScope {
    AnyOrigin,
    AnyAssistant,
    TransientAssistants,
}

/// Explicit consent to give up one safe default, with the reason in the user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnrestrictedOverride {
    reason: String,
}

impl UnrestrictedOverride {
    pub fn new(reason: &str) -> Result<Self, RestrictionsError> {
        let reason = reason.trim();
        if reason.chars().filter(|c| !c.is_whitespace()).count() < MIN_REASON_CHARS {
            return Err(RestrictionsError::ReasonTooShort);
        }
        Ok(Self {
            reason: reason.to_owned(),
        })
    }

    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// An override as recorded on the restrictions it produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Acknowledgement {
    pub scope: OverrideScope,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct RestrictionsBuilder {
    origins: Vec<Origin>,
    assistants: Vec<String>,
    any_origin: Option<UnrestrictedOverride>,
    any_assistant: Option<UnrestrictedOverride>,
    transient: Option<UnrestrictedOverride>,
    disabled: bool,
}

impl KeyRestrictions {
    pub fn builder() -> RestrictionsBuilder {
        RestrictionsBuilder::default()
    }
}

impl RestrictionsBuilder {
    pub fn origin(mut self, origin: Origin) -> Self {
        push_unique(&mut self.origins, origin);
        self
    }

    pub fn origins(self, origins: impl IntoIterator<Item = Origin>) -> Self {
        origins.into_iter().fold(self, Self::origin)
    }

    /// Normalises typed text first; the error says what to change.
    pub fn parse_origin(self, text: &str) -> Result<Self, RestrictionsError> {
        Ok(self.origin(normalize_origin(text)?))
    }

    pub fn assistant(mut self, id: impl Into<String>) -> Self {
        self.assistants.push(id.into());
        self
    }

    pub fn assistants<S: Into<String>>(self, ids: impl IntoIterator<Item = S>) -> Self {
        ids.into_iter().fold(self, Self::assistant)
    }

    pub fn allow_any_origin(mut self, consent: UnrestrictedOverride) -> Self {
        self.any_origin = Some(consent);
        self
    }

    pub fn allow_any_assistant(mut self, consent: UnrestrictedOverride) -> Self {
        self.any_assistant = Some(consent);
        self
    }

    pub fn allow_transient_assistants(mut self, consent: UnrestrictedOverride) -> Self {
        self.transient = Some(consent);
        self
    }

    /// Creates the key switched off (for preparing a rotation before going live).
    pub fn disabled(mut self) -> Self {
        self.disabled = true;
        self
    }

    pub fn build(self) -> Result<KeyRestrictions, RestrictionsError> {
        let mut acknowledgements = Vec::new();
        let mut record = |scope, consent: &UnrestrictedOverride| {
            acknowledgements.push(Acknowledgement {
                scope,
                reason: consent.reason().to_owned(),
            });
        };
        let origins = match (&self.any_origin, self.origins.is_empty()) {
            (Some(_), false) => return Err(RestrictionsError::OriginsAndAnyOrigin),
            (Some(consent), true) => {
                record(OverrideScope::AnyOrigin, consent);
                OriginScope::Any
            }
            (None, true) => return Err(RestrictionsError::NoOrigins),
            (None, false) => OriginScope::Only(self.origins),
        };
        let ids = self
            .assistants
            .into_iter()
            .map(|id| check_assistant_id(&id))
            .collect::<Result<Vec<_>, _>>()?;
        let assistants = match (&self.any_assistant, ids.is_empty()) {
            (Some(_), false) => return Err(RestrictionsError::AssistantsAndAnyAssistant),
            (Some(consent), true) => {
                record(OverrideScope::AnyAssistant, consent);
                AssistantScope::Any
            }
            (None, true) => return Err(RestrictionsError::NoAssistants),
            (None, false) => AssistantScope::Only(dedup(ids)),
        };
        let allow_transient = match (&self.transient, &assistants) {
            (None, _) => false,
            (Some(_), AssistantScope::Only(_)) => {
                return Err(RestrictionsError::TransientNeedsAnyAssistant)
            }
            (Some(consent), AssistantScope::Any) => {
                record(OverrideScope::TransientAssistants, consent);
                true
            }
        };
        Ok(KeyRestrictions {
            enabled: !self.disabled,
            origins,
            unusable_origins: Vec::new(),
            assistants,
            allow_transient,
            acknowledgements,
        })
    }
}

fn check_assistant_id(id: &str) -> Result<String, RestrictionsError> {
    let trimmed = id.trim();
    let valid = !trimmed.is_empty()
        && trimmed.len() <= MAX_ASSISTANT_ID_LEN
        && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(trimmed.to_owned())
    } else {
        Err(RestrictionsError::InvalidAssistantId {
            id: trimmed.chars().take(60).collect(),
        })
    }
}
