//! TEMPORARY: the contract of the commands whose modules do not use `#[ipc::command]` yet
//! (billing, calls and sync, rewritten in parallel). Declared here by hand, with the same names,
//! arguments and results as their functions; each goes away when its function gets the attribute
//! (steps in `commands/list.rs`). Nothing new may be added here.

use agencydesk_core::billing::{BillingAudit, Period, PlanIssue};
use agencydesk_core::calls::{CallsPage, CallsQuery, OrgCallStats};
use agencydesk_core::charts::{Bucket, ChartKind};
use ts_rs::{Config, TS};

use super::{result_name, Arg, Command, TypeSet};
use crate::commands::billing::export::{ExportOutcome, ExportRequest};
use crate::commands::billing::overview::AgencyOverview;
use crate::commands::billing::plan_form::{PlanForm, PlanState};
use crate::commands::billing::preview::ClientBilling;
use crate::commands::calls::CallsMonths;
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
    // commands/billing.rs
    get_pricing_plan(client_id: String) -> PlanState;
    check_pricing_plan(form: PlanForm) -> Vec<PlanIssue>;
    save_pricing_plan(client_id: String, form: PlanForm) -> PlanState;
    invoice_preview(client_id: String, period: Period) -> ClientBilling;
    billing_audit(client_id: String, period: Period) -> BillingAudit;
    export_invoice_csv(request: ExportRequest, path: String) -> ExportOutcome;
    export_save_path_override() -> Option<String>;
    client_chart(client_id: String, period: Period, kind: ChartKind, bucket: Bucket) -> String;
    agency_overview(period: Period, spend_alert_usd: Option<String>, chart: ChartKind) -> AgencyOverview;
    // commands/sync.rs
    start_sync(org_id: Option<String>) -> SyncStarted;
    cancel_sync(org_id: Option<String>) -> u32;
    sync_status() -> Vec<OrgSyncStatus>;
    // commands/calls.rs
    list_calls(query: CallsQuery) -> CallsPage;
    count_calls(query: CallsQuery) -> u64;
    calls_stats(org_id: Option<String>) -> Vec<OrgCallStats>;
    calls_months(org_id: String) -> CallsMonths;
}
