//! The agency service: what the app and the CLI call. It ties the Vapi client, the keychain and
//! the store together; each workflow lives in its own file.

mod billing_limit;
mod clients;
mod data;
mod details;
mod diagnostics;
mod link;
mod settings;
mod snapshot;
mod trust;
mod view;

pub use crate::error::AgencyError;
pub use billing_limit::{
    check_billing_limit, BillingLimits, SubscriptionFacts, MAX_BILLING_LIMIT_USD,
};
pub use data::CacheRebuild;
pub(crate) use details::letterhead;
pub use details::AgencyDetailsView;
pub use diagnostics::{AgencyCounts, AppFacts, Diagnostics, SyncHealth, RECENT_ERRORS};
pub use settings::{
    AgencySettings, SettingsUpdate, BACKGROUND_SYNC_MINUTES, DEFAULT_BACKGROUND_SYNC_MINUTES,
    DEFAULT_KEY_ROTATION_MAX_AGE_DAYS, MAX_KEY_ROTATION_AGE_DAYS,
};
pub use trust::{Confirmer, HostConfirmer, NamedHosts, NoConfirmation, TrustQuestion};
pub use view::{AssistantView, ClientOrgView};

use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;

use crate::blocking::blocking;
use crate::error::CoreError;
use crate::keychain::{KeyAccount, KeychainError, SecretStore};
use crate::paths::DataDir;
use crate::store::agency_profile::{self, AgencyMode, AgencyProfile};
use crate::store::clients::{ClientOrgRow, OrgKind};
use crate::store::{time, Store, StoreError};
use crate::vapi::ClientOptions;

pub struct Agency {
    store: Arc<Store>,
    keychain: Arc<dyn SecretStore>,
    client_options: ClientOptions,
}

impl std::fmt::Debug for Agency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agency")
            .field("store", &self.store)
            .field("keychain", &self.keychain.describe())
            .finish_non_exhaustive()
    }
}

impl Agency {
    /// Opens the agency whose data is in `data_dir` (created if missing), keeping keys in
    /// `keychain`: an [`crate::keychain::OsKeychain`] for real agencies, an
    /// [`crate::keychain::EphemeralKeychain`] for the demo only.
    pub fn open(data_dir: &Path, keychain: Arc<dyn SecretStore>) -> Result<Self, CoreError> {
        let dir = DataDir::at(data_dir);
        dir.ensure_exists()?;
        let store = Store::open(&dir.database_path())?;
        Ok(Self::with_store(Arc::new(store), keychain))
    }

    pub fn with_store(store: Arc<Store>, keychain: Arc<dyn SecretStore>) -> Self {
        Self {
            store,
            keychain,
            client_options: ClientOptions::default(),
        }
    }

    /// Timeouts and retries of every Vapi client this agency creates.
    pub fn with_client_options(mut self, options: ClientOptions) -> Self {
        self.client_options = options;
        self
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// Where keys are kept, e.g. "Secret Service" (for a settings screen).
    pub fn keychain_description(&self) -> &'static str {
        self.keychain.describe()
    }

    pub fn profile(&self) -> Result<Option<AgencyProfile>, CoreError> {
        Ok(self.store.read(agency_profile::get)?)
    }

    pub fn set_profile(&self, name: &str, mode: AgencyMode) -> Result<AgencyProfile, CoreError> {
        let name = details::check_name(name)?;
        self.store.write(|tx| {
            agency_profile::set(tx, &name, mode, &time::now())?;
            agency_profile::get(tx)?.ok_or_else(|| {
                CoreError::InvalidInput("The agency profile could not be saved.".to_owned())
            })
        })
    }

    /// Runs a keychain operation on a blocking thread: platform keychains block, and some
    /// (a locked macOS Keychain, KeePassXC) wait for the user to unlock them.
    async fn keychain_call<T: Send + 'static>(
        &self,
        op: impl FnOnce(&dyn SecretStore) -> Result<T, KeychainError> + Send + 'static,
    ) -> Result<T, CoreError> {
        let keychain = Arc::clone(&self.keychain);
        blocking(move || Ok(op(keychain.as_ref())?)).await
    }

    /// Reads the store on a blocking thread: the shape of every `Agency` method that reads the
    /// cache for the window, so a large read or a sync's write batch never stalls the runtime.
    pub(crate) async fn read_blocking<T, E>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, E> + Send + 'static,
    ) -> Result<T, CoreError>
    where
        T: Send + 'static,
        E: From<StoreError> + Into<CoreError>,
    {
        let store = Arc::clone(&self.store);
        blocking(move || store.read(read).map_err(Into::into)).await
    }

    fn row(&self, org_id: &str) -> Result<ClientOrgRow, CoreError> {
        self.store
            .read(|c| crate::store::clients::get(c, org_id))?
            .ok_or_else(|| {
                AgencyError::ClientNotFound {
                    org_id: org_id.to_owned(),
                }
                .into()
            })
    }

    /// One org as the UI shows it.
    pub fn get_client(&self, org_id: &str) -> Result<ClientOrgView, CoreError> {
        let row = self.row(org_id)?;
        Ok(self.store.read(|c| view::build(c, row))?)
    }
}

/// The keychain entry that holds an org's key.
fn account_for(kind: OrgKind, org_id: &str) -> KeyAccount {
    match kind {
        OrgKind::Agency => KeyAccount::AgencyOrg,
        OrgKind::Client => KeyAccount::ClientOrg(org_id.to_owned()),
    }
}
