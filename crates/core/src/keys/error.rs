//! Refusals of the key-management workflows.

use thiserror::Error;

use crate::error::CoreError;

use super::builder::RestrictionsError;
use super::origin::OriginError;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeysError {
    #[error("This organisation has no public key with id {key_id}. Refresh the list of keys.")]
    KeyNotFound { key_id: String },
    #[error("{key_id} is a private key; only public keys are managed here.")]
    NotPublic { key_id: String },
    #[error("A key name needs between 1 and 40 characters (Vapi's limit); this one has {chars}.")]
    InvalidName { chars: usize },
    #[error("This is the client's only working public key: turning it off or deleting it stops the voice assistant on their site. Rotate it instead, or confirm that the site may stop working.")]
    LastWorkingKey,
    #[error("Turn the key off before deleting it, so you can check nothing breaks (or confirm deleting a working key).")]
    DeleteEnabledKey,
    #[error("The replacement key {key_id} is not working (missing or turned off), so the old key stays on.")]
    ReplacementNotWorking { key_id: String },
    #[error("The stored data for key {key_id} cannot be read; refresh the organisation.")]
    Unreadable { key_id: String },
    #[error("No assistant with id {assistant_id} in this organisation. Refresh the organisation or pick another assistant.")]
    AssistantNotFound { assistant_id: String },
    #[error("This key may not start assistant {assistant_id}: pick one of the assistants it allows, or another key.")]
    AssistantNotAllowed { assistant_id: String },
    #[error("This key allows any website, so a test token made from it would work on every site. Pick a key restricted to the client's website.")]
    TestTokenNeedsOrigins,
    #[error("This key is turned off: turn it on, or pick a working key, to make a test token.")]
    TestTokenFromDisabledKey,
    #[error("This fix needs your choice (which websites, which assistants, or the key): open the key to edit it.")]
    FixNeedsChoice,
    #[error(
        "The key has changed since the audit, so this fix no longer applies. Run the audit again."
    )]
    FixOutdated,
    #[error("Removing these would leave the key with no website at all, which Vapi reads as \"any website\". Add the client's real website first, or turn the key off.")]
    WouldAllowAnyWebsite,
    #[error("Without a public key, say which website the snippet serves: its tokens (or its proxy) then allow exactly that site.")]
    SnippetNeedsKeyOrSite,
    #[error(transparent)]
    Restrictions(#[from] RestrictionsError),
    #[error(transparent)]
    Origin(#[from] OriginError),
}

impl KeysError {
    /// Whether `error` is the refusal to stop a key that may be in use ([`KeysError::LastWorkingKey`]
    /// or [`KeysError::DeleteEnabledKey`]), which the user may override after confirming. The
    /// CLI uses it to point at `--force`.
    pub fn is_in_use_refusal(error: &CoreError) -> bool {
        match error {
            CoreError::InvalidInput(message) => [Self::LastWorkingKey, Self::DeleteEnabledKey]
                .iter()
                .any(|refusal| refusal.to_string() == *message),
            _ => false,
        }
    }
}

/// Every key refusal is something the user can act on, so the UI gets it as invalid input with
/// the message above.
impl From<KeysError> for CoreError {
    fn from(error: KeysError) -> Self {
        CoreError::InvalidInput(error.to_string())
    }
}

impl From<RestrictionsError> for CoreError {
    fn from(error: RestrictionsError) -> Self {
        KeysError::from(error).into()
    }
}

impl From<OriginError> for CoreError {
    fn from(error: OriginError) -> Self {
        KeysError::from(error).into()
    }
}
