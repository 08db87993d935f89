//! TEMPORARY: the contract of the commands whose modules do not use `#[ipc::command]` yet
//! (billing, calls and sync, rewritten in parallel). Declared here by hand, with the same names,
//! arguments and results as their functions; each goes away when its function gets the attribute
//! (steps in `commands/list.rs`). Nothing new may be added here.

use ts_rs::{Config, TS};

use super::{result_name, Arg, Command, TypeSet};
use crate::commands::sync_runs::{OrgSyncStatus, SyncStarted};

macro_rules! legacy_commands {
    ($($name:ident($($arg:ident: $ty:ty),* $(,)?) -> $result:ty;)*) => {
        $(
            #[allow(non_camel_case_types)]
            pub struct $name {}

            impl Command for $name {
                const NAME: &'static str = stringify!($name);

                fn args(_cfg: &Config) -> Vec<Arg> {
                    vec![$(Arg::new(stringify!($arg), <$ty as TS>::name(_cfg))),*]
                }

                fn result(cfg: &Config) -> String {
                    result_name::<$result>(cfg)
                }

                fn visit_types(types: &mut TypeSet) {
                    $(types.add::<$ty>();)*
                    types.add::<$result>();
                }
            }
        )*
    };
}

legacy_commands! {
    // commands/sync.rs
    start_sync(org_id: Option<String>) -> SyncStarted;
    cancel_sync(org_id: Option<String>) -> u32;
    sync_status() -> Vec<OrgSyncStatus>;
}
