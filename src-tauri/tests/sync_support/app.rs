//! The app's state over a real agency in a temp folder with the simulator's orgs linked, and a
//! sink that collects a run's events: shared by the tests of the window's sync commands.

use std::sync::Arc;
use std::time::Duration;

use agencydesk::state::{AppState, KeychainOpener, Session};
use agencydesk::sync_runs::{EventSink, SyncEvent, SyncFinished};
use agencydesk_core::agency::NoConfirmation;
use agencydesk_core::billing::AlertCheck;
use agencydesk_core::keychain::{EphemeralKeychain, SecretStore};
use agencydesk_core::paths::DataDir;
use agencydesk_core::sensitive::SecretKey;
use tokio::sync::mpsc;
use vapi_sim::Sim;

pub fn shared_keychain() -> KeychainOpener {
    let store: Arc<dyn SecretStore> = Arc::new(EphemeralKeychain::new());
    Arc::new(move || Ok(Arc::clone(&store)))
}

/// A real agency in a temp folder with every simulated org linked.
pub async fn agency(sim: &Sim) -> (tempfile::TempDir, AppState, Arc<Session>) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(Ok(DataDir::at(dir.path())), shared_keychain(), false);
    state.start_real().await.unwrap();
    let session = state.session().await.unwrap();
    for org in sim.manifest().orgs {
        session
            .agency
            .link_client(
                Some(&sim.url()),
                SecretKey::new(org.private_key),
                &NoConfirmation::confirmer(),
            )
            .await
            .unwrap();
    }
    (dir, state, session)
}

pub fn events() -> (EventSink, mpsc::UnboundedReceiver<SyncEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let sink: EventSink = Arc::new(move |e| {
        let _ = tx.send(e);
    });
    (sink, rx)
}

/// Everything a run sent, up to its end.
pub struct RunEvents {
    pub finished: SyncFinished,
    pub progress: Vec<agencydesk_core::sync::SyncProgress>,
    pub spend_alerts: Option<AlertCheck>,
}

/// Waits for the run's end and returns what it sent.
pub async fn run_events(rx: &mut mpsc::UnboundedReceiver<SyncEvent>) -> RunEvents {
    let mut progress = Vec::new();
    let mut spend_alerts = None;
    loop {
        let event = tokio::time::timeout(Duration::from_secs(120), rx.recv())
            .await
            .expect("the run did not finish in time")
            .expect("the event sink was dropped");
        match event {
            SyncEvent::Progress(p) => progress.push(p),
            SyncEvent::SpendAlerts(check) => spend_alerts = Some(check),
            SyncEvent::Finished(finished) => {
                return RunEvents {
                    finished,
                    progress,
                    spend_alerts,
                }
            }
        }
    }
}

/// Waits for the run's end; returns it with the progress events seen before it.
pub async fn finished(
    rx: &mut mpsc::UnboundedReceiver<SyncEvent>,
) -> (SyncFinished, Vec<agencydesk_core::sync::SyncProgress>) {
    let run = run_events(rx).await;
    (run.finished, run.progress)
}
