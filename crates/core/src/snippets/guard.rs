//! The check that keeps private keys out of snippets.
//!
//! Snippet generation takes no `SecretKey` at all, so a private key can only get in by being
//! passed where a public value belongs (a mix-up in the UI, a pasted key). Vapi's private and
//! public keys look alike (both UUIDs), so the format alone cannot tell them apart: the guard
//! compares fingerprints with the private keys the app knows, and refuses anything shaped like a
//! JWT (a private JWT grants full API access; a public one expires and belongs to JWT mode).

use std::collections::HashSet;

use crate::sensitive::SecretKey;

use super::error::SnippetError;

const MIN_KEY_LEN: usize = 8;
const MAX_KEY_LEN: usize = 128;
/// Runs shorter than this in generated code are not key-like enough to fingerprint.
const MIN_SCANNED_RUN: usize = 16;

#[derive(Debug, Clone, Default)]
pub struct PrivateKeyGuard {
    fingerprints: HashSet<String>,
}

impl PrivateKeyGuard {
    /// `fingerprints` are [`SecretKey::fingerprint`] values of every private key the app holds.
    pub fn new(fingerprints: impl IntoIterator<Item = String>) -> Self {
        Self {
            fingerprints: fingerprints.into_iter().collect(),
        }
    }

    fn is_known_private(&self, value: &str) -> bool {
        !self.fingerprints.is_empty()
            && self
                .fingerprints
                .contains(&SecretKey::new(value.to_owned()).fingerprint())
    }

    /// Checks a value that is about to be embedded as a public key.
    pub fn check_public_key(&self, value: &str) -> Result<(), SnippetError> {
        if self.is_known_private(value) {
            return Err(SnippetError::PrivateKeyRefused);
        }
        if value.split('.').count() == 3 && value.starts_with("eyJ") {
            return Err(SnippetError::JwtAsPublicKey);
        }
        let shaped = (MIN_KEY_LEN..=MAX_KEY_LEN).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !shaped {
            return Err(SnippetError::MalformedPublicKey);
        }
        Ok(())
    }

    /// Last line of defence over the finished code: fingerprints every key-like run of
    /// characters, so a private key that slipped in through any field (an assistant id, the
    /// org id) is still caught.
    pub fn check_generated(&self, code: &str) -> Result<(), SnippetError> {
        if self.fingerprints.is_empty() {
            return Ok(());
        }
        let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        let leaked = code
            .split(|c: char| !is_key_char(c))
            .filter(|run| run.len() >= MIN_SCANNED_RUN)
            .any(|run| self.is_known_private(run));
        if leaked {
            Err(SnippetError::PrivateKeyRefused)
        } else {
            Ok(())
        }
    }
}
