//! Tauri commands: one-line wrappers over [`crate::state::AppState`] and core's `Agency`.
//! Each returns `Result<_, AppError>`, which the UI receives as `{ code, message }`.
//! Each is declared with `#[ipc::command]` and listed once, in `list.rs` (see [`crate::ipc`]).

pub mod about;
pub mod alerts;
pub mod backups;
pub mod billing;
pub mod calls;
pub mod clients;
pub mod keys;
pub mod onboarding;
pub mod recordings;
pub mod settings;
pub mod site_check;
pub mod snippets;
pub mod sync;
pub mod updates;

use agencydesk_core::billing::AlertCheck;
use agencydesk_core::sync::SyncProgress;

use crate::background_sync::BackgroundSyncStatus;
use crate::ipc::{command_list, Contract};
use crate::sync_runs::{SyncEventName, SyncFinished};

include!("list.rs");

/// The whole IPC contract: every command, the events the window listens to (with the names the
/// UI spells them by) and the error payload; what `tests/bindings.rs` turns into TypeScript.
pub fn contract() -> Contract {
    let mut contract = Contract::new();
    declare(&mut contract);
    contract.event::<SyncProgress>(SyncEventName::Progress.as_str());
    contract.event::<SyncFinished>(SyncEventName::Finished.as_str());
    contract.event::<AlertCheck>(SyncEventName::SpendAlerts.as_str());
    contract.event::<BackgroundSyncStatus>(SyncEventName::BackgroundSync.as_str());
    contract.types.add::<SyncEventName>();
    contract.sorted()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_results_are_void_and_64_bit_integers_numbers() {
        let contract = contract();
        let find = |name: &str| {
            contract
                .commands
                .iter()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("{name} is in the contract"))
        };
        assert_eq!(find("close_session").result, "void");
        assert_eq!(find("count_calls").result, "number");
        let snippet = find("generate_snippet");
        let ttl = snippet.args.iter().find(|a| a.name == "tokenTtlSecs");
        assert_eq!(ttl.map(|a| a.ts_type.as_str()), Some("number | null"));
    }
}
