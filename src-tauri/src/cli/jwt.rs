//! `agencydesk jwt mint`: a short-lived public JWT for trying a website before deploying.
//!
//! The token is signed with the org's private key, which is read from the keychain inside this
//! process and never printed; only the token (a bearer credential for web calls, made to be
//! handed to a browser) reaches standard output.

use agencydesk_core::agency::{AgencyError, ClientOrgView};
use agencydesk_core::error::CoreError;
use agencydesk_core::jwt::{mint_public_jwt, JwtTtl};
use agencydesk_core::keychain::{KeyAccount, KeychainError, OsKeychain, SecretStore};
use agencydesk_core::keys::{normalize_origin, KeyRestrictions, Origin};
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use clap::{Args, Subcommand};

use super::snippet::{invalid_input, open_session, write_stdout};
use crate::error::AppError;
use crate::state::{Session, KEYCHAIN_SERVICE};

#[derive(Debug, Subcommand)]
pub enum JwtCommand {
    /// Print a public JWT that may start the given assistants from the given websites, until it
    /// expires. It cannot be revoked, so keep its lifetime short.
    Mint(MintArgs),
}

#[derive(Debug, Args)]
pub struct MintArgs {
    /// The org whose private key signs the token (see `agencydesk clients list`).
    #[arg(long)]
    pub org: String,
    /// A website that may use the token, e.g. https://acme.com (repeat for several).
    #[arg(long = "origin", required = true, value_parser = parse_origin)]
    pub origins: Vec<Origin>,
    /// An assistant id the token may start (repeat for several).
    #[arg(long = "assistant", required = true)]
    pub assistants: Vec<String>,
    /// How long the token works: 30s to 1h, e.g. 90s, 10m or 1h.
    #[arg(long, default_value = "10m")]
    pub ttl: JwtTtl,
    /// Print the token with its issue and expiry times as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_origin(text: &str) -> Result<Origin, String> {
    // clap shows this message as the reason the argument was refused (exit status 2).
    normalize_origin(text).map_err(|e| e.to_string())
}

pub async fn run(demo: bool, command: JwtCommand) -> Result<(), AppError> {
    match command {
        JwtCommand::Mint(args) => mint(demo, args).await,
    }
}

async fn mint(demo: bool, args: MintArgs) -> Result<(), AppError> {
    let restrictions = KeyRestrictions::builder()
        .origins(args.origins)
        .assistants(args.assistants)
        .build()
        .map_err(invalid_input)?;
    let (state, session) = open_session(demo).await?;
    let org = session.agency.get_client(args.org.trim())?;
    let key = private_key(&session, &org).await?;
    drop(session);
    let minted = mint_public_jwt(&org.id, &key, &restrictions, args.ttl, chrono::Utc::now())
        .map_err(invalid_input)?;
    drop(key);
    let text = if args.json {
        let mut text = serde_json::to_string_pretty(&minted).map_err(|e| AppError::Output {
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        text
    } else {
        eprintln!(
            "Public JWT for {}: valid until {} ({} s).",
            org.name,
            minted.expires_at.to_rfc3339(),
            args.ttl.as_secs()
        );
        format!("{}\n", minted.token)
    };
    write_stdout(&text)?;
    state.close_session().await;
    Ok(())
}

/// The org's private key: from the OS keychain for a real agency, from the simulator's made-up
/// keys for the demo (whose keychain lives only inside the demo session).
async fn private_key(session: &Session, org: &ClientOrgView) -> Result<SecretKey, AppError> {
    if org.status == OrgStatus::PendingKey {
        return Err(AppError::Core(CoreError::Agency(AgencyError::PendingKey {
            name: org.name.clone(),
        })));
    }
    if let Some(manifest) = session.demo_manifest() {
        let value = match org.kind {
            OrgKind::Agency => Some(manifest.agency.private_key),
            OrgKind::Client => manifest
                .orgs
                .into_iter()
                .find(|o| o.id == org.id)
                .map(|o| o.private_key),
        };
        return value.map(SecretKey::new).ok_or_else(|| missing_key(org));
    }
    let account = match org.kind {
        OrgKind::Agency => KeyAccount::AgencyOrg,
        OrgKind::Client => KeyAccount::ClientOrg(org.id.clone()),
    };
    // Platform keychains block (and may wait for the user to unlock them).
    let found = tokio::task::spawn_blocking(move || {
        OsKeychain::new(KEYCHAIN_SERVICE).and_then(|keychain| keychain.get(&account))
    })
    .await
    .map_err(|_| KeychainError::Interrupted)??;
    found.ok_or_else(|| missing_key(org))
}

fn missing_key(org: &ClientOrgView) -> AppError {
    AppError::Core(CoreError::Agency(AgencyError::KeyMissing {
        name: org.name.clone(),
    }))
}
