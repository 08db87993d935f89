//! Shared server state behind the router and the test handle.

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use uuid::Uuid;

use crate::faults::FaultState;
use crate::time::{self, Millis};
use crate::world::World;

pub struct AppState {
    pub world: RwLock<World>,
    pub faults: Mutex<FaultState>,
    /// Requests seen (CORS preflights excluded).
    pub requests: AtomicU64,
    pub agency_id: Uuid,
    pub account: u32,
    /// [`crate::config::Faults::clock_skew_secs`] in milliseconds, apart from the faults' lock
    /// so that reading the clock never waits on it.
    pub clock_skew_ms: AtomicI64,
    /// Signs the short-lived storage URLs of recordings and call logs (`crate::signed_url`).
    pub url_secret: [u8; 32],
}

impl AppState {
    // A panic while holding a lock is caught by the panic layer; the world
    // is still consistent enough to keep serving, so poisoning is ignored.
    pub fn read(&self) -> RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn write(&self) -> RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn faults(&self) -> MutexGuard<'_, FaultState> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Now, by the simulator's clock (this machine's, shifted by the injected skew).
    pub fn now_ms(&self) -> Millis {
        time::now_ms().saturating_add(self.clock_skew_ms.load(Ordering::Relaxed))
    }

    pub fn set_clock_skew(&self, secs: i64) {
        self.clock_skew_ms
            .store(secs.saturating_mul(1000), Ordering::Relaxed);
    }
}
