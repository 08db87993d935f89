//! A sync cancelled in the middle leaves a consistent database (every stored call is exactly
//! the simulator's, and every call newer than the stored cursor is there), and the next sync
//! resumes where it stopped instead of starting over.

mod sync_support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use agencydesk_core::store::time;
use agencydesk_core::sync::{CancellationToken, SyncOutcome, SyncPhase};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelled_sync_resumes_without_loss() {
    let w = sync_support::world(3, 60, 25).await;
    let options = sync_support::options(100);
    let org = w.org_ids()[0].clone();
    let total = w.handle.call_count(&org);
    assert!(total > 1000, "{total}");

    let fired = Arc::new(AtomicBool::new(false));
    let (report, events) = {
        let org = org.clone();
        let fired = Arc::clone(&fired);
        w.sync_with(&options, CancellationToken::new(), move |e, cancel| {
            if e.org_id == org && e.phase == SyncPhase::Backfill && e.calls >= 500 {
                fired.store(true, Ordering::SeqCst);
                cancel.cancel();
            }
        })
        .await
    };
    assert!(fired.load(Ordering::SeqCst));
    let mine = report.orgs.iter().find(|o| o.org_id == org).unwrap();
    assert_eq!(mine.outcome, SyncOutcome::Cancelled, "{report:#?}");
    assert!(report.was_cancelled());
    assert_eq!(
        events
            .iter()
            .rev()
            .find(|e| e.org_id == org)
            .map(|e| e.phase),
        Some(SyncPhase::Cancelled)
    );

    // Consistent: what is stored is exact, and is the newest calls down to the cursor.
    let cursor: String = w
        .store
        .read(|c| {
            Ok::<_, agencydesk_core::store::StoreError>(c.query_row(
                "SELECT pass_cursor FROM sync_state
                 WHERE org_id = ?1 AND pass_started_at IS NOT NULL",
                [&org],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let cached = w.cached_calls(&org);
    let sim = w.sim_calls(&org);
    assert!(
        cached.len() < total,
        "the cancel came too late to test anything"
    );
    for (id, figures) in &cached {
        assert_eq!(Some(figures), sim.get(id), "call {id}");
    }
    for call in w.handle.calls(&org) {
        let created = time::format(time::parse(call["createdAt"].as_str().unwrap()).unwrap());
        if created > cursor {
            assert!(cached.contains_key(call["id"].as_str().unwrap()));
        }
    }

    // Resumed, not restarted: the second run reads about what was left.
    let (report, _) = w.sync(&options).await;
    assert!(report.all_done(), "{report:#?}");
    w.assert_all_equal();
    let mine = report.orgs.iter().find(|o| o.org_id == org).unwrap();
    assert!(mine.backfill);
    let (_dir, fresh) = sync_support::new_store(&w.manifest, &w.sim.url());
    let (from_scratch, _) = w
        .sync_store(&fresh, &options, CancellationToken::new(), |_, _| {})
        .await;
    let full = from_scratch.orgs.iter().find(|o| o.org_id == org).unwrap();
    assert!(
        mine.pages < full.pages,
        "resumed run read {} pages; from scratch takes {}",
        mine.pages,
        full.pages
    );
}
