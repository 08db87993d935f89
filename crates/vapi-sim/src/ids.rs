//! Deterministic UUIDs: every id and key comes from the world's seeded RNG, so
//! the same seed yields the same orgs, keys and calls.

use rand::RngCore;
use uuid::Uuid;

pub fn uuid_from(rng: &mut impl RngCore) -> Uuid {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}
