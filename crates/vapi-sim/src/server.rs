//! Starting and stopping the simulator, and the handle tests use to steer it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::config::{Faults, SimConfig};
use crate::faults::FaultState;
use crate::manifest::{self, Manifest};
use crate::seed;
use crate::sim_error::SimError;
use crate::state::AppState;
use crate::time::{now_ms, to_ms};
use crate::world::call_json::CallSnapshot;
use crate::world::token::Tag;
use crate::{routes, world::call::CallQuery};

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
        let anchor = config.anchor.map(to_ms).unwrap_or_else(now_ms);
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
        SimHandle {
            state: self.state.clone(),
        }
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

/// Test control over a running simulator; cheap to clone.
#[derive(Clone)]
pub struct SimHandle {
    state: Arc<AppState>,
}

fn parse_org(org_id: &str) -> Option<Uuid> {
    Uuid::try_parse(org_id).ok()
}

impl SimHandle {
    /// Replaces the fault configuration; takes effect with the next request.
    /// Rates are clamped to 0-1 and a rate limit of 0 means none.
    pub fn set_faults(&self, faults: Faults) {
        let clamp = |x: f64| if x.is_nan() { 0.0 } else { x.clamp(0.0, 1.0) };
        let faults = Faults {
            fail_rate: clamp(faults.fail_rate),
            slow_rate: clamp(faults.slow_rate),
            truncate_rate: clamp(faults.truncate_rate),
            rate_limit: faults.rate_limit.filter(|r| *r > 0),
            ..faults
        };
        self.state.faults().set(faults);
    }

    pub fn faults(&self) -> Faults {
        self.state.faults().config.clone()
    }

    /// Settles every ended call whose costs are still partial: its cost and
    /// costBreakdown become final and its `updatedAt` moves to now. Returns
    /// how many calls changed.
    pub fn settle_pending_costs(&self) -> usize {
        let mut world = self.state.write();
        let now = now_ms();
        let mut n = 0;
        for org in &mut world.orgs {
            for c in &mut org.calls {
                if !c.settled && c.status == crate::world::call::CallStatus::Ended {
                    c.settled = true;
                    c.updated_ms = now.max(c.updated_ms + 1);
                    n += 1;
                }
            }
        }
        n
    }

    /// Adds `n` ended calls with unsettled costs to an org and returns their
    /// ids. With `created_at`, all share that createdAt (a burst); without,
    /// they are created now, 1 ms apart. Unknown org: nothing is added.
    pub fn add_calls(
        &self,
        org_id: &str,
        n: usize,
        created_at: Option<DateTime<Utc>>,
    ) -> Vec<String> {
        let Some(org_id) = parse_org(org_id) else {
            return Vec::new();
        };
        let mut world = self.state.write();
        let now = now_ms();
        let seed: u64 = world.rng.random();
        let Some(org) = world.org(org_id) else {
            return Vec::new();
        };
        let created: Vec<i64> = match created_at {
            Some(t) => vec![to_ms(t); n],
            None => {
                let base = org.calls.last().map_or(now, |c| now.max(c.created_ms + 1));
                (0..n)
                    .map(|i| base + i64::try_from(i).unwrap_or(0))
                    .collect()
            }
        };
        let calls = seed::runtime_calls(org, seed, &created, now);
        let ids = calls.iter().map(|c| c.id.to_string()).collect();
        world.insert_calls(org_id, calls);
        ids
    }

    /// Deletes a private key of the org; it stops authenticating at once.
    /// Returns whether such a key existed.
    pub fn revoke_private_key(&self, org_id: &str, key: &str) -> bool {
        let Some(org_id) = parse_org(org_id) else {
            return false;
        };
        let mut world = self.state.write();
        let token_id = world.org(org_id).and_then(|o| {
            o.tokens
                .iter()
                .find(|t| t.tag == Tag::Private && t.value == key)
                .map(|t| t.id)
        });
        match token_id {
            Some(t) => world.remove_token(org_id, t).is_some(),
            None => false,
        }
    }

    /// The org's private keys, oldest first (as the dashboard would show).
    pub fn private_keys(&self, org_id: &str) -> Vec<String> {
        let world = self.state.read();
        parse_org(org_id)
            .and_then(|id| world.org(id))
            .map(|o| {
                o.tokens
                    .iter()
                    .filter(|t| t.tag == Tag::Private)
                    .map(|t| t.value.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every call of the org as `GET /call` would return it, newest first.
    pub fn calls(&self, org_id: &str) -> Vec<serde_json::Value> {
        let Some(id) = parse_org(org_id) else {
            return Vec::new();
        };
        let query = CallQuery {
            limit: usize::MAX,
            ..CallQuery::default()
        };
        let snaps: Vec<CallSnapshot> = routes::list_snapshots(&self.state, id, &query);
        snaps
            .iter()
            .filter_map(|s| serde_json::to_value(s).ok())
            .collect()
    }

    pub fn call_count(&self, org_id: &str) -> usize {
        let world = self.state.read();
        parse_org(org_id)
            .and_then(|id| world.org(id))
            .map_or(0, |o| o.calls.len())
    }

    /// Requests served so far, CORS preflights excluded.
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    pub fn total_calls(&self) -> usize {
        self.state.read().total_calls()
    }
}
