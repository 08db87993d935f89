//! The demo's sample pricing plans are there as soon as the demo starts (seeded once by
//! `demo.rs`), before any sync and before any billing command ran.

use std::sync::Arc;

use agencydesk::state::{AppState, KeychainOpener};
use agencydesk_core::billing::{load_plan, sample_plans, Period};
use agencydesk_core::keychain::KeychainError;
use agencydesk_core::paths::DataDir;
use agencydesk_core::store::clients::{self, OrgKind};
use chrono::{Datelike, Days, Utc};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_client_has_its_sample_plan_right_after_the_start() {
    let tmp = tempfile::tempdir().unwrap();
    let opener: KeychainOpener = Arc::new(|| {
        Err(KeychainError::Unavailable {
            detail: "the demo keeps keys in memory".into(),
        })
    });
    let state = AppState::new(Ok(DataDir::at(tmp.path())), opener, false);
    state.start_demo().await.unwrap();
    let session = state.session().await.unwrap();

    // Straight from the database: nothing but the demo's start has run.
    let store = session.agency.store();
    let client_ids: Vec<String> = store
        .read(clients::list)
        .unwrap()
        .into_iter()
        .filter(|c| c.kind == OrgKind::Client)
        .map(|c| c.id)
        .collect();
    assert_eq!(client_ids.len(), 4);
    let samples = sample_plans();
    let plans: Vec<_> = client_ids
        .iter()
        .map(|id| store.read(|c| load_plan(c, id)).unwrap())
        .collect();
    for (id, plan) in client_ids.iter().zip(&plans) {
        let plan = plan.as_ref().unwrap_or_else(|| panic!("{id} has no plan"));
        assert!(samples.contains(plan), "{id}: {plan:?}");
    }
    assert!(
        samples
            .iter()
            .all(|s| plans.iter().flatten().any(|p| p == s)),
        "one client per pricing style"
    );

    // The Billing tab of a client never synced: its plan, no sync time, no calls.
    let today = Utc::now().date_naive();
    let last_month = Period::month_of(today.with_day(1).unwrap() - Days::new(1)).unwrap();
    let billing = session
        .agency
        .invoice_preview(&client_ids[0], last_month)
        .await
        .unwrap();
    assert_eq!(billing.last_sync_at, None);
    assert_eq!(billing.calls_in_period, 0);
    assert!(
        billing.preview.is_some(),
        "the sample plan prices the period"
    );
    drop(session);
    state.close_session().await;
}
