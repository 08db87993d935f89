//! `agencydesk jwt mint`: a short-lived public JWT for trying a website before deploying.
//!
//! Core signs the token with the org's private key, read from the keychain inside core and
//! never handed to this file; only the token (a bearer credential for web calls, made to be
//! handed to a browser) reaches standard output.

use agencydesk_core::agency::Agency;
use agencydesk_core::jwt::{JwtTtl, MintedJwt};
use agencydesk_core::keys::{KeyRestrictions, Origin};
use clap::{Args, Subcommand};

use super::args::{self, invalid_input};
use super::output::{json, write_stdout};
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum JwtCommand {
    /// Print a public JWT that may start the given assistants from the given websites, until it
    /// expires. It cannot be revoked, so keep its lifetime short.
    Mint(MintArgs),
}

#[derive(Debug, Args)]
pub struct MintArgs {
    /// The org whose private key signs the token (see `agencydesk clients list`).
    #[arg(long, value_parser = args::id)]
    pub org: String,
    /// A website that may use the token, e.g. https://acme.com (repeat for several).
    #[arg(long = "origin", required = true, value_parser = args::origin)]
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
    let org_id = args.org;
    let (org_name, minted) = with_agency(demo, |session| async move {
        mint_for(&session.agency, &org_id, &restrictions, args.ttl).await
    })
    .await?;
    let text = if args.json {
        json(&minted)?
    } else {
        eprintln!(
            "Public JWT for {org_name}: valid until {} ({} s).",
            minted.expires_at.to_rfc3339(),
            args.ttl.as_secs()
        );
        format!("{}\n", minted.token)
    };
    write_stdout(&text)
}

/// Core signs the token with the org's private key, which never leaves core.
async fn mint_for(
    agency: &Agency,
    org_id: &str,
    restrictions: &KeyRestrictions,
    ttl: JwtTtl,
) -> Result<(String, MintedJwt), AppError> {
    let org = agency.get_client(org_id)?;
    let minted = agency.mint_test_jwt(&org.id, restrictions, ttl).await?;
    Ok((org.name, minted))
}
