//! Shared server state behind the router and the test handle.

use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use uuid::Uuid;

use crate::faults::FaultState;
use crate::world::World;

pub struct AppState {
    pub world: RwLock<World>,
    pub faults: Mutex<FaultState>,
    /// Requests seen (CORS preflights excluded).
    pub requests: AtomicU64,
    pub agency_id: Uuid,
    pub account: u32,
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
}
