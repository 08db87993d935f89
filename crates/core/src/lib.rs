//! agencydesk's domain. No Tauri here: the app crate and the CLI are thin layers over this.

pub mod agency;
pub mod atomic_file;
pub mod billing;
pub mod blocking;
pub mod calls;
pub mod charts;
pub mod dispute;
pub mod documents;
pub mod error;
pub mod jwt;
pub mod key_shapes;
pub mod keychain;
pub mod keys;
pub mod office;
pub mod paths;
pub mod public_keys;
pub mod recordings;
pub mod reports;
pub mod sensitive;
pub mod site_scan;
pub mod snippets;
pub mod store;
pub mod sync;
pub mod vapi;
pub mod write_error;
