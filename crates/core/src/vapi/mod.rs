//! A client for the Vapi REST API: typed models, retries with backoff, errors a person can act on.

pub mod analytics;
mod artifacts;
mod base_url;
mod calls_page;
mod client;
mod destination;
mod endpoints;
mod error;
pub mod models;
pub mod money;
pub mod redact;
mod retry;
mod server_clock;
mod subscription;
pub mod success;

pub use artifacts::CallArtifact;
pub use base_url::validate_base_url;
pub use client::{ClientOptions, VapiClient, DEFAULT_BASE_URL};
pub use destination::{parse_trusted_host, HostKind, KeyDestination, VAPI_HOST};
pub use error::VapiError;
pub use models::*;
pub use server_clock::ServerClock;
pub use subscription::Subscription;
