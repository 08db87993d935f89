//! Call history of one client org: business-hours weighted, fewer calls at
//! weekends, outbound campaign bursts sharing one createdAt, and a few calls
//! that ended just before the anchor whose costs have not settled yet.

use chrono::{Datelike, TimeZone, Utc, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{DAY_MS, HOUR_MS};
use crate::config::SimConfig;
use crate::content::personas::persona;
use crate::ids::uuid_from;
use crate::time::Millis;
use crate::world::call::{ended_reason_index, CallKind, CallRecord, CallStatus};
use crate::world::org::Org;

/// Calls that ended less than this before the anchor start unsettled.
pub const UNSETTLED_WINDOW_MS: Millis = 10 * 60 * 1000;
/// Size of an outbound campaign burst: all share one createdAt.
pub const BURST_SIZE: usize = 150;

/// UTC offsets (hours) of the client businesses, so busy hours differ.
const UTC_OFFSETS: &[i64] = &[-5, -6, -8, 0, 1, -7];

struct CallGen<'a> {
    rng: ChaCha8Rng,
    org: &'a Org,
    anchor: Millis,
}

impl CallGen<'_> {
    /// A Poisson-ish count: exact Knuth sampling for small means, a normal
    /// approximation above.
    fn count(&mut self, mean: f64) -> usize {
        if mean <= 0.0 {
            return 0;
        }
        if mean < 30.0 {
            let l = (-mean).exp();
            let mut k = 0usize;
            let mut p = 1.0;
            loop {
                p *= self.rng.random::<f64>();
                if p <= l {
                    return k;
                }
                k += 1;
            }
        }
        let u1: f64 = self.rng.random_range(f64::EPSILON..1.0);
        let u2: f64 = self.rng.random();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        (mean + z * mean.sqrt()).round().max(0.0) as usize
    }

    /// Local hour of a call: 85% inside business hours, peaking late morning.
    fn local_time_ms(&mut self) -> Millis {
        let hour = if self.rng.random_bool(0.85) {
            let peaks = [8, 9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17];
            peaks[self.rng.random_range(0..peaks.len())]
        } else {
            self.rng.random_range(0..24)
        };
        hour * HOUR_MS + self.rng.random_range(0..HOUR_MS)
    }

    fn assistant(&mut self, outbound: bool) -> Option<(uuid::Uuid, u8)> {
        let list: Vec<_> = self
            .org
            .assistants
            .iter()
            .filter(|a| persona(a.persona).outbound == outbound)
            .collect();
        let list = if list.is_empty() {
            self.org.assistants.iter().collect()
        } else {
            list
        };
        if list.is_empty() {
            return None;
        }
        let a = list[self.rng.random_range(0..list.len())];
        Some((a.id, a.persona))
    }

    fn record(&mut self, created_ms: Millis, kind: CallKind) -> CallRecord {
        let outbound = kind == CallKind::OutboundPhone;
        let (assistant_id, persona_ix) = match self.assistant(outbound) {
            Some((id, p)) => (Some(id), p),
            None => (None, crate::content::personas::GENERIC),
        };
        let roll: f64 = self.rng.random();
        let reason = if outbound {
            match roll {
                r if r < 0.12 => "voicemail",
                r if r < 0.20 => "customer-did-not-answer",
                r if r < 0.23 => "customer-busy",
                r if r < 0.24 => "twilio-failed-to-connect-call",
                r if r < 0.60 => "customer-ended-call",
                r if r < 0.92 => "assistant-ended-call",
                r if r < 0.97 => "silence-timed-out",
                _ => "assistant-said-end-call-phrase",
            }
        } else {
            match roll {
                r if r < 0.50 => "customer-ended-call",
                r if r < 0.75 => "assistant-ended-call",
                r if r < 0.84 => "silence-timed-out",
                r if r < 0.91 => "assistant-forwarded-call",
                r if r < 0.96 => "assistant-said-end-call-phrase",
                r if r < 0.985 => "pipeline-error-openai-llm-failed",
                _ => "exceeded-max-duration",
            }
        };
        let duration_s: f64 = match reason {
            "customer-did-not-answer" | "customer-busy" | "twilio-failed-to-connect-call" => {
                self.rng.random_range(10.0..30.0)
            }
            "voicemail" => self.rng.random_range(15.0..45.0),
            "exceeded-max-duration" => 900.0,
            // Log-uniform 10 s - 15 min: many short calls, a long tail.
            _ => (self.rng.random_range((10f64).ln()..(900f64).ln())).exp(),
        };
        let start_delay_ms = match kind {
            CallKind::InboundPhone => self.rng.random_range(200..1500),
            CallKind::OutboundPhone => self.rng.random_range(2_000..15_000),
            CallKind::Web => self.rng.random_range(500..2_000),
        };
        let phone = (kind.is_phone() && !self.org.phone_numbers.is_empty()).then(|| {
            let n = self.org.phone_numbers.len();
            u8::try_from(self.rng.random_range(0..n)).unwrap_or(0)
        });
        let mut rec = CallRecord {
            id: uuid_from(&mut self.rng),
            created_ms,
            updated_ms: created_ms,
            start_delay_ms,
            duration_ms: (duration_s * 1000.0) as u32,
            kind,
            status: CallStatus::Ended,
            ended_reason: ended_reason_index(reason),
            assistant_id,
            persona: persona_ix,
            phone,
            customer: self.rng.random_range(2_000_000_000..10_000_000_000),
            seed: self.rng.random(),
            settled: true,
            web: None,
        };
        let settle_delay = self.rng.random_range(20_000..240_000);
        rec.updated_ms = (rec.ended_ms() + settle_delay).min(self.anchor);
        rec.settled = rec.ended_ms() < self.anchor - UNSETTLED_WINDOW_MS;
        if !rec.settled {
            rec.updated_ms = (rec.ended_ms() + 1_000).min(self.anchor);
        }
        rec
    }

    fn kind(&mut self, web_share: f64) -> CallKind {
        let outbound_share = if self
            .org
            .assistants
            .iter()
            .any(|a| persona(a.persona).outbound)
        {
            0.3
        } else {
            0.05
        };
        let r: f64 = self.rng.random();
        if r < outbound_share {
            CallKind::OutboundPhone
        } else if r < outbound_share + web_share {
            CallKind::Web
        } else {
            CallKind::InboundPhone
        }
    }
}

pub fn generate(
    org: &Org,
    seed: u64,
    index: usize,
    cfg: &SimConfig,
    anchor: Millis,
) -> Vec<CallRecord> {
    let mut g = CallGen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        org,
        anchor,
    };
    let mut calls = Vec::new();
    if cfg.days == 0 || cfg.calls_per_day == 0 {
        return calls;
    }
    let offset = UTC_OFFSETS[index % UTC_OFFSETS.len()] * HOUR_MS;
    let has_widget = org.tokens.iter().any(|t| t.restrictions.is_some());
    let web_share = if has_widget { 0.2 } else { 0.0 };
    let start = anchor - Millis::from(cfg.days) * DAY_MS;
    // Local midnights from the first day of the window to the anchor's day.
    let mut midnight = (start + offset).div_euclid(DAY_MS) * DAY_MS - offset;
    while midnight < anchor {
        let weekday = Utc
            .timestamp_millis_opt(midnight + offset + 12 * HOUR_MS)
            .single()
            .map(|t| t.weekday());
        let factor = match weekday {
            Some(Weekday::Sat) => 0.45,
            Some(Weekday::Sun) => 0.25,
            _ => 1.22,
        };
        let n = g.count(f64::from(cfg.calls_per_day) * factor);
        for _ in 0..n {
            let created = midnight + g.local_time_ms();
            let kind = g.kind(web_share);
            let rec = g.record(created, kind);
            if rec.created_ms >= start && rec.ended_ms() <= anchor {
                calls.push(rec);
            }
        }
        midnight += DAY_MS;
    }

    // An outbound campaign: many calls created in the same millisecond.
    if index.is_multiple_of(2) && cfg.days >= 2 {
        let day = g.rng.random_range(1..i64::from(cfg.days));
        let created = anchor - day * DAY_MS - g.rng.random_range(2 * HOUR_MS..8 * HOUR_MS);
        for _ in 0..BURST_SIZE {
            let rec = g.record(created, CallKind::OutboundPhone);
            if rec.created_ms >= start && rec.ended_ms() <= anchor {
                calls.push(rec);
            }
        }
    }

    // Calls that just ended: their costs settle later.
    for _ in 0..g.rng.random_range(1..=3) {
        let mut rec = g.record(anchor - HOUR_MS, CallKind::InboundPhone);
        let ended = anchor - g.rng.random_range(5_000..UNSETTLED_WINDOW_MS - 60_000);
        let total = Millis::from(rec.start_delay_ms) + Millis::from(rec.duration_ms);
        rec.created_ms = ended - total;
        rec.settled = false;
        rec.updated_ms = (ended + 1_000).min(anchor);
        calls.push(rec);
    }
    calls
}

/// Calls added at run time (`SimHandle::add_calls`): ended, costs not yet
/// settled, `updatedAt` never later than `now` so updatedAt watermarks hold.
pub fn runtime_calls(org: &Org, seed: u64, created: &[Millis], now: Millis) -> Vec<CallRecord> {
    let mut g = CallGen {
        rng: ChaCha8Rng::seed_from_u64(seed),
        org,
        anchor: now,
    };
    let has_widget = org.tokens.iter().any(|t| t.restrictions.is_some());
    let web_share = if has_widget { 0.2 } else { 0.0 };
    created
        .iter()
        .map(|&c| {
            let kind = g.kind(web_share);
            let mut rec = g.record(c, kind);
            rec.settled = false;
            rec.updated_ms = rec.created_ms.max((rec.ended_ms() + 1_000).min(now));
            rec
        })
        .collect()
}
