//! An in-memory key store for the demo agency ONLY.
//!
//! The demo talks to the bundled simulator with made-up keys that are worthless outside this
//! process; they vanish when the app quits. Real Vapi keys must never be given to this store:
//! the app creates it only for demo mode, and live mode always uses [`super::OsKeychain`].

use std::collections::HashMap;
use std::sync::Mutex;

use super::{KeyAccount, KeychainError, SecretStore};
use crate::sensitive::SecretKey;

#[derive(Default)]
pub struct EphemeralKeychain {
    entries: Mutex<HashMap<KeyAccount, SecretKey>>,
}

impl EphemeralKeychain {
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<KeyAccount, SecretKey>> {
        // Map operations cannot leave it half-updated, so a poisoned lock is still usable.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for EphemeralKeychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EphemeralKeychain")
            .field("entries", &self.entries().len())
            .finish()
    }
}

impl SecretStore for EphemeralKeychain {
    fn set(&self, account: &KeyAccount, secret: &SecretKey) -> Result<(), KeychainError> {
        account.validate()?;
        self.entries().insert(account.clone(), secret.clone());
        Ok(())
    }

    fn get(&self, account: &KeyAccount) -> Result<Option<SecretKey>, KeychainError> {
        account.validate()?;
        Ok(self.entries().get(account).cloned())
    }

    fn delete(&self, account: &KeyAccount) -> Result<(), KeychainError> {
        account.validate()?;
        self.entries().remove(account);
        Ok(())
    }

    fn describe(&self) -> &'static str {
        "in-memory (demo only)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_get_overwrite_delete() {
        let store = EphemeralKeychain::new();
        let account = KeyAccount::ClientOrg("org-1".into());
        assert!(store.get(&account).unwrap().is_none());
        store.set(&account, &SecretKey::new("one".into())).unwrap();
        store.set(&account, &SecretKey::new("two".into())).unwrap();
        assert_eq!(store.get(&account).unwrap().unwrap().expose(), "two");
        assert!(store.get(&KeyAccount::AgencyOrg).unwrap().is_none());
        store.delete(&account).unwrap();
        store.delete(&account).unwrap();
        assert!(store.get(&account).unwrap().is_none());
    }
}
