//! Shared by the simulator-backed key tests.

use serde_json::Value;
use vapi_sim::Sim;

/// `POST /call/web` as a browser on `origin` would send it; returns the status.
pub async fn web_call(sim: &Sim, bearer: &str, origin: &str, body: Value) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/call/web", sim.url()))
        .bearer_auth(bearer)
        .header("Origin", origin)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}
