//! What the UI asks first: is an agency open, and should it offer or start something.
//!
//! TypeScript bindings: written with every other type of the IPC contract by
//! `tests/bindings.rs` (see [`crate::ipc`]).

use agencydesk_core::error::ErrorPayload;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SessionMode {
    /// The bundled simulator with made-up clients; keys held in memory only.
    Demo,
    /// The user's own data and Vapi orgs; keys in the OS keychain.
    Real,
}

/// The open agency, as the shell shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SessionInfo {
    pub mode: SessionMode,
    pub agency_name: String,
    /// Where keys are kept, e.g. "Secret Service" or the demo's in-memory store.
    pub keychain: String,
    /// The Vapi address the Connect form starts with: Vapi's own API, or in the demo the local
    /// simulator's.
    pub default_base_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AppStatus {
    /// `null`: nothing open yet, the UI shows the onboarding choice.
    pub session: Option<SessionInfo>,
    /// Started with `--demo`: the UI enters the demo right away (once).
    pub launch_demo: bool,
    /// Why the real agency could not be opened automatically (e.g. no keychain), to show on
    /// the onboarding screen next to the demo offer.
    pub notice: Option<ErrorPayload>,
}
