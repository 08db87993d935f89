//! Tauri commands: one-line wrappers over [`crate::state::AppState`] and core's `Agency`.
//! Each returns `Result<_, AppError>`, which the UI receives as `{ code, message }`.
//! Each is declared with `#[ipc::command]` and listed once, in `list.rs` (see [`crate::ipc`]).

pub mod billing;
pub mod calls;
pub mod clients;
pub mod keys;
pub mod onboarding;
pub mod settings;
pub mod snippets;
pub mod sync;
pub mod sync_runs;

use crate::ipc::command_list;

include!("list.rs");
