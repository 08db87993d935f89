//! Starting and stopping the simulator.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::faults::FaultState;
use crate::handle::SimHandle;
use crate::manifest::{self, Manifest};
use crate::routes;
use crate::seed;
use crate::sim_error::SimError;
use crate::state::AppState;
use crate::time::{now_ms, to_ms};

/// A running simulator.
pub struct Sim {
    url: String,
    state: Arc<AppState>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl Sim {
    /// Generates the world and serves it on `addr` (use `127.0.0.1:0` in tests).
    pub async fn start(config: SimConfig, addr: SocketAddr) -> Result<Sim, SimError> {
        config.validate()?;
        let skew_ms = config.faults.clock_skew_secs.saturating_mul(1000);
        let anchor = config
            .anchor
            .map(to_ms)
            .unwrap_or_else(|| now_ms().saturating_add(skew_ms));
        let faults = config.faults.clone();
        let seeded = tokio::task::spawn_blocking(move || seed::generate(&config, anchor))
            .await
            .map_err(|e| SimError::Generation(e.to_string()))?;
        let state = Arc::new(AppState {
            world: RwLock::new(seeded.world),
            faults: Mutex::new(FaultState::new(faults)),
            requests: AtomicU64::new(0),
            agency_id: seeded.agency_id,
            account: seeded.account,
            clock_skew_ms: AtomicI64::new(skew_ms),
            url_secret: rand::random(),
        });
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| SimError::Bind { addr, source })?;
        let local = listener.local_addr()?;
        let app = routes::router(state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender also means "stop".
                    let _ = rx.await;
                })
                .await
        });
        Ok(Sim {
            url: format!("http://{local}"),
            state,
            shutdown: tx,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    pub fn manifest(&self) -> Manifest {
        manifest::build(&self.state, &self.url)
    }

    pub fn handle(&self) -> SimHandle {
        SimHandle::new(self.state.clone())
    }

    /// Stops accepting connections and waits (at most 5 s) for open ones.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(5), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }

    /// Serves until the server task ends (the binary's main loop).
    pub async fn wait(self) -> Result<(), SimError> {
        // Keep the sender alive so the server is not told to stop.
        let _keep = self.shutdown;
        match self.task.await {
            Ok(r) => r.map_err(SimError::Io),
            Err(e) => Err(SimError::Io(std::io::Error::other(e.to_string()))),
        }
    }
}
