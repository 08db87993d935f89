//! Dispute kits: everything about a call a Vapi support ticket needs, in one zip file: the call
//! as cached, its transcript as text, its logs and recording (from the archive when there,
//! else fetched from Vapi with the org's key, which goes nowhere else), and a summary of the
//! discrepancy (billed against real duration, the sum of `costs[]` against `cost`).

mod kit;
mod summary;

pub use kit::{DisputeKit, FlaggedKits};
pub use summary::discrepancy_summary;
