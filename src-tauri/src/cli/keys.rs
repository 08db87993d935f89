//! `agencydesk keys ...`: the Keys tab and the Key audit screen for scripts.
//!
//! Every command works on Vapi's live data through core; this file parses arguments, asks core
//! and prints. Anything that could stop a client's site (turning off or deleting its last
//! working key, deleting a key still on) is refused unless `--force` is given.

mod text;

use agencydesk_core::agency::{Agency, ClientOrgView};
use agencydesk_core::error::CoreError;
use agencydesk_core::keys::{
    AuditPolicy, KeyRestrictions, KeysError, Origin, UnrestrictedOverride,
};
use agencydesk_core::public_keys::IfInUse;
use clap::{ArgGroup, Args, Subcommand};
use serde::Serialize;

use super::args::{self, invalid_input};
use super::output::{json, write_stdout};
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// A client org's public keys and what each one allows, in plain words.
    List(ListArgs),
    /// Create a public key restricted to the client's websites and assistants.
    Create(CreateArgs),
    /// Replace a key with an equal new one, in two steps so the site never stops working:
    /// first create the replacement (prints the snippets that must change), then, once the site
    /// uses it, run again with --finish to turn the old key off.
    Rotate(RotateArgs),
    /// Turn a key off (it stays and can be turned on again). Refuses to turn off the org's last
    /// working key unless --force.
    Disable(ChangeArgs),
    /// Turn a key back on.
    Enable(ChangeArgs),
    /// Delete a key for good. Refuses a key that is still on (turn it off first and watch the
    /// site) unless --force.
    Delete(ChangeArgs),
    /// Check every linked org's keys: open origins, transient assistants, plain http, localhost
    /// next to production, keys turned off but kept, old keys, private keys that stopped working.
    #[command(
        after_help = "Exit status: 0 when there are no findings, 3 when there are findings \
                      (so scripts and CI can fail on them), 1 when the audit could not run, \
                      2 for a usage error."
    )]
    Audit(AuditArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long, value_parser = args::id)]
    pub org: String,
    /// Use the keys as last fetched instead of asking Vapi.
    #[arg(long)]
    pub offline: bool,
    /// Keys older than this many days are flagged for rotation (default: the rotation age
    /// saved in Settings, 180 days if none was saved).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub max_age_days: Option<u32>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("widen").multiple(true).args(["any_origin", "any_assistant", "allow_transient"])))]
pub struct CreateArgs {
    #[arg(long, value_parser = args::id)]
    pub org: String,
    /// A name to recognise the key by, e.g. "Website widget" (at most 40 characters).
    #[arg(long)]
    pub name: String,
    /// A website that may use the key, e.g. https://acme.com. Repeat for each (add the www
    /// twin if the site answers there too). http://localhost:PORT is accepted for development.
    #[arg(long = "origin", value_parser = args::origin, conflicts_with = "any_origin")]
    pub origins: Vec<Origin>,
    /// An assistant id the key may start. Repeat for each.
    #[arg(long = "assistant", value_parser = args::id, conflicts_with = "any_assistant")]
    pub assistants: Vec<String>,
    /// UNSAFE: let any website use the key. Needs --unrestricted-because.
    #[arg(long, requires = "unrestricted_because")]
    pub any_origin: bool,
    /// UNSAFE: let the key start any of the org's assistants. Needs --unrestricted-because.
    #[arg(long, requires = "unrestricted_because")]
    pub any_assistant: bool,
    /// UNSAFE: let pages run assistants of their own making. Needs --any-assistant and
    /// --unrestricted-because.
    #[arg(long, requires_all = ["unrestricted_because", "any_assistant"])]
    pub allow_transient: bool,
    /// Why this key needs an exception to the safe defaults (at least 10 characters). Only
    /// together with --any-origin, --any-assistant or --allow-transient.
    #[arg(long, requires = "widen")]
    pub unrestricted_because: Option<String>,
    /// Print the new key as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    #[arg(long, value_parser = args::id)]
    pub org: String,
    /// The key being replaced.
    #[arg(long, value_parser = args::id)]
    pub key: String,
    /// Second step: turn the old key off, once the replacement is on the site.
    #[arg(long, requires = "new_key")]
    pub finish: bool,
    /// The replacement made by the first step (printed by it).
    #[arg(long, value_parser = args::id, requires = "finish")]
    pub new_key: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ChangeArgs {
    #[arg(long, value_parser = args::id)]
    pub org: String,
    #[arg(long, value_parser = args::id)]
    pub key: String,
    /// Go ahead even if the client's site may stop working.
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Keys older than this many days are flagged for rotation (default: the rotation age
    /// saved in Settings, 180 days if none was saved).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub max_age_days: Option<u32>,
    /// Print the report as JSON (the exit status still says whether there are findings).
    #[arg(long)]
    pub json: bool,
}

/// What a command prints: the text for standard output, and whether it is an audit with
/// findings (which makes the exit status 3).
#[derive(Debug)]
pub struct Printed {
    pub stdout: String,
    pub findings: usize,
}

pub async fn run(demo: bool, command: KeysCommand) -> Result<(), AppError> {
    let printed = with_agency(demo, |session| async move {
        execute(&session.agency, command).await
    })
    .await?;
    write_stdout(&printed.stdout)?;
    if printed.findings > 0 {
        return Err(AppError::AuditFindings {
            count: printed.findings,
        });
    }
    Ok(())
}

/// Runs one keys command on an open agency. Public so tests can drive several commands
/// against one agency (a CLI process opens and closes its own).
pub async fn execute(agency: &Agency, command: KeysCommand) -> Result<Printed, AppError> {
    let plain = |stdout: String| Printed {
        stdout,
        findings: 0,
    };
    match command {
        KeysCommand::List(args) => {
            let org = agency.get_client(&args.org)?;
            let policy = policy(max_age_days(agency, args.max_age_days)?);
            let keys = if args.offline {
                agency.public_keys(&org.id, &policy)?
            } else {
                agency.refresh_public_keys(&org.id, &policy).await?
            };
            let out = if args.json {
                json(&keys)?
            } else {
                text::key_list(&org, &keys)
            };
            Ok(plain(out))
        }
        KeysCommand::Create(args) => {
            let org = agency.get_client(&args.org)?;
            let restrictions = restrictions_for(&org, &args)?;
            let key = agency
                .create_public_key(&org.id, &args.name, &restrictions, &policy_default())
                .await?;
            let out = if args.json {
                json(&key)?
            } else {
                text::created(&org, &key)
            };
            Ok(plain(out))
        }
        KeysCommand::Rotate(args) => {
            let org = agency.get_client(&args.org)?;
            let old = &args.key;
            match args.new_key.as_deref() {
                Some(new) if args.finish => {
                    let view = agency
                        .finish_key_rotation(&org.id, old, new, &policy_default())
                        .await?;
                    let out = if args.json {
                        json(&view)?
                    } else {
                        text::rotation_finished(&org, &view, new)
                    };
                    Ok(plain(out))
                }
                _ => {
                    let started = agency
                        .start_key_rotation(&org.id, old, &policy_default())
                        .await?;
                    let out = if args.json {
                        json(&started)?
                    } else {
                        text::rotation_started(&org, &started)
                    };
                    Ok(plain(out))
                }
            }
        }
        KeysCommand::Disable(args) => toggle(agency, args, false).await.map(plain),
        KeysCommand::Enable(args) => toggle(agency, args, true).await.map(plain),
        KeysCommand::Delete(args) => {
            let org = agency.get_client(&args.org)?;
            agency
                .delete_public_key(&org.id, &args.key, if_in_use(args.force))
                .await
                .map_err(point_at_force)?;
            let out = if args.json {
                json(&Deleted { deleted: &args.key })?
            } else {
                format!("Deleted key {} of {}.\n", &args.key, org.name)
            };
            Ok(plain(out))
        }
        KeysCommand::Audit(args) => {
            let report = agency
                .audit_keys(&policy(max_age_days(agency, args.max_age_days)?))
                .await?;
            let stdout = if args.json {
                json(&report)?
            } else {
                text::audit(&report)
            };
            Ok(Printed {
                stdout,
                findings: report.findings.len(),
            })
        }
    }
}

async fn toggle(agency: &Agency, args: ChangeArgs, enabled: bool) -> Result<String, AppError> {
    let org = agency.get_client(&args.org)?;
    let view = agency
        .set_public_key_enabled(
            &org.id,
            &args.key,
            enabled,
            if_in_use(args.force),
            &policy_default(),
        )
        .await
        .map_err(point_at_force)?;
    if args.json {
        json(&view)
    } else {
        Ok(text::toggled(&org, &view))
    }
}

/// The create arguments through the safe builder; assistant ids must be the org's own.
fn restrictions_for(org: &ClientOrgView, args: &CreateArgs) -> Result<KeyRestrictions, AppError> {
    for id in &args.assistants {
        args::assistant(org, id)?;
    }
    let mut builder = KeyRestrictions::builder()
        .origins(args.origins.iter().cloned())
        .assistants(args.assistants.iter().cloned());
    if let Some(reason) = &args.unrestricted_because {
        let consent = UnrestrictedOverride::new(reason).map_err(invalid_input)?;
        if args.any_origin {
            builder = builder.allow_any_origin(consent.clone());
        }
        if args.any_assistant {
            builder = builder.allow_any_assistant(consent.clone());
        }
        if args.allow_transient {
            builder = builder.allow_transient_assistants(consent);
        }
    }
    builder.build().map_err(|e| {
        invalid_input(format!(
            "{e} (use --origin and --assistant; widening needs --any-origin or --any-assistant \
             with --unrestricted-because)"
        ))
    })
}

fn if_in_use(force: bool) -> IfInUse {
    if force {
        IfInUse::Proceed
    } else {
        IfInUse::Refuse
    }
}

/// Core's "this may stop the site" refusal, plus how to go ahead from the command line.
fn point_at_force(error: CoreError) -> AppError {
    if KeysError::is_in_use_refusal(&error) {
        invalid_input(format!("{error} Add --force to go ahead anyway."))
    } else {
        AppError::Core(error)
    }
}

/// The flag when given, else the age saved in Settings, so the CLI and the window agree.
fn max_age_days(agency: &Agency, flag: Option<u32>) -> Result<u32, AppError> {
    match flag {
        Some(days) => Ok(days),
        None => Ok(agency.settings()?.key_rotation_max_age_days),
    }
}

fn policy(max_age_days: u32) -> AuditPolicy {
    AuditPolicy {
        max_key_age: chrono::Duration::days(i64::from(max_age_days)),
        ..AuditPolicy::new(chrono::Utc::now())
    }
}

fn policy_default() -> AuditPolicy {
    AuditPolicy::new(chrono::Utc::now())
}

#[derive(Serialize)]
struct Deleted<'a> {
    deleted: &'a str,
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use agencydesk_core::agency::SettingsUpdate;
    use agencydesk_core::keychain::EphemeralKeychain;

    use super::*;

    #[test]
    fn the_age_flag_defaults_to_the_saved_setting() {
        let dir = tempfile::tempdir().unwrap();
        let agency = Agency::open(dir.path(), Arc::new(EphemeralKeychain::new())).unwrap();
        assert_eq!(max_age_days(&agency, None).unwrap(), 180);
        agency
            .update_settings(&SettingsUpdate {
                key_rotation_max_age_days: 45,
            })
            .unwrap();
        assert_eq!(max_age_days(&agency, None).unwrap(), 45);
        assert_eq!(max_age_days(&agency, Some(7)).unwrap(), 7);
    }
}
