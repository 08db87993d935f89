//! The app crate's errors. Every command fails with an [`AppError`], which crosses to the UI as
//! core's `{ code, message }` ([`ErrorPayload`]): never a bare string, never a key.

use agencydesk_core::error::{Code, CoreError, ErrorPayload};
use serde::{Serialize, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("No agency is open. Choose \"Connect your Vapi account\" or \"Explore the demo agency\" first.")]
    NoSession,
    /// The data folder could not be worked out; the message says how to set one.
    #[error("{message}")]
    DataDir { message: String },
    #[error(
        "The demo could not start its local simulator: {detail}. Nothing real was touched; \
         try again, or restart agencydesk."
    )]
    DemoSimulator { detail: String },
    #[error(
        "The demo could not prepare its data folder {path}: {detail}. Check that the folder can \
         be written to, or set AGENCYDESK_DATA_DIR to another folder."
    )]
    DemoFolder { path: String, detail: String },
    #[error("Could not read the private key: {source}.")]
    KeyInput {
        #[source]
        source: std::io::Error,
    },
    /// `clients create` before `agency link`: core's wording points at the window instead.
    #[error(
        "Link your agency's own Vapi org first: agencydesk agency link (its key is what creates \
         client orgs)."
    )]
    AgencyNotLinked,
    #[error("No private key was given. Pipe it on standard input or type it at the prompt.")]
    KeyMissing,
    #[error("The text on standard input is far too long to be a Vapi key. Pipe only the key.")]
    KeyTooLong,
    #[error("Could not write the output: {source}.")]
    Output {
        #[source]
        source: std::io::Error,
    },
    #[error("The file dialog gave no usable file ({detail}). Choose a file on this computer.")]
    FileDialog { detail: String },
    /// `keys audit` found something: not a failure to run, but scripts must notice.
    #[error("{count} key finding(s) need attention (listed above).")]
    AuditFindings { count: usize },
    /// `reconcile` found days where the cache and Vapi disagree.
    #[error(
        "The cache differs from Vapi on {days} day(s) (listed above). Run the same command with \
         --resync to re-read those days from Vapi (agencydesk sync --org {org_id} brings only \
         calls created or updated since the last sync)."
    )]
    ReconcileMismatch { days: usize, org_id: String },
    /// `scan` found a private key or a public key anyone may use on a client's site.
    #[error("{count} key(s) on the site need action now (listed above).")]
    ExposedKeys { count: usize },
    /// `scan` could not read any page of the site.
    #[error("No page could be read from {sites} (see above): nothing was checked.")]
    SiteUnreachable { sites: String },
    /// `alerts check` found spend past a threshold: for cron, a status of its own.
    #[error("{count} spend threshold(s) crossed (listed above).")]
    ThresholdsCrossed { count: usize },
    #[error(
        "This build of agencydesk checks for no updates (it was built without an update feed). \
         Install new versions yourself."
    )]
    NoUpdateFeed,
    #[error("The update feed built into agencydesk is unusable: {detail}.")]
    UpdateFeedInvalid { detail: String },
    #[error("Could not check for updates at {host}: {detail}.")]
    UpdateCheck { host: String, detail: String },
    #[error("There is no update to install: choose \"Check for updates\" first.")]
    NoUpdateToInstall,
    #[error(
        "The update to version {version} was refused: its package does not carry a valid \
         signature from agencydesk's update key ({detail}). It may have been tampered with; \
         nothing was installed."
    )]
    UpdateRefused { version: String, detail: String },
    #[error(
        "Could not download the update to version {version}: {detail}. Nothing was installed."
    )]
    UpdateDownload { version: String, detail: String },
    #[error(
        "The update to version {version} is genuine (its signature checked out), but this copy \
         of agencydesk was not installed from a .deb or .rpm package, so it cannot replace \
         itself. Install the new version the way this copy was installed."
    )]
    UpdateNotInstallable { version: String },
    #[error("Could not install the update to version {version}: {detail}.")]
    UpdateInstall { version: String, detail: String },
}

impl AppError {
    pub fn code(&self) -> Code {
        match self {
            AppError::Core(e) => e.code(),
            AppError::NoSession => Code::NotFound,
            AppError::AgencyNotLinked => Code::Unauthorized,
            AppError::KeyMissing | AppError::KeyTooLong => Code::InvalidInput,
            AppError::NoUpdateFeed | AppError::NoUpdateToInstall => Code::NotFound,
            AppError::UpdateCheck { .. } | AppError::UpdateDownload { .. } => Code::Network,
            AppError::DataDir { .. }
            | AppError::DemoSimulator { .. }
            | AppError::DemoFolder { .. }
            | AppError::KeyInput { .. }
            | AppError::Output { .. }
            | AppError::FileDialog { .. }
            | AppError::AuditFindings { .. }
            | AppError::ReconcileMismatch { .. }
            | AppError::ExposedKeys { .. }
            | AppError::SiteUnreachable { .. }
            | AppError::ThresholdsCrossed { .. }
            | AppError::UpdateFeedInvalid { .. }
            | AppError::UpdateRefused { .. }
            | AppError::UpdateNotInstallable { .. }
            | AppError::UpdateInstall { .. } => Code::Unknown,
        }
    }

    /// The CLI's exit status for this error: 3 for audit findings, a cache that differs
    /// from Vapi and keys exposed on a site (so scripts can tell "found problems" from "could not run"), 4 for a spend
    /// threshold crossed, 1 for everything else. clap uses 2 for bad usage.
    pub fn exit_status(&self) -> u8 {
        match self {
            AppError::AuditFindings { .. }
            | AppError::ReconcileMismatch { .. }
            | AppError::ExposedKeys { .. } => 3,
            AppError::ThresholdsCrossed { .. } => 4,
            _ => 1,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

// Tauri serializes a command's error into the rejected promise the UI sees.
impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

impl From<agencydesk_core::keychain::KeychainError> for AppError {
    fn from(error: agencydesk_core::keychain::KeychainError) -> Self {
        AppError::Core(error.into())
    }
}

impl From<agencydesk_core::paths::PathsError> for AppError {
    fn from(error: agencydesk_core::paths::PathsError) -> Self {
        AppError::Core(error.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agencydesk_core::keychain::KeychainError;

    #[test]
    fn serializes_to_code_and_message() {
        let err = AppError::from(KeychainError::Unavailable {
            detail: "no D-Bus session".into(),
        });
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "KeychainUnavailable");
        assert!(json["message"].as_str().unwrap().contains("plain text"));
        assert_eq!(json.as_object().unwrap().len(), 2, "{json}");
    }

    #[test]
    fn no_session_says_what_to_do() {
        let json = serde_json::to_value(AppError::NoSession).unwrap();
        assert_eq!(json["code"], "NotFound");
        assert!(json["message"].as_str().unwrap().contains("demo agency"));
    }
}
