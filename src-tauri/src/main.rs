//! `agencydesk` opens the desktop app; `agencydesk <subcommand>` runs headless (see `--help`).

use std::process::ExitCode;

use clap::Parser;

use agencydesk::cli::{self, Cli};

fn main() -> ExitCode {
    agencydesk::panic_report::install();
    let cli = Cli::parse();
    agencydesk::logging::init();
    agencydesk::panic_report::e2e_panic_if_asked();
    match cli.command {
        Some(command) => cli::run(command, cli.demo),
        None => agencydesk::app::run(agencydesk::app::Launch { demo: cli.demo }),
    }
}
