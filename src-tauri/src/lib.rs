//! The agencydesk app crate: the Tauri shell (window, commands) and the headless CLI, both thin
//! layers over `agencydesk-core`. Everything that decides something lives in core or in
//! [`state`], which tests drive without a window.

pub mod about;
pub mod app;
pub mod background_sync;
pub mod background_ticker;
pub mod cli;
pub mod commands;
pub mod demo;
pub mod dialogs;
pub mod error;
pub mod ipc;
pub mod logging;
pub mod notify;
pub mod panic_report;
pub mod state;
pub mod status;
pub mod sync_runs;
pub mod updates;
