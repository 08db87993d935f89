use thiserror::Error;

use crate::error::CoreError;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnippetError {
    #[error("This kind of snippet needs the client's public key: choose one of the organisation's public keys")]
    MissingPublicKey,
    /// Deliberately says nothing about the value.
    #[error("That is a private key, not a public one: a private key gives full control of the Vapi organisation and must never be put in a web page. Choose a public key.")]
    PrivateKeyRefused,
    #[error("That looks like a JWT, not a public key. Short-lived JWTs are made by the JWT-mode snippets at run time; choose a public key here.")]
    JwtAsPublicKey,
    #[error("That does not look like a Vapi public key (letters, digits and hyphens, 8 to 128 characters)")]
    MalformedPublicKey,
    #[error("The {field} is not valid: it must be {expected}")]
    InvalidValue {
        field: &'static str,
        expected: &'static str,
    },
    #[error("The API base URL is not valid: {reason}")]
    InvalidBaseUrl { reason: String },
    /// A template names a placeholder nobody fills: a bug in agencydesk, caught by the tests.
    #[error("internal error: snippet template placeholder {placeholder} has no value")]
    Template { placeholder: String },
}

/// Every snippet refusal is something the user can act on, so the UI gets it as invalid input
/// with the message above.
impl From<SnippetError> for CoreError {
    fn from(error: SnippetError) -> Self {
        CoreError::InvalidInput(error.to_string())
    }
}
