//! Moving the recordings archive to another folder (Settings, `agencydesk recordings move`).
//!
//! The folder a move goes to is recorded before the first file moves and the setting switches
//! only once every recorded file is in the new place and matches its SHA-256, so an interrupted
//! move loses nothing: the old folder stays in use, and running the same move again finishes it
//! (files already there and whole are not copied twice). Old files are removed only after the
//! switch, and only the ones the archive recorded: nothing else in the old folder is touched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use super::folder::verified;
use crate::agency::{Agency, DEFAULT_KEY_ROTATION_MAX_AGE_DAYS};
use crate::blocking::blocking;
use crate::error::CoreError;
use crate::store::recordings::{archived_files, ArchivedFile};
use crate::store::{settings, time, Store};
use crate::write_error::WriteError;

/// The file that says "this folder is an agencydesk recordings archive".
pub const MARKER: &str = ".agencydesk-archive";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ArchiveLocation {
    /// The folder archived recordings are read from and written to.
    pub folder: String,
    /// Whether it is the default `<data dir>/archive`.
    pub is_default: bool,
    /// A move to this folder was interrupted: running it again finishes it.
    pub unfinished_move_to: Option<String>,
    /// Recordings the archive holds (as recorded), and their size in bytes.
    pub files: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ArchiveMove {
    pub from: String,
    pub to: String,
    /// Recordings now in the new folder (whole and matching their checksum).
    pub moved: u64,
    /// Recorded files that were missing or damaged in the old folder: left where they were; the
    /// next archive run fetches them again while Vapi still has them.
    pub missing: u64,
    /// The whole folder was renamed in one step (same file system) rather than copied.
    pub renamed: bool,
}

impl Agency {
    /// Where the archive is, and how much it holds.
    pub fn archive_location(&self) -> Result<ArchiveLocation, CoreError> {
        let folder = self.archive_folder()?;
        let default = self.default_archive_folder()?;
        let ((_, moving_to), files) = self
            .store()
            .read(|c| Ok::<_, CoreError>((settings::archive_location(c)?, archived_files(c)?)))?;
        Ok(ArchiveLocation {
            folder: folder.display().to_string(),
            is_default: folder == default,
            unfinished_move_to: moving_to,
            files: files.len() as u64,
            bytes: files.iter().map(|f| f.bytes).sum(),
        })
    }

    /// Moves the archive into `destination` (an absolute folder: missing, empty, or an
    /// agencydesk archive such as the one an interrupted move left). See the module comment.
    pub async fn move_archive(&self, destination: &Path) -> Result<ArchiveMove, CoreError> {
        let from = self.archive_folder()?;
        let default = self.default_archive_folder()?;
        let store = std::sync::Arc::clone(self.store());
        let destination = destination.to_path_buf();
        blocking(move || move_blocking(&store, &from, &default, &destination)).await
    }
}

fn refuse(text: String) -> CoreError {
    CoreError::InvalidInput(text)
}

/// `path` with symlinks and `..` resolved as far as it exists (the rest appended as given).
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => resolved(parent).join(name),
        _ => path.to_path_buf(),
    }
}

fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_none())
}

/// Writes the marker into `folder` (created if missing) unless it is there already.
pub(crate) fn mark(folder: &Path) -> Result<(), CoreError> {
    let marker = folder.join(MARKER);
    if marker.is_file() {
        return Ok(());
    }
    fs::create_dir_all(folder).map_err(|e| WriteError::new(folder, &e))?;
    fs::write(&marker, b"agencydesk recordings archive\n")
        .map_err(|e| WriteError::new(&marker, &e))?;
    Ok(())
}

fn check_destination(from: &Path, to: &Path, moving_to: Option<&str>) -> Result<(), CoreError> {
    let shown = to.display();
    if !to.is_absolute() {
        return Err(refuse(format!(
            "Choose a full folder path for the archive; {shown} is not one."
        )));
    }
    // Files may already sit in that folder: finishing that move first keeps track of them all.
    if let Some(pending) = moving_to.filter(|p| Path::new(p) != to) {
        return Err(refuse(format!(
            "A move of the archive to {pending} did not finish: move it there again first, then \
             move it elsewhere."
        )));
    }
    if to.starts_with(from) {
        return Err(refuse(format!(
            "{shown} is inside the current archive folder {}: choose a folder outside it.",
            from.display()
        )));
    }
    if from.starts_with(to) {
        return Err(refuse(format!(
            "The current archive folder is inside {shown}: choose another folder."
        )));
    }
    if to.exists() {
        if !to.is_dir() {
            return Err(refuse(format!("{shown} is a file, not a folder.")));
        }
        if !is_empty_dir(to) && !to.join(MARKER).is_file() {
            return Err(refuse(format!(
                "{shown} already holds other files: choose an empty folder (or a new one)."
            )));
        }
    }
    Ok(())
}

fn move_blocking(
    store: &Store,
    from: &Path,
    default: &Path,
    destination: &Path,
) -> Result<ArchiveMove, CoreError> {
    let (_, moving_to) = store.read(settings::archive_location)?;
    let (from, to) = (resolved(from), resolved(destination));
    let mut report = ArchiveMove {
        from: from.display().to_string(),
        to: to.display().to_string(),
        moved: 0,
        missing: 0,
        renamed: false,
    };
    let to_text = to.display().to_string();
    if to == from && moving_to.is_none() {
        return Ok(report);
    }
    check_destination(&from, &to, moving_to.as_deref())?;
    let files = store.read(archived_files)?;
    store.write(|tx| {
        settings::set_archive_moving_to(
            tx,
            &to_text,
            DEFAULT_KEY_ROTATION_MAX_AGE_DAYS,
            &time::now(),
        )?;
        Ok::<_, CoreError>(())
    })?;
    if from.is_dir() {
        mark(&from)?;
    }
    // Same file system and nothing there yet: one rename moves everything at once.
    let fresh = !to.exists() || is_empty_dir(&to);
    if fresh && from.is_dir() {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).map_err(|e| WriteError::new(parent, &e))?;
        }
        if fs::rename(&from, &to).is_ok() {
            report.renamed = true;
        }
    }
    mark(&to)?;
    // Old files the switch makes redundant: copied now, or by an earlier run that stopped.
    let mut copied = Vec::new();
    for file in &files {
        if verified(&to, file) {
            if from.join(&file.path).is_file() {
                copied.push(file);
            }
            report.moved += 1;
        } else if verified(&from, file) {
            copy_verified(&from, &to, file)?;
            copied.push(file);
            report.moved += 1;
        } else {
            report.missing += 1;
        }
    }
    let stored = (to != resolved(default)).then_some(to_text.as_str());
    store.write(|tx| {
        settings::set_archive_folder(tx, stored, DEFAULT_KEY_ROTATION_MAX_AGE_DAYS, &time::now())?;
        Ok::<_, CoreError>(())
    })?;
    remove_old(&from, &copied);
    Ok(report)
}

/// Copies one recorded file to the same place under `to` through a `.partial` file and checks
/// the copy against the recorded checksum before it takes the final name.
fn copy_verified(from: &Path, to: &Path, file: &ArchivedFile) -> Result<(), CoreError> {
    let (source, target) = (from.join(&file.path), to.join(&file.path));
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent).map_err(|e| WriteError::new(parent, &e))?;
    }
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let copied = fs::copy(&source, &partial)
        .and_then(|_| fs::File::open(&partial)?.sync_all())
        .and_then(|()| fs::rename(&partial, &target));
    if let Err(e) = copied {
        let _ = fs::remove_file(&partial);
        return Err(WriteError::new(&target, &e).into());
    }
    if !verified(to, file) {
        let _ = fs::remove_file(&target);
        return Err(WriteError::new(
            &target,
            &io::Error::other("the copy does not match the recorded checksum"),
        )
        .into());
    }
    Ok(())
}

/// Best effort after the switch: the copied files, then the folders they leave empty, the
/// marker, and the old folder itself if nothing else is in it.
fn remove_old(from: &Path, copied: &[&ArchivedFile]) {
    let mut folders = Vec::new();
    for file in copied {
        let path = from.join(&file.path);
        if fs::remove_file(&path).is_err() {
            tracing::warn!(path = %path.display(), "an old archive file was left in place");
        }
        folders.extend(
            path.ancestors()
                .skip(1)
                .take_while(|p| *p != from)
                .map(Path::to_path_buf),
        );
    }
    folders.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    folders.dedup();
    for folder in folders {
        let _ = fs::remove_dir(folder);
    }
    if from.join(MARKER).is_file() && fs::read_dir(from).is_ok_and(|e| e.count() == 1) {
        let _ = fs::remove_file(from.join(MARKER));
        let _ = fs::remove_dir(from);
    }
}
