//! Where agencydesk keeps its files: one data folder holding the SQLite database and a `logs`
//! folder. Keys are never in it; they live in the OS keychain.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// Overrides the data folder (tests, portable installs, a second profile).
pub const DATA_DIR_ENV: &str = "AGENCYDESK_DATA_DIR";

const DATABASE_FILE: &str = "agencydesk.sqlite";
const LOG_DIR: &str = "logs";

#[derive(Debug, thiserror::Error)]
pub enum PathsError {
    #[error(
        "agencydesk could not work out where to keep its data (no home folder was found). \
         Set the environment variable {DATA_DIR_ENV} to a folder agencydesk may write to."
    )]
    NoDataDir,
    #[error(
        "agencydesk could not create its data folder {path}: {source}. Check that the folder \
         can be written to, or set {DATA_DIR_ENV} to another folder."
    )]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The data folder and the well-known files in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    /// `AGENCYDESK_DATA_DIR` when set and non-empty, else the platform's data folder
    /// (e.g. `~/.local/share/agencydesk` on Linux).
    pub fn from_env() -> Result<Self, PathsError> {
        Self::resolve(std::env::var_os(DATA_DIR_ENV))
    }

    fn resolve(override_dir: Option<std::ffi::OsString>) -> Result<Self, PathsError> {
        match override_dir.filter(|v| !v.is_empty()) {
            Some(dir) => Ok(Self::at(PathBuf::from(dir))),
            None => Self::platform_default(),
        }
    }

    pub fn platform_default() -> Result<Self, PathsError> {
        ProjectDirs::from("com", "agencydesk", "agencydesk")
            .map(|dirs| Self::at(dirs.data_dir().to_path_buf()))
            .ok_or(PathsError::NoDataDir)
    }

    /// A data folder at an explicit place. A relative path is taken from the current directory
    /// now, so later `chdir`s cannot move the database.
    pub fn at(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let root = std::path::absolute(&root).unwrap_or(root);
        Self { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database_path(&self) -> PathBuf {
        self.root.join(DATABASE_FILE)
    }

    pub fn log_dir(&self) -> PathBuf {
        self.root.join(LOG_DIR)
    }

    /// Creates the data and log folders if they are missing, private to this account (0700 on
    /// Unix).
    pub fn ensure_exists(&self) -> Result<(), PathsError> {
        for dir in [self.root.clone(), self.log_dir()] {
            std::fs::create_dir_all(&dir).map_err(|source| PathsError::CreateDir {
                path: dir.clone(),
                source,
            })?;
            crate::store::files::make_private(&dir, 0o700);
        }
        Ok(())
    }

    /// A short name for this data folder (hex of a hash of its path), so two app windows on the
    /// same data folder can find each other while another profile's window stays separate.
    pub fn instance_id(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.root.as_os_str().as_encoded_bytes());
        digest[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_live_inside_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = DataDir::at(tmp.path().join("data"));
        assert_eq!(
            dir.database_path(),
            tmp.path().join("data/agencydesk.sqlite")
        );
        assert_eq!(dir.log_dir(), tmp.path().join("data/logs"));
        dir.ensure_exists().unwrap();
        assert!(dir.log_dir().is_dir());
    }

    #[test]
    fn unwritable_location_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        let err = DataDir::at(file.join("below")).ensure_exists().unwrap_err();
        assert!(matches!(err, PathsError::CreateDir { .. }));
        assert!(err.to_string().contains(DATA_DIR_ENV));
    }

    #[test]
    fn override_wins_and_empty_override_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let chosen = DataDir::resolve(Some(tmp.path().as_os_str().to_owned())).unwrap();
        assert_eq!(chosen.root(), tmp.path());
        let fallback = DataDir::resolve(Some("".into())).unwrap();
        assert_eq!(fallback, DataDir::platform_default().unwrap());
        assert!(fallback.root().ends_with("agencydesk"));
    }

    #[test]
    fn relative_paths_become_absolute() {
        assert!(DataDir::at("some/relative").root().is_absolute());
    }
}
