//! A local Vapi-compatible HTTP simulator.
//!
//! No machine of this project reaches Vapi, so the app's demo, tests and
//! benchmarks run against this simulator. It serves the endpoints described
//! in `shared/vapi-api/` (orgs, tokens, assistants, calls, `POST /call/web`)
//! from a deterministic, seeded world, and refuses what Vapi refuses:
//!
//! - **Auth**: `Authorization: Bearer <key>`; private keys, public keys, and
//!   HS256 JWTs signed with a private key. A bad key, or a public key on any
//!   endpoint but `POST /call/web`, is **401** ("Invalid Key..."). Another
//!   org's object is **404**.
//! - **Public key restrictions** on `POST /call/web` are refused with **403**
//!   and a Vapi-shaped message (the key is valid, the use is not allowed).
//! - **`GET /org`** returns an **array**: the orgs of the caller's account
//!   (the agency's own org and its client orgs).
//! - **Errors** are NestJS-shaped JSON everywhere, including unknown routes
//!   (`404 Cannot GET /x`), bad JSON and validation failures (400 with a
//!   `message` array in class-validator's words).
//!
//! ```no_run
//! # async fn demo() -> Result<(), vapi_sim::SimError> {
//! let sim = vapi_sim::Sim::start(vapi_sim::SimConfig::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! let manifest = sim.manifest();
//! println!("{} serves {} client orgs", sim.url(), manifest.orgs.len());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

mod analytics;
mod auth;
// Renders a call as Vapi sends it: over `world` (the records) and `content` (costs, transcripts).
mod call_json;
mod clock;
pub mod config;
mod content;
mod cors;
pub mod errors;
mod extract;
mod faults;
mod handle;
mod ids;
pub mod jwt;
pub mod manifest;
mod panic_guard;
mod routes;
mod seed;
mod server;
mod signed_url;
mod sim_error;
mod state;
pub mod time;
mod validate;
mod world;

pub use config::{Faults, SimConfig};
pub use faults::InjectedFaults;
pub use handle::SimHandle;
pub use manifest::{AgencyEntry, AssistantEntry, KeyEntry, Manifest, OrgEntry};
pub use seed::{BURST_SIZE, UNSETTLED_WINDOW_MS};
pub use server::Sim;
pub use sim_error::SimError;
