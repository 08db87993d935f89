//! agencydesk's domain. No Tauri here: the app crate and the CLI are thin layers over this.

pub mod agency;
pub mod error;
pub mod keychain;
pub mod paths;
pub mod sensitive;
pub mod store;
pub mod vapi;
pub mod keys;
pub mod billing;
pub mod charts;
pub mod jwt;
pub mod snippets;
pub mod sync;
pub mod calls;
