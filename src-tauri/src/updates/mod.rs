//! Updates: Settings → About's "Check for updates" asks the feed built into this binary
//! ([`feed::UpdateFeed`]) through tauri-plugin-updater; a newer version is shown with its notes
//! and installed only when the owner clicks Install, never by itself. Every package is checked
//! against the minisign public key built in, and its signature must name the version the feed
//! announced (`requireSignedVersion`), so a feed cannot pass an older signed package off as new.
//! Installing replaces a .deb or .rpm install (the plugin runs the package manager through
//! pkexec); a copy built from source is never overwritten.

pub mod feed;

use serde::Serialize;
use tauri::utils::config::BundleType;
use tauri::utils::platform::bundle_type;
use tauri::{AppHandle, Builder, Context, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use tokio::sync::Mutex;
use ts_rs::TS;

use crate::error::AppError;
use feed::UpdateFeed;

/// The app's update state: the feed (none: no checks) and the update the last check found,
/// the only one Install can install.
pub struct Updates {
    feed: Option<UpdateFeed>,
    pending: Mutex<Option<Update>>,
}

impl Updates {
    pub fn new(feed: Option<UpdateFeed>) -> Self {
        Updates {
            feed,
            pending: Mutex::new(None),
        }
    }

    pub fn feed(&self) -> Option<&UpdateFeed> {
        self.feed.as_ref()
    }
}

/// Adds the updater to an app being built: the plugin only when there is a feed (its key goes
/// into the plugin's configuration), and the [`Updates`] state the commands read either way.
pub fn register<R: Runtime>(
    builder: Builder<R>,
    context: &mut Context<R>,
    feed: Option<UpdateFeed>,
) -> Builder<R> {
    let builder = match &feed {
        Some(feed) => {
            context.config_mut().plugins.0.insert(
                "updater".to_owned(),
                serde_json::json!({ "pubkey": feed.pubkey(), "requireSignedVersion": true }),
            );
            builder.plugin(tauri_plugin_updater::Builder::new().build())
        }
        None => builder,
    };
    builder.manage(Updates::new(feed))
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct UpdateCheck {
    pub current_version: String,
    /// `null`: this is the newest version the feed offers.
    pub available: Option<AvailableUpdate>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AvailableUpdate {
    pub version: String,
    /// The release notes, as the feed wrote them (shown as plain text).
    pub notes: Option<String>,
    /// When it was published, as the feed wrote it (RFC 3339).
    pub date: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct UpdateInstalled {
    /// Installed; it runs from the next start of agencydesk.
    pub version: String,
}

/// Asks the feed for a newer version and keeps what it offers for [`install`].
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    updates: &Updates,
) -> Result<UpdateCheck, AppError> {
    let feed = updates.feed().ok_or(AppError::NoUpdateFeed)?;
    let feed_error = |e: tauri_plugin_updater::Error| AppError::UpdateCheck {
        host: feed.host(),
        detail: e.to_string(),
    };
    let updater = app
        .updater_builder()
        .pubkey(feed.pubkey())
        .endpoints(vec![feed.url().clone()])
        .map_err(feed_error)?
        .build()
        .map_err(feed_error)?;
    let found = updater.check().await.map_err(feed_error)?;
    let available = found.as_ref().map(|update| AvailableUpdate {
        version: update.version.clone(),
        notes: update.body.clone(),
        date: update.raw_json["pub_date"].as_str().map(str::to_owned),
    });
    *updates.pending.lock().await = found;
    Ok(UpdateCheck {
        current_version: app.package_info().version.to_string(),
        available,
    })
}

/// Downloads the update the last check found, checks its signature, and installs it. A package
/// whose signature does not match is refused before anything is installed.
pub async fn install(updates: &Updates) -> Result<UpdateInstalled, AppError> {
    let update = updates
        .pending
        .lock()
        .await
        .take()
        .ok_or(AppError::NoUpdateToInstall)?;
    let version = update.version.clone();
    let bytes = download_verified(&update).await?;
    if !matches!(bundle_type(), Some(BundleType::Deb | BundleType::Rpm)) {
        return Err(AppError::UpdateNotInstallable { version });
    }
    update.install(bytes).map_err(|e| AppError::UpdateInstall {
        version: version.clone(),
        detail: e.to_string(),
    })?;
    tracing::info!(%version, "update installed; it runs from the next start");
    Ok(UpdateInstalled { version })
}

/// The package's bytes, only once its signature matched the key built in.
async fn download_verified(update: &Update) -> Result<Vec<u8>, AppError> {
    use tauri_plugin_updater::Error as E;
    let version = update.version.clone();
    update
        .download(|_, _| {}, || {})
        .await
        .map_err(|e| match e {
            E::Minisign(_)
            | E::Base64(_)
            | E::SignatureUtf8(_)
            | E::SignedVersionMismatch { .. }
            | E::MissingSignedVersion => AppError::UpdateRefused {
                version,
                detail: e.to_string(),
            },
            other => AppError::UpdateDownload {
                version,
                detail: other.to_string(),
            },
        })
}
