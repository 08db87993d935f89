//! The desktop app: builder, state, commands. Nothing at startup may panic: a data folder or
//! keychain problem becomes an error the window shows (see `AppState::status`).

use std::process::ExitCode;

use agencydesk_core::paths::DataDir;
use tauri::{AppHandle, Manager, Runtime};

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
        // First, as its docs require: a second launch hands over to the running window and
        // exits before anything else starts.
        .plugin(single_instance())
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

/// A second launch focuses the running window instead of opening another. On Linux (D-Bus) the
/// name is per data folder, so a second profile (`AGENCYDESK_DATA_DIR`) still opens its own
/// window; elsewhere it is per app. Two processes on one data folder are kept safe anyway by
/// the data folder's locks (core's `store::lock`).
fn single_instance<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    let builder =
        tauri_plugin_single_instance::Builder::new().callback(|app: &AppHandle<R>, _args, _cwd| {
            tracing::info!("a second launch was handed to this window");
            focus_main_window(app);
        });
    #[cfg(target_os = "linux")]
    let builder = match DataDir::from_env() {
        Ok(dir) => builder.dbus_id(format!("com.agencydesk.app.d{}", dir.instance_id())),
        Err(_) => builder,
    };
    #[cfg(not(target_os = "linux"))]
    let _ = DataDir::from_env;
    builder.build()
}

fn focus_main_window<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.webview_windows().into_values().next() else {
        return;
    };
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        tracing::warn!(error = %e, "could not bring the window forward");
    }
}
