//! The real keychain: Secret Service on Linux, Keychain on macOS, Credential Manager on Windows,
//! through the `keyring` crate.

use std::sync::Mutex;

use keyring::credential::{CredentialBuilder, CredentialPersistence};
use keyring::Entry;

use super::{KeyAccount, KeychainError, SecretStore};
use crate::sensitive::SecretKey;

/// An account name that is never written: looking it up tells whether the keychain answers.
const PROBE_ACCOUNT: &str = "agencydesk-probe-never-written";

/// The Secret Service documentation warns that concurrent access from one process (even from
/// one thread in quick succession) can break its RPC; every `OsKeychain` in the process takes
/// this lock around each call.
static KEYCHAIN_CALLS: Mutex<()> = Mutex::new(());

pub struct OsKeychain {
    service: String,
    builder: Box<CredentialBuilder>,
}

impl std::fmt::Debug for OsKeychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OsKeychain")
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl OsKeychain {
    /// Connects to the platform keychain under `service` ("agencydesk" in the product; tests use
    /// a unique one) and checks that it answers (see [`OsKeychain::probe`]).
    pub fn new(service: &str) -> Result<Self, KeychainError> {
        if service.trim().is_empty() {
            return Err(KeychainError::Rejected {
                detail: "the keychain service name is empty".to_owned(),
            });
        }
        let keychain = Self {
            service: service.to_owned(),
            builder: persistent_builder()?,
        };
        keychain.probe()?;
        Ok(keychain)
    }

    /// Checks the keychain is reachable: looking up an entry that does not exist must answer
    /// "no entry". Anything else (no D-Bus session, no Secret Service provider, ...) is
    /// [`KeychainError::Unavailable`].
    pub fn probe(&self) -> Result<(), KeychainError> {
        let entry = self.entry(PROBE_ACCOUNT)?;
        let _guard = lock_calls();
        match entry.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(keyring::Error::NoStorageAccess(err)) => Err(no_access(err.as_ref())),
            Err(err) => Err(KeychainError::Unavailable {
                detail: platform_detail(&err),
            }),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, account: &str) -> Result<Entry, KeychainError> {
        let credential = self
            .builder
            .build(None, &self.service, account)
            .map_err(|err| map_error(err, account))?;
        Ok(Entry::new_with_credential(credential))
    }
}

/// The platform store's builder, refusing `keyring`'s in-memory mock: keyring silently falls back
/// to it when built without platform features, and keys stored there vanish with the process.
fn persistent_builder() -> Result<Box<CredentialBuilder>, KeychainError> {
    let builder = keyring::default::default_credential_builder();
    match builder.persistence() {
        CredentialPersistence::UntilDelete => Ok(builder),
        _ => Err(KeychainError::Unavailable {
            detail: "this build of agencydesk has no keychain support for this platform".to_owned(),
        }),
    }
}

fn lock_calls() -> std::sync::MutexGuard<'static, ()> {
    // The guarded data is `()`, so a panic while holding the lock leaves nothing inconsistent.
    KEYCHAIN_CALLS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Text of a platform error, for the "Details" part of a message. Never called with
/// `BadEncoding`, whose payload is the secret's bytes.
fn platform_detail(err: &keyring::Error) -> String {
    match err {
        keyring::Error::BadEncoding(_) => "the stored value is not text".to_owned(),
        keyring::Error::Ambiguous(items) => format!("{} matching entries", items.len()),
        other => other.to_string(),
    }
}

fn map_error(err: keyring::Error, account: &str) -> KeychainError {
    match err {
        keyring::Error::NoStorageAccess(err) => no_access(err.as_ref()),
        keyring::Error::BadEncoding(_) => KeychainError::Corrupt {
            account: account.to_owned(),
        },
        keyring::Error::TooLong(..) | keyring::Error::Invalid(..) => KeychainError::Rejected {
            detail: err.to_string(),
        },
        keyring::Error::Ambiguous(_) => KeychainError::Rejected {
            detail: format!(
                "several keychain entries exist for {account}; delete them in your keychain \
                 app and link the org again"
            ),
        },
        other => KeychainError::Unavailable {
            detail: platform_detail(&other),
        },
    }
}

/// keyring reports "there is no keyring to store in" and "the keyring is locked" alike, as
/// `NoStorageAccess`; the backend's own error says which, and the fixes differ.
fn no_access(err: &(dyn std::error::Error + Send + Sync + 'static)) -> KeychainError {
    let detail = err.to_string();
    if is_missing_collection(err) {
        KeychainError::NoKeyring { detail }
    } else {
        KeychainError::Locked { detail }
    }
}

/// The Secret Service has no default collection (`NoResult` is only returned when looking a
/// collection up by its alias).
#[cfg(target_os = "linux")]
fn is_missing_collection(err: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    matches!(
        err.downcast_ref::<dbus_secret_service::Error>(),
        Some(dbus_secret_service::Error::NoResult)
    )
}

#[cfg(not(target_os = "linux"))]
fn is_missing_collection(_err: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    false
}

/// How long the desktop's "unlock your keyring" prompt may wait for the owner.
#[cfg(target_os = "linux")]
const UNLOCK_PROMPT_SECS: u64 = 60;

/// Fails with [`KeychainError::Locked`] when the keyring agencydesk keeps keys in is locked and
/// the owner did not unlock it at the desktop's prompt.
///
/// Asked before every read or write of a key because keyring would otherwise raise that prompt
/// itself, with no time limit: a sync would hang (holding [`KEYCHAIN_CALLS`]) on a keyring locked
/// while the owner is away. Here the prompt gives up after [`UNLOCK_PROMPT_SECS`], and where no
/// prompt can be shown (no desktop session) the answer is "locked" at once.
#[cfg(target_os = "linux")]
fn ensure_unlocked() -> Result<(), KeychainError> {
    use dbus_secret_service::{EncryptionType, Error as Ss, SecretService};
    let unavailable = |err: Ss| KeychainError::Unavailable {
        detail: err.to_string(),
    };
    let service =
        SecretService::connect_with_max_prompt_timeout(EncryptionType::Plain, UNLOCK_PROMPT_SECS)
            .map_err(unavailable)?;
    let collection = match service.get_default_collection() {
        Ok(collection) => collection,
        Err(err @ Ss::NoResult) => {
            return Err(KeychainError::NoKeyring {
                detail: err.to_string(),
            })
        }
        Err(err) => return Err(unavailable(err)),
    };
    if !collection.is_locked().map_err(unavailable)? {
        return Ok(());
    }
    let locked = |detail: String| KeychainError::Locked { detail };
    collection
        .unlock()
        .map_err(|err| locked(format!("the default keyring is locked ({err})")))?;
    if collection.is_locked().map_err(unavailable)? {
        return Err(locked("the default keyring is still locked".to_owned()));
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn ensure_unlocked() -> Result<(), KeychainError> {
    Ok(())
}

impl SecretStore for OsKeychain {
    fn set(&self, account: &KeyAccount, secret: &SecretKey) -> Result<(), KeychainError> {
        account.validate()?;
        let name = account.account_name();
        let entry = self.entry(&name)?;
        let _guard = lock_calls();
        ensure_unlocked()?;
        entry
            .set_password(secret.expose())
            .map_err(|err| map_error(err, &name))
    }

    fn get(&self, account: &KeyAccount) -> Result<Option<SecretKey>, KeychainError> {
        account.validate()?;
        let name = account.account_name();
        let entry = self.entry(&name)?;
        let _guard = lock_calls();
        ensure_unlocked()?;
        match entry.get_password() {
            Ok(password) => Ok(Some(SecretKey::new(password))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(map_error(err, &name)),
        }
    }

    fn delete(&self, account: &KeyAccount) -> Result<(), KeychainError> {
        account.validate()?;
        let name = account.account_name();
        let entry = self.entry(&name)?;
        let _guard = lock_calls();
        ensure_unlocked()?;
        match entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(err) => Err(map_error(err, &name)),
        }
    }

    fn describe(&self) -> &'static str {
        if cfg!(target_os = "macos") {
            "macOS Keychain"
        } else if cfg!(target_os = "windows") {
            "Windows Credential Manager"
        } else {
            "Secret Service"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// keyring built without its platform features silently uses an in-memory mock; this pins
    /// that the workspace features really select a store that keeps keys until deleted.
    #[test]
    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    fn default_builder_is_a_persistent_platform_store() {
        let builder = keyring::default::default_credential_builder();
        assert!(
            matches!(builder.persistence(), CredentialPersistence::UntilDelete),
            "keyring's default store is not persistent: {builder:?}"
        );
        assert!(builder
            .as_any()
            .downcast_ref::<keyring::mock::MockCredentialBuilder>()
            .is_none());
        assert!(persistent_builder().is_ok());
    }

    /// The Secret Service's answers as keyring wraps them: no default collection is not a lock.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_missing_collection_is_told_apart_from_a_locked_one() {
        use dbus_secret_service::Error as Ss;
        let wrapped = |e: Ss| keyring::Error::NoStorageAccess(Box::new(e));
        assert!(matches!(
            map_error(wrapped(Ss::NoResult), "org:x"),
            KeychainError::NoKeyring { .. }
        ));
        for locked in [Ss::Locked, Ss::Prompt] {
            assert!(matches!(
                map_error(wrapped(locked), "org:x"),
                KeychainError::Locked { .. }
            ));
        }
        // No D-Bus session or provider at all is neither.
        assert!(matches!(
            map_error(
                keyring::Error::PlatformFailure(Box::new(Ss::Unavailable)),
                "org:x"
            ),
            KeychainError::Unavailable { .. }
        ));
    }

    #[test]
    fn empty_service_is_rejected_before_touching_the_keychain() {
        assert!(matches!(
            OsKeychain::new("  "),
            Err(KeychainError::Rejected { .. })
        ));
    }
}
