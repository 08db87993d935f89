//! The app's state: at most one open agency (a [`Session`]), behind one lock.
//!
//! Commands take a snapshot of the current session (`Arc<Session>`) and work on it without
//! holding the lock, so a slow Vapi call never blocks the UI from asking for the status. Opening
//! or closing a session takes the write lock, so two clicks cannot open two agencies.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use agencydesk_core::agency::Agency;
use agencydesk_core::agency::CacheRebuild;
use agencydesk_core::blocking::blocking;
use agencydesk_core::error::{CoreError, ErrorPayload};
use agencydesk_core::keychain::{KeychainError, OsKeychain, SecretStore};
use agencydesk_core::paths::DataDir;
use agencydesk_core::store::agency_profile::{self, AgencyMode};
use agencydesk_core::store::backup::BackupInfo;
use agencydesk_core::store::integrity;
use agencydesk_core::store::lock::DataLock;
use agencydesk_core::store::restore::RestoreReport;
use agencydesk_core::sync::SyncOptions;
use agencydesk_core::vapi::DEFAULT_BASE_URL;
use tokio::sync::RwLock;
use vapi_sim::Sim;

use crate::background_sync::BackgroundSync;
use crate::demo;
use crate::error::AppError;
use crate::status::{AppStatus, SessionInfo, SessionMode};
use crate::sync_runs::{EventSink, SyncRuns};

/// The keychain service name under which real keys are stored.
pub const KEYCHAIN_SERVICE: &str = "agencydesk";

/// Test build only (feature `e2e`): the real-window suite links real keys into a throwaway
/// Secret Service under a test-only service name of its choosing, so a run can never touch the
/// user's `agencydesk` entries. The shipped app has no code that reads it.
#[cfg(feature = "e2e")]
pub const E2E_KEYCHAIN_SERVICE_ENV: &str = "AGENCYDESK_E2E_KEYCHAIN_SERVICE";

/// The service name real keys are stored under: always [`KEYCHAIN_SERVICE`] in the shipped app.
pub fn keychain_service() -> String {
    #[cfg(feature = "e2e")]
    if let Some(name) = std::env::var(E2E_KEYCHAIN_SERVICE_ENV)
        .ok()
        .filter(|n| !n.is_empty())
    {
        return name;
    }
    KEYCHAIN_SERVICE.to_owned()
}

/// How long a restore from the window waits for the agency it closed to be let go of.
const RESTORE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Name given to a new real agency until the user renames it in Settings.
const DEFAULT_AGENCY_NAME: &str = "My agency";

/// Opens the keychain for real mode. Production: the OS keychain; tests inject others.
pub type KeychainOpener =
    Arc<dyn Fn() -> Result<Arc<dyn SecretStore>, KeychainError> + Send + Sync>;

/// An open agency.
pub struct Session {
    pub mode: SessionMode,
    /// Shared so background syncs can hold it weakly and notice when it closes.
    pub agency: Arc<Agency>,
    pub agency_name: String,
    /// The demo's in-process simulator; it stops when the session is dropped.
    demo_sim: Option<Sim>,
    /// The demo folder's lock, released when the session is dropped.
    _demo_lock: Option<DataLock>,
}

impl Session {
    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            mode: self.mode,
            agency_name: self.agency_name.clone(),
            keychain: self.agency.keychain_description().to_owned(),
            default_base_url: self
                .demo_sim
                .as_ref()
                .map_or_else(|| DEFAULT_BASE_URL.to_owned(), Sim::url),
        }
    }

    /// What the demo's simulator seeded (URL, orgs, keys), in demo mode.
    pub fn demo_manifest(&self) -> Option<vapi_sim::Manifest> {
        self.demo_sim.as_ref().map(Sim::manifest)
    }

    /// The demo's simulator itself (to read its calls back), in demo mode.
    pub fn demo_sim(&self) -> Option<vapi_sim::SimHandle> {
        self.demo_sim.as_ref().map(Sim::handle)
    }
}

pub struct AppState {
    session: RwLock<Option<Arc<Session>>>,
    /// Where real data lives, or why that could not be worked out (shown, never a panic).
    data_dir: Result<DataDir, ErrorPayload>,
    open_keychain: KeychainOpener,
    /// `--demo`: handed to the UI once, which then starts the demo.
    launch_demo: AtomicBool,
    /// The real agency is opened automatically at most once (on the first status request).
    auto_open_done: AtomicBool,
    /// Call syncs running in the background (started from the window), to follow and cancel.
    pub syncs: SyncRuns,
    /// The every-N-minutes sync of the open agency (driven by `background_ticker`).
    pub background: BackgroundSync,
}

impl AppState {
    pub fn new(
        data_dir: Result<DataDir, ErrorPayload>,
        open_keychain: KeychainOpener,
        launch_demo: bool,
    ) -> Self {
        Self {
            session: RwLock::new(None),
            data_dir,
            open_keychain,
            launch_demo: AtomicBool::new(launch_demo),
            auto_open_done: AtomicBool::new(false),
            syncs: SyncRuns::default(),
            background: BackgroundSync::default(),
        }
    }

    /// The production state: `AGENCYDESK_DATA_DIR` or the platform folder, the OS keychain.
    pub fn from_env(launch_demo: bool) -> Self {
        let data_dir = DataDir::from_env().map_err(|e| ErrorPayload::from(CoreError::from(e)));
        let service = keychain_service();
        let open_keychain: KeychainOpener = Arc::new(move || {
            OsKeychain::new(&service).map(|k| Arc::new(k) as Arc<dyn SecretStore>)
        });
        Self::new(data_dir, open_keychain, launch_demo)
    }

    /// The open session, or [`AppError::NoSession`].
    pub async fn session(&self) -> Result<Arc<Session>, AppError> {
        self.session.read().await.clone().ok_or(AppError::NoSession)
    }

    /// What the UI shows first. On the first call (unless `--demo`), a real agency that was set
    /// up before is opened; if that fails (say, the keychain is locked), the reason comes back
    /// as `notice` and the onboarding screen offers both ways in again.
    pub async fn status(&self) -> AppStatus {
        let launch_demo = self.launch_demo.swap(false, Ordering::SeqCst);
        let mut notice = None;
        if !launch_demo && !self.auto_open_done.swap(true, Ordering::SeqCst) {
            match self.real_agency_configured() {
                Ok(true) => {
                    if let Err(e) = self.start_real().await {
                        notice = Some(e.payload());
                    }
                }
                Ok(false) => {}
                Err(e) => notice = Some(e.payload()),
            }
        }
        if let (Err(payload), None) = (&self.data_dir, &notice) {
            notice = Some(payload.clone());
        }
        AppStatus {
            session: self.session.read().await.as_ref().map(|s| s.info()),
            launch_demo,
            notice,
        }
    }

    /// Opens the demo agency, replacing whatever was open. Each start wipes the demo folder and
    /// seeds it again from a fresh simulator.
    pub async fn start_demo(&self) -> Result<SessionInfo, AppError> {
        Ok(self.open_demo().await?.info())
    }

    /// [`Self::start_demo`], then a background sync of every client org through [`Self::syncs`]
    /// (the registry "Sync now" uses), so a newcomer sees calls, charts and invoices without
    /// pressing anything. Returns as soon as the demo is open; progress arrives through `events`.
    /// The window uses this; the CLI, which syncs when it needs to, uses `start_demo`.
    pub async fn start_demo_and_sync(&self, events: EventSink) -> Result<SessionInfo, AppError> {
        let session = self.open_demo().await?;
        // A sync that cannot start leaves a usable demo whose "Sync now" still works: say why in
        // the log rather than refuse the demo.
        if let Err(e) = self
            .syncs
            .start(&session.agency, None, SyncOptions::default(), events)
            .await
        {
            tracing::warn!(error = %e, "the demo's first sync could not start");
        }
        Ok(session.info())
    }

    async fn open_demo(&self) -> Result<Arc<Session>, AppError> {
        let root = self.data_root()?;
        let mut slot = self.session.write().await;
        close(slot.take()).await;
        let started = demo::start(&demo::demo_dir(&root)).await?;
        let session = Arc::new(Session {
            mode: SessionMode::Demo,
            agency: Arc::new(started.agency),
            agency_name: started.agency_name,
            demo_sim: Some(started.sim),
            _demo_lock: Some(started.lock),
        });
        *slot = Some(Arc::clone(&session));
        Ok(session)
    }

    /// Opens the user's real agency (creating its profile the first time). Fails with the
    /// keychain's own explanation when no OS keychain answers: never a plaintext fallback.
    pub async fn start_real(&self) -> Result<SessionInfo, AppError> {
        let root = self.data_root()?;
        let mut slot = self.session.write().await;
        if let Some(open) = slot.as_ref().filter(|s| s.mode == SessionMode::Real) {
            return Ok(open.info());
        }
        // The keychain probe may block on D-Bus or wait for the user to unlock it.
        let opener = Arc::clone(&self.open_keychain);
        let keychain = blocking(move || opener().map_err(AppError::from)).await?;
        let agency = Arc::new(Agency::open(&root, keychain)?);
        // Through a connection of its own (the agency's stays free), before the agency is
        // handed out so a CLI run that exits at once still leaves it behind. One that cannot be
        // made (a full disk) must not keep the agency closed: the log says why, and the next
        // open tries again.
        if let Err(e) = agency.daily_backup().await {
            tracing::warn!(error = %e, "the daily backup could not be made");
        }
        // Calls cached before the search index existed (the first open after an upgrade) are
        // indexed here, once, so a search right after finds them all. It resumes where it
        // stopped; a failure leaves the rest to the next open rather than keep the agency shut.
        if let Err(e) = agency.build_search_index().await {
            tracing::warn!(error = %e, "the call search index could not be completed");
        }
        let profile = match agency.profile()? {
            Some(profile) => profile,
            None => agency.set_profile(DEFAULT_AGENCY_NAME, AgencyMode::Live)?,
        };
        close(slot.take()).await;
        let session = Arc::new(Session {
            mode: SessionMode::Real,
            agency,
            agency_name: profile.name,
            demo_sim: None,
            _demo_lock: None,
        });
        let info = session.info();
        *slot = Some(session);
        Ok(info)
    }

    /// The backups of the open agency's data folder, newest first (none for the demo).
    pub async fn list_backups(&self) -> Result<Vec<BackupInfo>, AppError> {
        let session = self.session().await?;
        if session.mode == SessionMode::Demo {
            return Ok(Vec::new());
        }
        Ok(session.agency.list_backups()?)
    }

    /// Restores the real agency's backup named `id` (a name from [`Self::list_backups`]; the
    /// file is looked up inside the backups folder only): closes the agency, stopping its
    /// syncs, restores under the data folder's exclusive lock, and opens it again, restored or
    /// not.
    pub async fn restore_backup(&self, id: &str) -> Result<RestoreReport, AppError> {
        let root = self.data_root()?;
        let session = self.session().await?;
        if session.mode != SessionMode::Real {
            return Err(CoreError::InvalidInput(
                "Backups belong to your real agency; the demo has none.".to_owned(),
            )
            .into());
        }
        let file = Agency::backup_file(&root, id)?;
        self.syncs.cancel(&session.agency, None);
        drop(session);
        let restored = {
            let mut slot = self.session.write().await;
            close(slot.take()).await;
            // Commands still finishing let go of the agency within moments.
            Agency::restore_backup(&root, &file, RESTORE_WAIT).await
        };
        self.start_real().await?;
        Ok(restored?)
    }

    /// Empties the call cache of the open agency so the next sync reads every call again;
    /// plans, invoices and numbering stay.
    pub async fn rebuild_call_cache(&self) -> Result<CacheRebuild, AppError> {
        let session = self.session().await?;
        if self.syncs.is_running(&session.agency) {
            return Err(CoreError::InvalidInput(
                "A sync is running. Wait for it to finish (or cancel it), then rebuild the cache."
                    .to_owned(),
            )
            .into());
        }
        Ok(session.agency.rebuild_call_cache().await?)
    }

    /// Closes the open agency (stopping the demo's simulator); back to the onboarding choice.
    pub async fn close_session(&self) {
        let mut slot = self.session.write().await;
        close(slot.take()).await;
    }

    fn data_root(&self) -> Result<PathBuf, AppError> {
        match &self.data_dir {
            Ok(dir) => Ok(dir.root().to_path_buf()),
            Err(payload) => Err(AppError::DataDir {
                message: payload.message.clone(),
            }),
        }
    }

    /// Whether the real data folder already holds a live agency. Looks without creating
    /// anything: a first run leaves no file behind until the user chooses.
    fn real_agency_configured(&self) -> Result<bool, AppError> {
        let Ok(dir) = &self.data_dir else {
            return Ok(false);
        };
        live_profile_exists(&dir.database_path())
    }
}

/// Looks read-only, without the store's checks (opening the agency runs them, once). A
/// database that cannot be read this way, or one moved aside as damaged, counts as configured:
/// opening it then explains what is wrong and how to restore a backup.
fn live_profile_exists(database: &Path) -> Result<bool, AppError> {
    if !database.is_file() {
        return Ok(!integrity::damaged_copies(database).is_empty());
    }
    match agency_profile::peek(database) {
        Ok(profile) => Ok(profile.is_some_and(|p| p.mode == AgencyMode::Live)),
        Err(_) => Ok(true),
    }
}

/// Stops a session's simulator now when nothing else holds the session; otherwise it stops when
/// the last in-flight command lets go of it.
async fn close(session: Option<Arc<Session>>) {
    if let Some(Ok(session)) = session.map(Arc::try_unwrap) {
        if let Some(sim) = session.demo_sim {
            sim.shutdown().await;
        }
    }
}
