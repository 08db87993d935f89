//! The handle tests use to steer a running simulator.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use crate::call_json::CallSnapshot;
use crate::config::Faults;
use crate::faults::InjectedFaults;
use crate::routes;
use crate::seed;
use crate::state::AppState;
use crate::time::to_ms;
use crate::world::call::{ended_reason_index, CallQuery, CallRecord, CallShape, CallStatus};
use crate::world::org::Org;
use crate::world::token::Tag;

/// Test control over a running simulator; cheap to clone.
#[derive(Clone)]
pub struct SimHandle {
    state: Arc<AppState>,
}

fn parse_org(org_id: &str) -> Option<Uuid> {
    Uuid::try_parse(org_id).ok()
}

impl SimHandle {
    pub(crate) fn new(state: Arc<AppState>) -> Self {
        Self { state }
    }

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
        self.state.set_clock_skew(faults.clock_skew_secs);
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
        let now = self.state.now_ms();
        let mut n = 0;
        for org in &mut world.orgs {
            for c in &mut org.calls {
                if !c.settled && c.status == CallStatus::Ended {
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
        let now = self.state.now_ms();
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

    /// Adds one ended call, created now, whose JSON carries `fields` at its top level (replacing
    /// generated fields of the same name): how a test serves what the simulator does not
    /// generate, such as an inline transient assistant, squad or phone number holding provider
    /// keys and webhook secrets. Returns its id; `None` for an unknown org.
    pub fn add_call_with_fields(
        &self,
        org_id: &str,
        fields: serde_json::Map<String, serde_json::Value>,
    ) -> Option<String> {
        let org_uuid = parse_org(org_id)?;
        let mut world = self.state.write();
        let now = self.state.now_ms();
        let seed: u64 = world.rng.random();
        let org = world.org(org_uuid)?;
        let created = org.calls.last().map_or(now, |c| now.max(c.created_ms + 1));
        let mut calls = seed::runtime_calls(org, seed, &[created], now);
        for call in &mut calls {
            let extra = call.web.get_or_insert_with(Box::default);
            extra.injected = Some(fields.clone());
        }
        let id = calls.first().map(|c| c.id.to_string());
        world.insert_calls(org_uuid, calls);
        id
    }

    /// Adds one ended call, created now, taken by a squad of the org's assistants (up to three;
    /// at least one must exist): no `assistantId`, a `squadId` and `squad`, and settled costs
    /// with one transcriber, model and voice entry per member. Returns its id.
    pub fn add_squad_call(&self, org_id: &str) -> Option<String> {
        self.add_shaped_call(org_id, |org, rec, rng| {
            let members: Vec<Uuid> = org.assistants.iter().take(3).map(|a| a.id).collect();
            if members.is_empty() {
                return None;
            }
            rec.assistant_id = None;
            rec.settled = true;
            Some(CallShape::Squad {
                id: crate::ids::uuid_from(rng),
                members,
            })
        })
    }

    /// Adds one call, created now, that failed before it started
    /// (`call.start.error-get-transport`): ended, but no `startedAt`, cost, messages, analysis,
    /// and an explicit `"artifact": null`. Returns its id.
    pub fn add_failed_call(&self, org_id: &str) -> Option<String> {
        self.add_shaped_call(org_id, |_, rec, _| {
            rec.ended_reason = ended_reason_index("call.start.error-get-transport");
            rec.start_delay_ms = 0;
            rec.duration_ms = 0;
            rec.updated_ms = rec.created_ms;
            Some(CallShape::StartFailed)
        })
    }

    fn add_shaped_call(
        &self,
        org_id: &str,
        shape: impl FnOnce(&Org, &mut CallRecord, &mut ChaCha8Rng) -> Option<CallShape>,
    ) -> Option<String> {
        let org_uuid = parse_org(org_id)?;
        let mut world = self.state.write();
        let now = self.state.now_ms();
        let seed: u64 = world.rng.random();
        let org = world.org(org_uuid)?;
        let created = org.calls.last().map_or(now, |c| now.max(c.created_ms + 1));
        let mut call = seed::runtime_calls(org, seed, &[created], now).pop()?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5b0a_d5ee_d000);
        let shape = shape(org, &mut call, &mut rng)?;
        call.web.get_or_insert_with(Box::default).shape = shape;
        let id = call.id.to_string();
        world.insert_calls(org_uuid, vec![call]);
        Some(id)
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

    /// Faults injected since they were last set.
    pub fn injected_faults(&self) -> InjectedFaults {
        self.state.faults().injected()
    }

    pub fn total_calls(&self) -> usize {
        self.state.read().total_calls()
    }
}
