//! Native dialogs the Rust side raises itself, so their answers come from the owner and never
//! from the web page: trusting a host with a key, where an export is written, and which logo
//! file is read.
//!
//! WebDriver cannot click a native dialog. A test build (cargo feature `e2e`, built only by
//! `tests/e2e/run.sh`) answers them without asking: "no" to trusting a host, and the path named
//! by `AGENCYDESK_E2E_SAVE_PATH` for a save, by `AGENCYDESK_E2E_OPEN_PATH` for an open, by
//! `AGENCYDESK_E2E_FOLDER_PATH` for a folder. The shipped app has no such code at all.

mod file_answer;
mod folder_path;
mod open_path;
mod save_path;
mod trust_host;

pub use folder_path::choose_folder;
#[cfg(feature = "e2e")]
pub use folder_path::E2E_FOLDER_PATH_ENV;
#[cfg(feature = "e2e")]
pub use open_path::E2E_OPEN_PATH_ENV;
pub use open_path::{choose_open_path, OpenRequest};
#[cfg(feature = "e2e")]
pub use save_path::E2E_SAVE_PATH_ENV;
pub use save_path::{choose_save_path, SaveRequest};
pub use trust_host::confirmer;
