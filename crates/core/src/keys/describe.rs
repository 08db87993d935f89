//! Restrictions in plain words, for the keys screen, the snippet preview and the CLI.

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

use super::origin_advice::suggestions;
use super::restrictions::{AssistantScope, KeyRestrictions, OriginScope};

/// What a key allows, as one sentence plus the risks worth a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct RestrictionSummary {
    pub enabled: bool,
    /// e.g. "Only https://acme.com and https://www.acme.com may start Receptionist. Transient
    /// assistants are refused."
    pub sentence: String,
    /// One line per risk, most serious first; empty for a well-restricted key.
    pub warnings: Vec<String>,
}

pub const ANY_ORIGIN_WARNING: &str = "Not limited to your client's website: anyone who copies the \
     key from the page source can use it on their own site, billed to this organisation.";
pub const ANY_ASSISTANT_WARNING: &str = "Not limited to named assistants: the key can start any \
     assistant in this organisation, including ones never meant for the public.";
pub const TRANSIENT_WARNING: &str = "Transient assistants are allowed: anyone holding the key can \
     run an assistant of their own making (any prompt, any voice), billed to this organisation.";

impl KeyRestrictions {
    /// The sentence of [`summary`](Self::summary). `assistant_names` maps assistant ids to
    /// names; unknown ids are shown as they are.
    pub fn describe(&self, assistant_names: &HashMap<String, String>) -> String {
        self.summary(assistant_names).sentence
    }

    pub fn summary(&self, assistant_names: &HashMap<String, String>) -> RestrictionSummary {
        let mut warnings = Vec::new();
        let who = match &self.origins {
            OriginScope::Any => {
                warnings.push(ANY_ORIGIN_WARNING.to_owned());
                "Any website".to_owned()
            }
            OriginScope::Only(list) if list.is_empty() => "No website".to_owned(),
            OriginScope::Only(list) => {
                let names: Vec<String> = list.iter().map(ToString::to_string).collect();
                format!("Only {}", join(&names, "and"))
            }
        };
        let what = match &self.assistants {
            AssistantScope::Any => {
                warnings.push(ANY_ASSISTANT_WARNING.to_owned());
                "any of this organisation's assistants".to_owned()
            }
            AssistantScope::Only(ids) => {
                let names: Vec<String> = ids
                    .iter()
                    .map(|id| {
                        assistant_names
                            .get(id)
                            .cloned()
                            .unwrap_or_else(|| id.clone())
                    })
                    .collect();
                join(&names, "or")
            }
        };
        let transient = if self.allow_transient {
            warnings.push(TRANSIENT_WARNING.to_owned());
            "Transient assistants are allowed."
        } else {
            "Transient assistants are refused."
        };
        let mut sentence = match (&self.origins, self.enabled) {
            (OriginScope::Only(list), _) if list.is_empty() => {
                "No website can use this key: none of its allowed origins is a valid address."
                    .to_owned()
            }
            _ => format!("{who} may start {what}. {transient}"),
        };
        if !self.enabled {
            sentence = format!(
                "This key is turned off: no website can start calls with it. When turned on: {sentence}"
            );
        }
        warnings.extend(self.unusable_origins.iter().map(|u| u.problem.clone()));
        warnings.extend(
            suggestions(self.origin_list())
                .into_iter()
                .map(|w| w.message),
        );
        RestrictionSummary {
            enabled: self.enabled,
            sentence,
            warnings,
        }
    }
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join(items: &[String], last_word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {last_word} {last}", rest.join(", ")),
    }
}
