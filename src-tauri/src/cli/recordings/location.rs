//! `agencydesk recordings location` and `agencydesk recordings move FOLDER`: where the archive
//! is, and moving it (the same move as Settings' "Move…"; run it again after an interruption).

use std::path::PathBuf;

use agencydesk_core::recordings::{ArchiveLocation, ArchiveMove};

use super::megabytes;
use crate::cli::output::{json, write_stdout};
use crate::cli::session::with_agency;
use crate::error::AppError;

pub async fn show(demo: bool, as_json: bool) -> Result<(), AppError> {
    let location = with_agency(demo, |session| async move {
        Ok(session.agency.archive_location()?)
    })
    .await?;
    write_stdout(&if as_json {
        json(&location)?
    } else {
        describe(&location)
    })
}

pub async fn relocate(demo: bool, folder: PathBuf) -> Result<(), AppError> {
    // A relative folder is taken from where the command runs, as a shell user expects.
    let folder = std::path::absolute(&folder).unwrap_or(folder);
    let moved = with_agency(demo, |session| async move {
        Ok(session.agency.move_archive(&folder).await?)
    })
    .await?;
    write_stdout(&moved_text(&moved))
}

fn describe(l: &ArchiveLocation) -> String {
    let mut out = format!(
        "Recordings archive: {}{}\n{} recording(s), {}.\n",
        l.folder,
        if l.is_default { " (default)" } else { "" },
        l.files,
        megabytes(l.bytes)
    );
    if let Some(to) = &l.unfinished_move_to {
        out.push_str(&format!(
            "A move to {to} did not finish; finish it with: agencydesk recordings move {to}\n"
        ));
    }
    out
}

fn moved_text(m: &ArchiveMove) -> String {
    if m.from == m.to {
        return format!("The archive is already in {}.\n", m.to);
    }
    let mut out = format!(
        "Moved the recordings archive from {} to {} ({} recording(s), {}).\n",
        m.from,
        m.to,
        m.moved,
        if m.renamed {
            "renamed"
        } else {
            "copied and checked"
        }
    );
    if m.missing > 0 {
        out.push_str(&format!(
            "{} recording(s) were missing or damaged in the old folder; fetch them again with: \
             agencydesk recordings archive\n",
            m.missing
        ));
    }
    out
}
