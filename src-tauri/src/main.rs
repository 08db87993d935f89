//! `agencydesk` opens the desktop app; `agencydesk <subcommand>` runs headless (see `--help`).

use std::process::ExitCode;

use clap::Parser;

use agencydesk::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    agencydesk::logging::init();
    match cli.command {
        Some(command) => cli::run(command, cli.demo),
        None => agencydesk::app::run(agencydesk::app::Launch { demo: cli.demo }),
    }
}
