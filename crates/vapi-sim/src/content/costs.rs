//! A call's costs, derived from its seed, duration and conversation.
//!
//! Amounts are computed in integer micro-dollars and only turned into the
//! USD floats Vapi sends at serialization, so `total` is exactly the sum of
//! the components (up to the float rendering of each).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::transcript::{Conversation, Role};
use crate::world::call::{CallKind, CallRecord, CallShape, CallStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct CostFigures {
    pub minutes: f64,
    pub transport: i64,
    pub stt: i64,
    pub llm: i64,
    pub tts: i64,
    pub vapi: i64,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub cached_prompt_tokens: u64,
    pub tts_characters: u64,
    /// Unsettled calls carry only transport and Vapi's platform fee.
    pub settled: bool,
}

impl CostFigures {
    pub fn total(&self) -> i64 {
        self.transport + self.stt + self.llm + self.tts + self.vapi
    }
}

pub fn usd(micros: i64) -> f64 {
    micros as f64 / 1_000_000.0
}

fn micros(dollars: f64) -> i64 {
    (dollars * 1_000_000.0).round() as i64
}

/// `None` for calls that have not ended (no costs yet) or never started.
pub fn figures(rec: &CallRecord, conv: &Conversation) -> Option<CostFigures> {
    if rec.status != CallStatus::Ended || *rec.shape() == CallShape::StartFailed {
        return None;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(rec.seed ^ 0xc057_5eed);
    let minutes_exact = f64::from(rec.duration_ms) / 60_000.0;
    let minutes = (minutes_exact * 10_000.0).round() / 10_000.0;
    let transport_rate = match rec.kind {
        CallKind::Web => 0.0,
        CallKind::InboundPhone => rng.random_range(0.0085..0.0110),
        CallKind::OutboundPhone => rng.random_range(0.0120..0.0140),
    };
    let system_tokens = 350 + u64::try_from(conv.system_prompt.len() / 4).unwrap_or(0);
    let mut prompt_tokens = 0u64;
    let mut completion_tokens = 0u64;
    let mut tts_characters = 0u64;
    let mut history = 0u64;
    for t in &conv.turns {
        let tokens = u64::try_from(t.text.len() / 4 + 1).unwrap_or(1);
        if t.role == Role::Bot {
            prompt_tokens += system_tokens + history;
            completion_tokens += tokens;
            tts_characters += u64::try_from(t.text.len()).unwrap_or(0);
        }
        history += tokens;
    }
    let cached_prompt_tokens = prompt_tokens * rng.random_range(20..60) / 100;
    // gpt-4o class pricing: $2.50 / M prompt, $10 / M completion, cached half.
    let llm = (prompt_tokens - cached_prompt_tokens) as f64 * 2.5e-6
        + cached_prompt_tokens as f64 * 1.25e-6
        + completion_tokens as f64 * 10e-6;
    Some(
        CostFigures {
            minutes,
            transport: micros(minutes_exact * transport_rate),
            stt: micros(minutes_exact * 0.0100),
            llm: micros(llm),
            tts: micros(tts_characters as f64 * rng.random_range(0.000_025..0.000_035)),
            vapi: micros(minutes_exact * 0.05),
            prompt_tokens,
            completion_tokens,
            cached_prompt_tokens,
            tts_characters,
            settled: true,
        }
        .settled_or_partial(rec.settled),
    )
}

impl CostFigures {
    fn settled_or_partial(self, settled: bool) -> Self {
        if settled {
            return self;
        }
        Self {
            stt: 0,
            llm: 0,
            tts: 0,
            prompt_tokens: 0,
            completion_tokens: 0,
            cached_prompt_tokens: 0,
            tts_characters: 0,
            settled: false,
            ..self
        }
    }
}
