//! The desktop app: builder, state, commands. Nothing at startup may panic: a data folder or
//! keychain problem becomes an error the window shows (see `AppState::status`).

use std::process::ExitCode;

use crate::commands;
use crate::state::AppState;

/// How the window was asked to open.
#[derive(Debug, Clone, Copy, Default)]
pub struct Launch {
    /// `--demo`: go straight into the demo agency.
    pub demo: bool,
}

pub fn run(launch: Launch) -> ExitCode {
    let result = tauri::Builder::default()
        .manage(AppState::from_env(launch.demo))
        // Native dialogs the Rust side opens (`dialogs`): the export's save dialog and the
        // question before a key goes to a new host. The window itself is granted no dialog.
        .plugin(tauri_plugin_dialog::init())
        // Copy buttons (snippets); capabilities grant only `clipboard-manager:allow-write-text`.
        .plugin(tauri_plugin_clipboard_manager::init())
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Only reachable before a window exists (no display, WebKit missing): say so plainly.
            eprintln!("agencydesk could not open its window: {err}");
            ExitCode::FAILURE
        }
    }
}
