//! `agencydesk backup create|list|restore` and `agencydesk cache rebuild`: the data folder's
//! upkeep. Backups belong to the real agency (the demo is rebuilt on every start).

use std::path::{Path, PathBuf};
use std::time::Duration;

use agencydesk_core::agency::Agency;
use agencydesk_core::error::CoreError;
use agencydesk_core::paths::DataDir;
use agencydesk_core::store::backup::backup_dir;
use clap::Subcommand;

use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    /// Write a backup of the database now (consistent even while the app runs).
    Create,
    /// List the backups, newest first.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Replace the database by a backup, after checking it. The current database is kept
    /// first (as a `before-restore` backup, or moved aside if it is damaged). Close the app
    /// before restoring.
    Restore {
        /// A backup's name from `backup list`, or the path of a backup file.
        #[arg(required_unless_present = "latest", conflicts_with = "latest")]
        file: Option<PathBuf>,
        /// Restore the newest backup.
        #[arg(long)]
        latest: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// Empty the call cache (calls, sync progress, compression dictionaries) so the next
    /// `agencydesk sync` reads every call again. Plans, invoices and invoice numbers stay.
    Rebuild,
}

pub async fn run(demo: bool, command: BackupCommand) -> Result<(), AppError> {
    if demo {
        return Err(CoreError::InvalidInput(
            "Backups belong to your real agency; the demo is rebuilt on every start. Run this \
             without --demo."
                .to_owned(),
        )
        .into());
    }
    match command {
        BackupCommand::Create => create().await,
        BackupCommand::List { json } => list(json),
        BackupCommand::Restore { file, latest } => restore(file.as_deref(), latest).await,
    }
}

pub async fn cache(demo: bool, command: CacheCommand) -> Result<(), AppError> {
    match command {
        CacheCommand::Rebuild => {
            let done = with_agency(demo, |session| async move {
                Ok(session.agency.rebuild_call_cache().await?)
            })
            .await?;
            write_stdout(&format!(
                "Removed {} cached call(s) of {} org(s). Run `agencydesk sync` to read them \
                 again; plans, invoices and invoice numbers are unchanged.\n",
                done.calls_removed, done.orgs
            ))
        }
    }
}

fn data_root() -> Result<PathBuf, AppError> {
    Ok(DataDir::from_env()
        .map_err(CoreError::from)?
        .root()
        .to_path_buf())
}

async fn create() -> Result<(), AppError> {
    let made = with_agency(false, |session| async move {
        Ok(session.agency.create_backup().await?)
    })
    .await?;
    let root = data_root()?;
    write_stdout(&format!(
        "Backup written: {}\n",
        backup_dir(&root).join(&made.id).display()
    ))
}

fn list(as_json: bool) -> Result<(), AppError> {
    let root = data_root()?;
    let backups = Agency::backups_in(&root)?;
    if as_json {
        return write_stdout(&json(&backups)?);
    }
    if backups.is_empty() {
        return write_stdout(&format!(
            "No backups yet in {}. Make one with: agencydesk backup create\n",
            backup_dir(&root).display()
        ));
    }
    let mut out = table(
        ["BACKUP", "WHY", "CREATED (UTC)", "SIZE"],
        [Align::Left, Align::Left, Align::Left, Align::Right],
        backups.iter().map(|b| {
            [
                b.id.clone(),
                b.kind.as_str().to_owned(),
                b.created_at.clone(),
                size(b.size_bytes),
            ]
        }),
    );
    out.push_str(&format!("\nIn {}\n", backup_dir(&root).display()));
    write_stdout(&out)
}

fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{}.{} MiB", bytes / MIB, (bytes % MIB) * 10 / MIB)
    } else {
        format!("{} KiB", bytes.div_ceil(1024))
    }
}

/// A backup's name from the list is looked up in the backups folder; anything else is a path
/// the person typed.
async fn restore(file: Option<&Path>, latest: bool) -> Result<(), AppError> {
    let root = data_root()?;
    let source = match (file, latest) {
        (_, true) => {
            let newest = Agency::backups_in(&root)?
                .into_iter()
                .next()
                .ok_or_else(|| {
                    CoreError::InvalidInput(format!(
                        "There is no backup in {} to restore.",
                        backup_dir(&root).display()
                    ))
                })?;
            Agency::backup_file(&root, &newest.id)?
        }
        (Some(file), false) => match file.to_str().map(|name| Agency::backup_file(&root, name)) {
            Some(Ok(in_folder)) => in_folder,
            _ => file.to_path_buf(),
        },
        (None, false) => {
            return Err(CoreError::InvalidInput(
                "Name a backup (see `agencydesk backup list`) or use --latest.".to_owned(),
            )
            .into())
        }
    };
    let report = Agency::restore_backup(&root, &source, Duration::ZERO).await?;
    let mut out = format!("Restored {}.\n", report.restored_from);
    if let Some(previous) = &report.previous_backup {
        out.push_str(&format!(
            "The database it replaced is kept as the backup {}.\n",
            previous.id
        ));
    }
    if let Some(moved) = &report.previous_moved_to {
        out.push_str(&format!(
            "The damaged database it replaced was moved to {moved}.\n"
        ));
    }
    write_stdout(&out)
}
