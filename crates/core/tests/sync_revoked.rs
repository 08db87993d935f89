//! An org whose key was revoked fails alone, with an error naming it; the others complete.

mod sync_support;

use agencydesk_core::error::Code;
use agencydesk_core::store::clients::{self, OrgStatus};
use agencydesk_core::store::sync_state;
use agencydesk_core::sync::SyncOutcome;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_key_fails_only_its_org() {
    let w = sync_support::world(3, 30, 20).await;
    let revoked = w.org_ids()[1].clone();
    assert!(w
        .handle
        .revoke_private_key(&revoked, &w.private_key(&revoked)));

    let (report, _) = w.sync(&sync_support::options(1000)).await;
    for org in &report.orgs {
        if org.org_id == revoked {
            assert_eq!(org.outcome, SyncOutcome::Failed);
            let error = org.error.as_ref().unwrap();
            assert_eq!(error.code, Code::Unauthorized);
            assert!(
                error.message.starts_with(&org.org_name),
                "{}",
                error.message
            );
            assert!(error.message.contains("revoked"), "{}", error.message);
            assert_eq!(org.cached_calls, 0);
        } else {
            assert_eq!(org.outcome, SyncOutcome::Done, "{org:#?}");
            w.assert_cache_equals_sim(&org.org_id);
        }
    }
    let (status, last_error) = w
        .store
        .read(|c| {
            let status = clients::get(c, &revoked)?.unwrap().status;
            let state = sync_state::get(c, &revoked)?.unwrap();
            Ok::<_, agencydesk_core::store::StoreError>((status, state.last_error))
        })
        .unwrap();
    assert_eq!(status, OrgStatus::KeyRejected);
    assert!(last_error.unwrap().contains("rejected the API key"));
}
