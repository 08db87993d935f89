//! Where Vapi private keys live: the operating system's keychain, and nowhere else.
//!
//! The API is deliberately narrow: callers name an org ([`KeyAccount`]), never a free-form
//! service/account pair, so no code path (and no UI command built on top) can read an arbitrary
//! keychain entry. There is no plaintext fallback: when no keychain is reachable the operations
//! fail with [`KeychainError::Unavailable`].

mod ephemeral;
mod os;

pub use ephemeral::EphemeralKeychain;
pub use os::OsKeychain;

use crate::sensitive::SecretKey;

/// Whose key an entry holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum KeyAccount {
    /// The agency's own Vapi org (used to create client orgs).
    AgencyOrg,
    /// A client's Vapi org, by its Vapi org id.
    ClientOrg(String),
}

impl KeyAccount {
    /// The keychain account name: `agency` or `org:<vapi org id>`.
    pub fn account_name(&self) -> String {
        match self {
            KeyAccount::AgencyOrg => "agency".to_owned(),
            KeyAccount::ClientOrg(id) => format!("org:{id}"),
        }
    }

    fn validate(&self) -> Result<(), KeychainError> {
        match self {
            KeyAccount::ClientOrg(id) if id.trim().is_empty() => Err(KeychainError::InvalidAccount),
            _ => Ok(()),
        }
    }
}

/// Storage for API keys. Implementations must never persist a key anywhere but a keychain.
pub trait SecretStore: Send + Sync {
    /// Stores (or replaces) the key for `account`.
    fn set(&self, account: &KeyAccount, secret: &SecretKey) -> Result<(), KeychainError>;
    /// The key for `account`, or `None` when there is none.
    fn get(&self, account: &KeyAccount) -> Result<Option<SecretKey>, KeychainError>;
    /// Removes the key for `account`; removing a missing key is not an error.
    fn delete(&self, account: &KeyAccount) -> Result<(), KeychainError>;
    /// A short human description, e.g. "Secret Service" or "in-memory (demo only)".
    fn describe(&self) -> &'static str;
}

#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    #[error(
        "No OS keychain is reachable (Secret Service on Linux, Keychain on macOS, Credential \
         Manager on Windows). agencydesk never stores API keys in plain text, so it cannot save \
         or read keys until a keychain is available. On Linux, start gnome-keyring (or enable \
         the Secret Service integration in KeePassXC) and try again. Details: {detail}"
    )]
    Unavailable { detail: String },
    /// A Secret Service answered but has no default collection: typically nothing was running,
    /// D-Bus started gnome-keyring on demand, and no login keyring was ever set up. Unlocking
    /// cannot help here, so this is not [`KeychainError::Locked`].
    #[error(
        "The OS keychain answered but has no keyring to keep keys in (on Linux: no default \
         \"login\" keyring, usually because no keychain was running and one was started that was \
         never set up). agencydesk never stores API keys in plain text, so it cannot save or \
         read keys until there is one. Log in to a desktop session that unlocks your login \
         keyring, or create a default keyring (Seahorse \"Passwords and Keys\", or KeePassXC \
         with its Secret Service integration on), and try again. Details: {detail}"
    )]
    NoKeyring { detail: String },
    #[error(
        "The keychain is locked, so agencydesk cannot read or save this org's key. Unlock it \
         (in your desktop's keyring: on Linux your login keyring in Seahorse \"Passwords and \
         Keys\", or your KeePassXC database) and try again. Details: {detail}"
    )]
    Locked { detail: String },
    #[error(
        "The keychain entry for {account} could not be read as text. Link this org again to \
         replace the stored key."
    )]
    Corrupt { account: String },
    #[error("The keychain refused the entry name for this org. Details: {detail}")]
    Rejected { detail: String },
    #[error("An org without an id cannot have a key. This is a bug in agencydesk.")]
    InvalidAccount,
    #[error("The keychain could not be asked in time because agencydesk was shutting down.")]
    Interrupted,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_stable() {
        assert_eq!(KeyAccount::AgencyOrg.account_name(), "agency");
        assert_eq!(
            KeyAccount::ClientOrg("abc-1".into()).account_name(),
            "org:abc-1"
        );
        assert!(KeyAccount::ClientOrg(" ".into()).validate().is_err());
    }

    #[test]
    fn each_keychain_failure_says_something_different() {
        let unavailable = KeychainError::Unavailable { detail: "d".into() }.to_string();
        let no_keyring = KeychainError::NoKeyring { detail: "d".into() }.to_string();
        let locked = KeychainError::Locked { detail: "d".into() }.to_string();
        assert!(
            unavailable.contains("No OS keychain is reachable"),
            "{unavailable}"
        );
        assert!(
            no_keyring.contains("no keyring to keep keys in"),
            "{no_keyring}"
        );
        assert!(
            !no_keyring.contains("locked"),
            "nothing is locked: {no_keyring}"
        );
        assert!(locked.contains("locked"), "{locked}");
        assert!(!locked.contains("No OS keychain is reachable"), "{locked}");
    }

    #[test]
    fn unavailable_message_explains_what_to_do() {
        let msg = KeychainError::Unavailable {
            detail: "no bus".into(),
        }
        .to_string();
        for needle in [
            "Secret Service",
            "Keychain",
            "Credential Manager",
            "plain text",
            "gnome-keyring",
        ] {
            assert!(msg.contains(needle), "missing {needle:?} in {msg}");
        }
    }
}
