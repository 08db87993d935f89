//! What a public key may do, as a domain type.
//!
//! Vapi's wire format uses "field absent" to mean "anything goes", so a forgotten field is an
//! open door. Here each freedom is an explicit variant ([`OriginScope::Any`],
//! [`AssistantScope::Any`], `allow_transient`), and new keys are made only through
//! [`RestrictionsBuilder`](super::builder::RestrictionsBuilder), whose defaults are the safe ones.

use super::builder::Acknowledgement;
use super::origin::{normalize_origin, Origin};
use super::wire::TokenRestrictions;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginScope {
    /// No origin restriction: any website may use the key.
    Any,
    /// Only these origins. Empty only for a key read from Vapi whose listed origins are all
    /// unusable, which in practice means no website can use it.
    Only(Vec<Origin>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssistantScope {
    /// Any assistant of the organisation may be started with the key.
    Any,
    /// Only these assistant ids (never empty).
    Only(Vec<String>),
}

/// An allowed origin stored at Vapi that no browser will ever send as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusableOrigin {
    /// Exactly as stored at Vapi.
    pub raw: String,
    /// What a browser would send instead, when the stored text is a recognisable origin written
    /// differently (`https://Acme.com/`); `None` when it is not an origin at all.
    pub canonical: Option<Origin>,
    /// Plain-words reason.
    pub problem: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRestrictions {
    pub(super) enabled: bool,
    pub(super) origins: OriginScope,
    pub(super) unusable_origins: Vec<UnusableOrigin>,
    pub(super) assistants: AssistantScope,
    pub(super) allow_transient: bool,
    /// Why each unsafe freedom was granted; empty for keys read back from Vapi.
    pub(super) acknowledgements: Vec<Acknowledgement>,
}

impl KeyRestrictions {
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    pub fn origins(&self) -> &OriginScope {
        &self.origins
    }

    /// The usable allowed origins (empty when any origin is allowed).
    pub fn origin_list(&self) -> &[Origin] {
        match &self.origins {
            OriginScope::Any => &[],
            OriginScope::Only(list) => list,
        }
    }

    pub fn unusable_origins(&self) -> &[UnusableOrigin] {
        &self.unusable_origins
    }

    pub fn assistants(&self) -> &AssistantScope {
        &self.assistants
    }

    /// Whether the key accepts a whole assistant definition instead of an id. Vapi turns this off
    /// by itself when assistant ids are listed, so this is the effective value.
    pub fn allow_transient(&self) -> bool {
        self.allow_transient
    }

    pub fn acknowledgements(&self) -> &[Acknowledgement] {
        &self.acknowledgements
    }

    /// Whether a page served from `origin` may use the key.
    pub fn allows_origin(&self, origin: &Origin) -> bool {
        match &self.origins {
            OriginScope::Any => true,
            OriginScope::Only(list) => list.contains(origin),
        }
    }

    pub fn allows_assistant(&self, assistant_id: &str) -> bool {
        match &self.assistants {
            AssistantScope::Any => true,
            AssistantScope::Only(ids) => ids.iter().any(|id| id == assistant_id),
        }
    }

    /// The same restrictions, turned off or on (the only edit that needs no new acknowledgement).
    pub fn with_enabled(&self, enabled: bool) -> Self {
        Self {
            enabled,
            ..self.clone()
        }
    }

    /// Reads a key's restrictions as Vapi reports them, applying Vapi's documented defaults:
    /// absent (or empty) lists mean "any", `enabled` defaults to true, and transient assistants
    /// are allowed unless assistant ids are listed. Never fails: odd data is reported through
    /// [`unusable_origins`](Self::unusable_origins) so the audit can flag it.
    pub fn from_wire(wire: Option<&TokenRestrictions>) -> Self {
        let empty = TokenRestrictions::default();
        let wire = wire.unwrap_or(&empty);
        let mut unusable = Vec::new();
        let origins = match wire.allowed_origins.as_deref() {
            None | Some([]) => OriginScope::Any,
            Some(raw_list) => {
                let mut usable: Vec<Origin> = Vec::new();
                for raw in raw_list {
                    match normalize_origin(raw) {
                        Ok(origin) if origin.to_string() == *raw => {
                            push_unique(&mut usable, origin);
                        }
                        Ok(origin) => unusable.push(UnusableOrigin {
                            raw: raw.clone(),
                            problem: format!(
                                "\"{raw}\" is written differently from what browsers send \
                                 ({origin}), so it may never match"
                            ),
                            canonical: Some(origin),
                        }),
                        Err(err) => unusable.push(UnusableOrigin {
                            raw: raw.clone(),
                            problem: format!("\"{raw}\" never matches a website: {err}"),
                            canonical: None,
                        }),
                    }
                }
                OriginScope::Only(usable)
            }
        };
        let assistants = match wire.allowed_assistant_ids.as_deref() {
            None | Some([]) => AssistantScope::Any,
            Some(ids) => AssistantScope::Only(dedup(ids.iter().cloned())),
        };
        let allow_transient = match assistants {
            AssistantScope::Only(_) => false,
            AssistantScope::Any => wire.allow_transient_assistant.unwrap_or(true),
        };
        Self {
            enabled: wire.enabled.unwrap_or(true),
            origins,
            unusable_origins: unusable,
            assistants,
            allow_transient,
            acknowledgements: Vec::new(),
        }
    }

    /// The wire form, with every field explicit so no Vapi default can widen what was chosen.
    /// Unusable origins read from Vapi are written back verbatim: dropping them could turn
    /// "no website" into an empty list, which Vapi reads as "any website".
    pub fn to_wire(&self) -> TokenRestrictions {
        let allowed_origins = match &self.origins {
            OriginScope::Any => None,
            OriginScope::Only(list) => Some(
                list.iter()
                    .map(ToString::to_string)
                    .chain(self.unusable_origins.iter().map(|u| u.raw.clone()))
                    .collect(),
            ),
        };
        let allowed_assistant_ids = match &self.assistants {
            AssistantScope::Any => None,
            AssistantScope::Only(ids) => Some(ids.clone()),
        };
        TokenRestrictions {
            enabled: Some(self.enabled),
            allowed_origins,
            allowed_assistant_ids,
            allow_transient_assistant: Some(self.allow_transient),
        }
    }
}

pub(super) fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

pub(super) fn dedup(items: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        push_unique(&mut out, item);
    }
    out
}
