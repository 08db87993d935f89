//! The desktop app: builder, state, commands. Nothing at startup may panic: a data folder or
//! keychain problem becomes an error the window shows (see `AppState::status`).

use std::process::ExitCode;

use agencydesk_core::paths::DataDir;
use tauri::{AppHandle, Manager, Runtime};

use crate::background_ticker;
use crate::commands;
use crate::state::AppState;
use crate::updates::{self, feed::UpdateFeed};

/// How the window was asked to open.
#[derive(Debug, Clone, Copy, Default)]
pub struct Launch {
    /// `--demo`: go straight into the demo agency.
    pub demo: bool,
}

pub fn run(launch: Launch) -> ExitCode {
    let mut context = tauri::generate_context!();
    let builder = tauri::Builder::default()
        // First, as its docs require: a second launch hands over to the running window and
        // exits before anything else starts.
        .plugin(single_instance())
        .manage(AppState::from_env(launch.demo))
        // Native dialogs the Rust side opens (`dialogs`): the export's save dialog and the
        // question before a key goes to a new host. The window itself is granted no dialog.
        .plugin(tauri_plugin_dialog::init())
        // Copy buttons (snippets); capabilities grant only `clipboard-manager:allow-write-text`.
        .plugin(tauri_plugin_clipboard_manager::init())
        // Spend alerts: notifications are sent from Rust only; the window is granted none.
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            background_ticker::spawn(app.handle().clone());
            Ok(())
        })
        .invoke_handler(commands::handler());
    // "Check for updates" in Settings → About, from the feed built in (none: never checks).
    let result = updates::register(builder, &mut context, UpdateFeed::built_in()).run(context);
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
