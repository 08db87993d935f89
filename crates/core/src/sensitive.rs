//! A wrapper for secrets (Vapi private keys, private token values) that cannot leak by accident.
//!
//! - `Debug` and `Display` print `<redacted>`, so a secret inside any struct, error or log line
//!   shows up as that word.
//! - It deliberately does NOT implement `serde::Serialize`: a secret can come in (from the UI, from
//!   a Vapi response) but can never be written out as JSON, to SQLite through serde, or to the UI.
//!   The `const` block at the bottom of this file stops the build if anyone adds `Serialize`.
//! - The only way to read the value is [`Sensitive::expose`], which is easy to grep for.
//! - The memory is overwritten with zeros on drop (best effort: copies made by the allocator while
//!   a `String` grew, or by libraries the value was handed to, are out of our reach).

use std::fmt;

use serde::{Deserialize, Deserializer};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// Text printed instead of a secret.
pub const REDACTED: &str = "<redacted>";

/// A secret value. See the module documentation for what it guarantees.
pub struct Sensitive<T: Zeroize>(T);

/// A Vapi API key (private key or token value) or any other credential string.
pub type SecretKey = Sensitive<String>;

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// Reads the secret. Every call site is a place where the secret leaves this wrapper:
    /// keep them few (building the `Authorization` header, writing to the keychain).
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl Sensitive<String> {
    /// A short, non-reversible tag for a key, safe to store, log and show: `…` followed by the
    /// first 8 hex digits of the key's SHA-256. Two different keys almost surely differ; the tag
    /// reveals nothing usable about the key itself.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        let hex: String = digest
            .iter()
            .take(4)
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!("…{hex}")
    }

    /// The key as a user pasted it, minus surrounding whitespace and quotes that copy-paste
    /// from dashboards and chat messages tends to add. `None` when nothing is left.
    pub fn from_pasted(text: &str) -> Option<Self> {
        let trimmed = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        if trimmed.is_empty() {
            None
        } else {
            Some(Self(trimmed.to_owned()))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T: Zeroize> Drop for Sensitive<T> {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl<T: Zeroize> From<T> for Sensitive<T> {
    fn from(value: T) -> Self {
        Self(value)
    }
}

impl<T: Zeroize + Clone> Clone for Sensitive<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: Zeroize> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T: Zeroize> fmt::Display for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<'de, T: Zeroize + Deserialize<'de>> Deserialize<'de> for Sensitive<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Self)
    }
}

// Compile-time proof that `Sensitive<String>` does not implement `Serialize`.
// If it did, both impls of `NotSerialize<_>` below would apply, the type parameter of the
// `probe` reference could not be inferred, and the build would fail here.
const _: fn() = || {
    trait NotSerialize<Marker> {
        fn probe() {}
    }
    impl<T: ?Sized> NotSerialize<()> for T {}
    struct IfSerialize;
    impl<T: ?Sized + serde::Serialize> NotSerialize<IfSerialize> for T {}
    let _ = <Sensitive<String> as NotSerialize<_>>::probe;
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let key = SecretKey::new("sk-live-1234567890".to_owned());
        assert_eq!(format!("{key:?}"), REDACTED);
        assert_eq!(format!("{key}"), REDACTED);
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            key: SecretKey,
        }
        let printed = format!("{:?}", Holder { key });
        assert!(!printed.contains("1234567890"), "{printed}");
    }

    #[test]
    fn fingerprint_is_short_stable_and_not_the_key() {
        let a = SecretKey::new("11111111-2222-3333-4444-555555555555".to_owned());
        let b = SecretKey::new("11111111-2222-3333-4444-555555555556".to_owned());
        let fa = a.fingerprint();
        assert_eq!(fa, a.clone().fingerprint());
        assert_ne!(fa, b.fingerprint());
        assert!(fa.starts_with('…'));
        let hex = fa.trim_start_matches('…');
        assert_eq!(hex.len(), 8);
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!a.expose().contains(hex));
        // SHA-256("abc") starts with ba7816bf: pins the algorithm, not just the shape.
        assert_eq!(SecretKey::new("abc".to_owned()).fingerprint(), "…ba7816bf");
    }

    #[test]
    fn deserializes_but_prints_redacted() {
        #[derive(Deserialize, Debug)]
        struct Body {
            value: SecretKey,
        }
        let body: Body = serde_json::from_str(r#"{"value":"private-value"}"#).unwrap();
        assert_eq!(body.value.expose(), "private-value");
        assert!(!format!("{body:?}").contains("private-value"));
    }

    #[test]
    fn pasted_keys_are_trimmed() {
        let key = SecretKey::from_pasted("  \"abc-123\"\n").unwrap();
        assert_eq!(key.expose(), "abc-123");
        assert!(SecretKey::from_pasted(" \n\t '' ").is_none());
    }
}
