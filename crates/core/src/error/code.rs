//! The small set of failure kinds the UI branches on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure this is, for the UI to choose what to offer (relink, retry, help...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum Code {
    Unknown,
    /// Something the user typed or pasted is not acceptable; the message says what.
    InvalidInput,
    NotFound,
    /// Vapi refused the key (wrong, revoked, public instead of private) or it is missing:
    /// offer to paste the key again.
    Unauthorized,
    /// No OS keychain is reachable: show the keychain help.
    KeychainUnavailable,
    /// The keychain is there but locked: the owner unlocks it in the desktop and retries; the
    /// org's key is still there, so nothing needs relinking.
    KeychainLocked,
    /// Vapi could not be reached or failed even after retries: offer to retry.
    Network,
    /// Vapi asked to slow down: retry later.
    RateLimited,
    /// The database was written by a newer agencydesk.
    DatabaseTooNew,
    Cancelled,
    /// The action clashes with the current state (e.g. already linked differently).
    Conflict,
}
