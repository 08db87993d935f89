//! What the window's sync and calls commands do, without a window: background runs with their
//! events, status while running, one run per org, cancel, closing the agency mid-sync, and the
//! calls view read back against the simulator. Real HTTP to the simulator, a real SQLite file.

mod sync_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use agencydesk::state::AppState;
use agencydesk::sync_runs::SyncEvent;
use agencydesk_core::calls::{self, months_of, CallsQuery};
use agencydesk_core::paths::DataDir;
use agencydesk_core::sync::{SyncOptions, SyncOutcome, SyncPhase};
use chrono::{Datelike, Months, Utc};
use vapi_sim::Faults;

use sync_support::app::{agency, events, finished, shared_keychain};
use sync_support::{assert_cache_equals_sim, sim_calls, sim_calls_per_assistant, sim_month};

fn options() -> SyncOptions {
    SyncOptions {
        page_size: 200,
        page_retry_delay: Duration::from_millis(50),
        ..SyncOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_background_sync_reports_progress_and_fills_the_calls_view() {
    let sim = sync_support::sim(41, 2, 45, 30, Faults::default()).await;
    let (_dir, state, session) = agency(&sim).await;
    let (sink, mut rx) = events();

    let started = state
        .syncs
        .start(&session.agency, None, options(), sink)
        .await
        .unwrap();
    let run_id = started.run_id.expect("a run started");
    let want: BTreeSet<String> = sim.manifest().orgs.into_iter().map(|o| o.id).collect();
    assert_eq!(
        started.org_ids.iter().cloned().collect::<BTreeSet<_>>(),
        want
    );
    assert!(started.already_running.is_empty());

    let (done, progress) = finished(&mut rx).await;
    assert_eq!(done.run_id, run_id);
    assert!(done.report.all_done(), "{:#?}", done.report);
    assert!(!state.syncs.is_running(&session.agency));
    // Each org: backfill steps with growing counts, then one final "done".
    for org in &want {
        let mine: Vec<_> = progress.iter().filter(|p| &p.org_id == org).collect();
        assert!(
            mine.iter().any(|p| p.phase == SyncPhase::Backfill),
            "{mine:#?}"
        );
        assert_eq!(mine.last().unwrap().phase, SyncPhase::Done);
        let calls: Vec<u64> = mine.iter().map(|p| p.calls).collect();
        assert!(calls.windows(2).all(|w| w[0] <= w[1]), "{calls:?}");
    }

    let store = session.agency.store();
    let statuses = state.syncs.status(&session.agency).unwrap();
    for org in &want {
        assert_cache_equals_sim(store, &sim.handle(), org);
        let status = statuses.iter().find(|s| &s.org_id == org).unwrap();
        assert!(!status.running && status.progress.is_none(), "{status:?}");
        assert!(status.last_sync_at.is_some(), "{status:?}");
        assert!(status.last_error.is_none(), "{status:?}");
    }

    // The calls view pages through exactly the simulator's calls, newest first.
    let org = sim.manifest().orgs[0].id.clone();
    let mut seen = Vec::new();
    let mut query = CallsQuery {
        org_id: org.clone(),
        limit: Some(333),
        ..CallsQuery::default()
    };
    loop {
        let page = store.read(|c| calls::list_calls(c, &query)).unwrap();
        seen.extend(page.rows.into_iter().map(|r| (r.created_at, r.id)));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    let sim_ids: BTreeSet<String> = sim_calls(&sim.handle(), &org).into_keys().collect();
    let seen_ids: BTreeSet<String> = seen.iter().map(|(_, id)| id.clone()).collect();
    assert_eq!(seen.len(), sim_ids.len(), "no call twice");
    assert_eq!(seen_ids, sim_ids);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");

    // Filtering by assistant counts what the simulator has for it.
    for (assistant, n) in sim_calls_per_assistant(&sim.handle(), &org) {
        let q = CallsQuery {
            org_id: org.clone(),
            assistant_id: Some(assistant.clone()),
            ..CallsQuery::default()
        };
        let counted = store.read(|c| calls::count_calls(c, &q)).unwrap();
        assert_eq!(counted, n, "assistant {assistant}");
    }

    // This month and last month, as the overview shows them, equal the simulator's.
    let today = Utc::now().date_naive();
    let months = months_of(store, &org, today).unwrap();
    let before = today.checked_sub_months(Months::new(1)).unwrap();
    let this = sim_month(&sim.handle(), &org, today.year(), today.month());
    let last = sim_month(&sim.handle(), &org, before.year(), before.month());
    assert_eq!(
        (months.this_month.calls, months.this_month.cost_micros),
        this
    );
    assert_eq!(
        (months.last_month.calls, months.last_month.cost_micros),
        last
    );
    assert!(last.0 > 0, "45 days of history reach into last month");
    assert_eq!(
        months.last_month.cost,
        sync_support::usd_text(months.last_month.cost_micros)
    );
    sim.shutdown().await;
}

/// Slow answers, so a run is still going when the test looks at it.
fn slow() -> Faults {
    Faults {
        slow_rate: 1.0,
        slow_ms: 300,
        seed: 3,
        ..Faults::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_syncs_once_at_a_time_and_cancel_stops_it() {
    let sim = sync_support::sim(42, 2, 60, 40, Faults::default()).await;
    let (_dir, state, session) = agency(&sim).await;
    sim.handle().set_faults(slow());
    let org = sim.manifest().orgs[0].id.clone();
    let (sink, mut rx) = events();
    let first = state
        .syncs
        .start(&session.agency, Some(&org), options(), Arc::clone(&sink))
        .await
        .unwrap();
    assert_eq!(first.org_ids, vec![org.clone()]);

    // Asking again for the same org leaves it to the running sync; "all" takes only the others.
    let again = state
        .syncs
        .start(&session.agency, Some(&org), options(), Arc::clone(&sink))
        .await
        .unwrap();
    assert_eq!(again.run_id, None);
    assert_eq!(again.already_running, vec![org.clone()]);
    let all = state
        .syncs
        .start(&session.agency, None, options(), Arc::clone(&sink))
        .await
        .unwrap();
    assert_eq!(all.already_running, vec![org.clone()]);
    assert!(
        !all.org_ids.contains(&org) && all.org_ids.len() == 1,
        "{all:?}"
    );

    // While running, the status carries the latest progress.
    let mut stored_some = false;
    while !stored_some {
        match tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap()
            .unwrap()
        {
            SyncEvent::Progress(p) if p.org_id == org && p.calls > 0 => stored_some = true,
            _ => {}
        }
    }
    let status = state.syncs.status(&session.agency).unwrap();
    let mine = status.iter().find(|s| s.org_id == org).unwrap();
    assert!(mine.running, "{mine:?}");
    assert!(
        mine.progress.as_ref().is_some_and(|p| p.calls > 0),
        "{mine:?}"
    );

    assert_eq!(state.syncs.cancel(&session.agency, Some(&org)), 1);
    let mut outcomes = Vec::new();
    while outcomes.len() < 2 {
        let (done, _) = finished(&mut rx).await;
        outcomes.push(done);
    }
    let cancelled = outcomes
        .iter()
        .find(|f| Some(f.run_id) == first.run_id)
        .unwrap();
    assert_eq!(cancelled.report.orgs[0].outcome, SyncOutcome::Cancelled);
    let other = outcomes
        .iter()
        .find(|f| Some(f.run_id) == all.run_id)
        .unwrap();
    assert!(other.report.all_done(), "the other run was not cancelled");

    // The next sync finishes the cancelled one exactly.
    sim.handle().set_faults(Faults::default());
    state
        .syncs
        .start(&session.agency, Some(&org), options(), sink)
        .await
        .unwrap();
    let (done, _) = finished(&mut rx).await;
    assert!(done.report.all_done(), "{:#?}", done.report);
    assert_cache_equals_sim(session.agency.store(), &sim.handle(), &org);
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_the_agency_cancels_its_sync() {
    let sim = sync_support::sim(43, 2, 60, 40, slow()).await;
    let (_dir, state, session) = agency(&sim).await;
    let (sink, mut rx) = events();
    state
        .syncs
        .start(&session.agency, None, options(), sink)
        .await
        .unwrap();
    // Close once the run is under way (a page stored).
    loop {
        match tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap()
            .unwrap()
        {
            SyncEvent::Progress(p) if p.calls > 0 => break,
            SyncEvent::Progress(_) | SyncEvent::SpendAlerts(_) => {}
            SyncEvent::Finished(f) => panic!("finished before the close: {f:?}"),
        }
    }
    drop(session);
    state.close_session().await;
    let (done, _) = finished(&mut rx).await;
    assert_eq!(done.report.orgs.len(), 2);
    for org in &done.report.orgs {
        assert_eq!(org.outcome, SyncOutcome::Cancelled, "{org:?}");
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_shows_in_the_status_of_its_org_only() {
    let sim = sync_support::sim(44, 2, 10, 20, Faults::default()).await;
    let (_dir, state, session) = agency(&sim).await;
    let manifest = sim.manifest();
    let revoked = &manifest.orgs[0];
    sim.handle()
        .revoke_private_key(&revoked.id, &revoked.private_key);
    let (sink, mut rx) = events();
    state
        .syncs
        .start(&session.agency, None, options(), sink)
        .await
        .unwrap();
    let (done, _) = finished(&mut rx).await;
    let failed: Vec<_> = done.report.failed().map(|o| o.org_id.clone()).collect();
    assert_eq!(failed, vec![revoked.id.clone()]);
    let statuses = state.syncs.status(&session.agency).unwrap();
    for status in statuses.iter().filter(|s| s.org_id != manifest.agency.id) {
        if status.org_id == revoked.id {
            let error = status.last_error.as_deref().unwrap_or_default();
            assert!(error.contains(&revoked.name), "{error}");
            assert!(status.last_sync_at.is_none());
        } else {
            assert!(status.last_error.is_none(), "{status:?}");
            assert!(status.last_sync_at.is_some(), "{status:?}");
        }
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_org_done_early_is_free_while_its_run_goes_on() {
    let sim = sync_support::sim(45, 2, 60, 40, Faults::default()).await;
    let (_dir, state, session) = agency(&sim).await;
    let manifest = sim.manifest();
    // One org fails at once (revoked key); the other takes a while (slow answers).
    let quick = &manifest.orgs[0];
    sim.handle()
        .revoke_private_key(&quick.id, &quick.private_key);
    sim.handle().set_faults(slow());
    let (sink, mut rx) = events();
    let run = state
        .syncs
        .start(&session.agency, None, options(), Arc::clone(&sink))
        .await
        .unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .unwrap()
            .unwrap()
        {
            SyncEvent::Progress(p) if p.org_id == quick.id && p.phase == SyncPhase::Failed => break,
            SyncEvent::Finished(f) => panic!("the run ended first: {f:?}"),
            SyncEvent::Progress(_) | SyncEvent::SpendAlerts(_) => {}
        }
    }
    assert!(
        state.syncs.is_running(&session.agency),
        "the slow org still syncs"
    );
    let statuses = state.syncs.status(&session.agency).unwrap();
    let failed = statuses.iter().find(|s| s.org_id == quick.id).unwrap();
    assert!(!failed.running, "{failed:?}");
    assert_eq!(
        failed.progress.as_ref().map(|p| p.phase),
        Some(SyncPhase::Failed)
    );
    let slow_one = statuses.iter().find(|s| s.org_id != quick.id).unwrap();
    assert!(slow_one.running, "{slow_one:?}");

    // The failed org can be synced again at once (say, after pasting a new key), in a run of
    // its own; cancelling that run leaves the first one alone.
    let again = state
        .syncs
        .start(&session.agency, Some(&quick.id), options(), sink)
        .await
        .unwrap();
    assert!(
        again.run_id.is_some() && again.already_running.is_empty(),
        "{again:?}"
    );
    // 0 if that run already failed (its key is still revoked); never the first run.
    assert!(state.syncs.cancel(&session.agency, Some(&quick.id)) <= 1);
    let (first_done, _) = finished(&mut rx).await;
    let (second_done, _) = finished(&mut rx).await;
    let first = [&first_done, &second_done]
        .into_iter()
        .find(|f| Some(f.run_id) == run.run_id)
        .unwrap();
    let slow_summary = first
        .report
        .orgs
        .iter()
        .find(|o| o.org_id != quick.id)
        .unwrap();
    assert_eq!(slow_summary.outcome, SyncOutcome::Done, "{slow_summary:?}");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_demo_syncs_every_client_org_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(dir.path())), shared_keychain(), false);
    let (sink, mut rx) = events();
    let info = state.start_demo_and_sync(sink).await.unwrap();
    let session = state.session().await.unwrap();
    let sim = session.demo_sim().expect("the demo has a simulator");
    let client_orgs: BTreeSet<String> = session
        .demo_manifest()
        .unwrap()
        .orgs
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(info.agency_name, session.agency_name);
    assert_eq!(client_orgs.len(), agencydesk::demo::CLIENT_ORGS);

    // Started before the command returned, in the registry "Sync now" uses: the window reads it
    // through `sync_status`, and a "Sync now" meanwhile joins it instead of starting another.
    let running: BTreeSet<String> = state
        .syncs
        .status(&session.agency)
        .unwrap()
        .into_iter()
        .filter(|s| s.running)
        .map(|s| s.org_id)
        .collect();
    assert_eq!(
        running, client_orgs,
        "every client org (and only those) syncs"
    );
    let (again, _) = events();
    let joined = state
        .syncs
        .start(&session.agency, None, options(), again)
        .await
        .unwrap();
    assert_eq!(
        joined.run_id, None,
        "no second run while the first is at work"
    );

    let (done, progress) = finished(&mut rx).await;
    let reported: BTreeSet<String> = done.report.orgs.iter().map(|o| o.org_id.clone()).collect();
    assert_eq!(reported, client_orgs);
    assert!(
        done.report
            .orgs
            .iter()
            .all(|o| o.outcome == SyncOutcome::Done),
        "{:?}",
        done.report
    );
    assert!(progress.iter().any(|p| p.phase == SyncPhase::Done));
    for org in &client_orgs {
        assert_cache_equals_sim(session.agency.store(), &sim, org);
    }
    assert!(!state.syncs.is_running(&session.agency));
}

#[tokio::test]
async fn the_cli_demo_does_not_sync_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(dir.path())), shared_keychain(), false);
    state.start_demo().await.unwrap();
    let session = state.session().await.unwrap();
    assert!(!state.syncs.is_running(&session.agency));
    assert!(state
        .syncs
        .status(&session.agency)
        .unwrap()
        .iter()
        .all(|s| s.last_sync_at.is_none() && !s.running));
}
