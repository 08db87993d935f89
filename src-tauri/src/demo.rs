//! The demo agency: a simulator started in this process, a fresh data folder seeded from it, an
//! in-memory keychain holding the simulator's made-up keys, and a sample pricing plan for each
//! client (so the Billing tab shows plans at work). The first client also gets a squad call and
//! a call that failed before starting, the two shapes the seeded history lacks. Nothing here
//! touches real data.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use agencydesk_core::agency::{Agency, NoConfirmation};
use agencydesk_core::error::CoreError;
use agencydesk_core::keychain::EphemeralKeychain;
use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::store::agency_profile::AgencyMode;
use agencydesk_core::store::lock::{DataLock, LockMode, LockName};
use vapi_sim::{Sim, SimConfig};

use crate::error::AppError;

/// The demo world: same seed, same clients, every time.
pub const SEED: u64 = 7;
pub const CLIENT_ORGS: usize = 4;
pub const HISTORY_DAYS: u32 = 90;

/// Name of the demo folder inside the data folder. It is wiped on each demo start.
const DEMO_DIR: &str = "demo";

/// How long a demo start waits for a closing demo (of this process) to let go of the folder.
const DEMO_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

pub fn sim_config() -> SimConfig {
    SimConfig {
        seed: SEED,
        orgs: CLIENT_ORGS,
        days: HISTORY_DAYS,
        ..SimConfig::default()
    }
}

pub fn demo_dir(data_root: &Path) -> PathBuf {
    data_root.join(DEMO_DIR)
}

/// A running demo: the agency backed by the simulator, which stops when this is dropped.
pub struct Demo {
    pub agency: Agency,
    pub agency_name: String,
    pub sim: Sim,
    /// The demo folder's lock, held while this demo runs: no other demo start (which wipes the
    /// folder) can happen under it, in this process or another.
    pub lock: DataLock,
}

/// Starts the simulator on a free loopback port, recreates `dir` (its data must match the freshly
/// seeded world, not a previous run's), links the agency's org and every client org, and gives
/// each client its sample plan. Refused while another demo runs on the same data folder.
pub async fn start(dir: &Path) -> Result<Demo, AppError> {
    let data_root = dir.parent().unwrap_or(dir).to_path_buf();
    let lock = agencydesk_core::blocking::blocking(move || {
        DataLock::acquire(
            &data_root,
            &LockName::Demo,
            LockMode::Exclusive,
            DEMO_LOCK_WAIT,
            None,
        )
        .map_err(|e| CoreError::from(agencydesk_core::store::StoreError::from(e)))
    })
    .await?;
    let sim = Sim::start(sim_config(), SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .await
        .map_err(|e| AppError::DemoSimulator {
            detail: e.to_string(),
        })?;
    add_rare_calls(&sim);
    // On any failure below, `sim` is dropped, which stops it.
    let agency = seed_agency(dir, &sim).await?;
    let agency_name = sim.manifest().agency.name;
    Ok(Demo {
        agency,
        agency_name,
        sim,
        lock,
    })
}

async fn seed_agency(dir: &Path, sim: &Sim) -> Result<Agency, AppError> {
    recreate_dir(dir)?;
    let manifest = sim.manifest();
    let url = sim.url();
    let agency = Agency::open(dir, Arc::new(EphemeralKeychain::new()))?;
    agency.set_profile(&demo_name(&manifest.agency.name), AgencyMode::Demo)?;
    // The simulator is on this machine: no host to confirm.
    let confirmer = NoConfirmation::confirmer();
    agency
        .link_agency(
            Some(&url),
            SecretKey::new(manifest.agency.private_key.clone()),
            &confirmer,
        )
        .await?;
    for org in &manifest.orgs {
        agency
            .link_client(
                Some(&url),
                SecretKey::new(org.private_key.clone()),
                &confirmer,
            )
            .await?;
    }
    agency.seed_sample_plans().await?;
    Ok(agency)
}

/// The shapes the seeded history has none of, so the call detail can be seen on each: the first
/// client's two newest calls are one taken by a squad and one that failed before it started.
fn add_rare_calls(sim: &Sim) {
    let handle = sim.handle();
    if let Some(org) = sim.manifest().orgs.first() {
        handle.add_squad_call(&org.id);
        handle.add_failed_call(&org.id);
    }
}

/// Agency names are at most 80 characters (core's rule); the simulator's are short.
fn demo_name(name: &str) -> String {
    name.chars().take(80).collect()
}

fn recreate_dir(dir: &Path) -> Result<(), AppError> {
    let failed = |e: std::io::Error| AppError::DemoFolder {
        path: dir.display().to_string(),
        detail: e.to_string(),
    };
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(failed(e)),
    }
    std::fs::create_dir_all(dir).map_err(failed)
}
