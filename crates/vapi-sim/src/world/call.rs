//! Calls, stored compactly: ids, times, small numbers and a per-call seed.
//! Transcripts, messages and cost items are regenerated from the seed when a
//! call is serialized (see `crate::call_json`), so 200k calls fit in a few dozen MB.

use serde_json::Value;
use uuid::Uuid;

use crate::time::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    InboundPhone,
    OutboundPhone,
    Web,
}

impl CallKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CallKind::InboundPhone => "inboundPhoneCall",
            CallKind::OutboundPhone => "outboundPhoneCall",
            CallKind::Web => "webCall",
        }
    }

    pub fn is_phone(self) -> bool {
        !matches!(self, CallKind::Web)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    Queued,
    Ended,
}

/// Ended reasons the generator uses, all from Vapi's enum.
pub const ENDED_REASONS: &[&str] = &[
    "customer-ended-call",
    "assistant-ended-call",
    "silence-timed-out",
    "voicemail",
    "customer-did-not-answer",
    "customer-busy",
    "assistant-forwarded-call",
    "exceeded-max-duration",
    "assistant-said-end-call-phrase",
    "pipeline-error-openai-llm-failed",
    "twilio-failed-to-connect-call",
    // Only on calls added as failed to start (`SimHandle::add_failed_call`).
    "call.start.error-get-transport",
];

pub fn ended_reason_index(name: &str) -> u8 {
    ENDED_REASONS
        .iter()
        .position(|r| *r == name)
        .and_then(|p| u8::try_from(p).ok())
        .unwrap_or(0)
}

/// Calls of a rarer shape than an assistant's call (added through `SimHandle`).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum CallShape {
    #[default]
    Assistant,
    /// Taken by a squad of these assistants: no `assistantId`, one transcriber, model and voice
    /// cost entry per member.
    Squad { id: Uuid, members: Vec<Uuid> },
    /// Failed before it started: no `startedAt`, cost, messages, analysis or artifact.
    StartFailed,
}

/// What a call carries beyond its compact record: a `POST /call/web` body's fields, its
/// shape when rare, or top-level fields a test injected (`SimHandle::add_call_with_fields`).
#[derive(Debug, Clone, Default)]
pub struct WebCallExtra {
    pub shape: CallShape,
    pub assistant: Option<Value>,
    pub assistant_overrides: Option<Value>,
    pub metadata: Option<Value>,
    pub name: Option<String>,
    /// Set on the call's JSON last, replacing generated fields of the same name.
    pub injected: Option<serde_json::Map<String, Value>>,
}

#[derive(Debug, Clone)]
pub struct CallRecord {
    pub id: Uuid,
    pub created_ms: Millis,
    pub updated_ms: Millis,
    /// From createdAt to startedAt (queueing, ringing).
    pub start_delay_ms: u32,
    pub duration_ms: u32,
    pub kind: CallKind,
    pub status: CallStatus,
    pub ended_reason: u8,
    pub assistant_id: Option<Uuid>,
    /// Conversation script for generated content.
    pub persona: u8,
    /// Index into the org's phone numbers; phone calls only.
    pub phone: Option<u8>,
    /// Customer number as 10 digits (`+1` is prepended).
    pub customer: u64,
    pub seed: u64,
    /// Costs settle after a call ends; until then they are partial.
    pub settled: bool,
    pub web: Option<Box<WebCallExtra>>,
}

impl CallRecord {
    pub fn key(&self) -> (Millis, Uuid) {
        (self.created_ms, self.id)
    }

    pub fn started_ms(&self) -> Millis {
        self.created_ms + Millis::from(self.start_delay_ms)
    }

    pub fn ended_ms(&self) -> Millis {
        self.started_ms() + Millis::from(self.duration_ms)
    }

    pub fn shape(&self) -> &CallShape {
        static PLAIN: CallShape = CallShape::Assistant;
        self.web.as_ref().map_or(&PLAIN, |w| &w.shape)
    }

    pub fn ended_reason(&self) -> &'static str {
        ENDED_REASONS
            .get(usize::from(self.ended_reason))
            .copied()
            .unwrap_or("customer-ended-call")
    }
}

/// `Gt/Lt/Ge/Le` bounds on a timestamp, all optional.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeRange {
    pub gt: Option<Millis>,
    pub lt: Option<Millis>,
    pub ge: Option<Millis>,
    pub le: Option<Millis>,
}

impl TimeRange {
    pub fn contains(&self, t: Millis) -> bool {
        self.gt.is_none_or(|b| t > b)
            && self.lt.is_none_or(|b| t < b)
            && self.ge.is_none_or(|b| t >= b)
            && self.le.is_none_or(|b| t <= b)
    }

    /// The index range of `sorted` (ascending by `time`) inside the bounds.
    pub fn bounds<T>(&self, sorted: &[T], time: impl Fn(&T) -> Millis) -> (usize, usize) {
        let mut lo = 0;
        let mut hi = sorted.len();
        if let Some(b) = self.gt {
            lo = lo.max(sorted.partition_point(|c| time(c) <= b));
        }
        if let Some(b) = self.ge {
            lo = lo.max(sorted.partition_point(|c| time(c) < b));
        }
        if let Some(b) = self.lt {
            hi = hi.min(sorted.partition_point(|c| time(c) < b));
        }
        if let Some(b) = self.le {
            hi = hi.min(sorted.partition_point(|c| time(c) <= b));
        }
        (lo, hi.max(lo))
    }
}

#[derive(Debug, Clone, Default)]
pub struct CallQuery {
    pub id: Option<String>,
    pub assistant_id: Option<String>,
    pub phone_number_id: Option<String>,
    pub limit: usize,
    pub created: TimeRange,
    pub updated: TimeRange,
}

/// Calls matching `q`, newest first (createdAt desc, then id desc).
/// `phone` is the org's index of `q.phone_number_id`, resolved by the caller;
/// `Some(None)` means the filter names a number the org does not have.
pub fn select<'a>(
    calls: &'a [CallRecord],
    q: &CallQuery,
    phone: Option<Option<u8>>,
) -> Vec<&'a CallRecord> {
    if q.limit == 0 || matches!(phone, Some(None)) {
        return Vec::new();
    }
    let id = match q.id.as_deref().map(Uuid::try_parse) {
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return Vec::new(),
        None => None,
    };
    let assistant = match q.assistant_id.as_deref().map(Uuid::try_parse) {
        Some(Ok(a)) => Some(a),
        Some(Err(_)) => return Vec::new(),
        None => None,
    };
    let (lo, hi) = q.created.bounds(calls, |c| c.created_ms);
    calls[lo..hi]
        .iter()
        .rev()
        .filter(|c| id.is_none_or(|id| c.id == id))
        .filter(|c| assistant.is_none_or(|a| c.assistant_id == Some(a)))
        .filter(|c| phone.is_none_or(|p| c.phone == p))
        .filter(|c| q.updated.contains(c.updated_ms))
        .take(q.limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_match_a_linear_filter() {
        let times: Vec<Millis> = vec![1, 2, 2, 2, 5, 7, 7, 9];
        for a in 0..11 {
            for b in 0..11 {
                for r in [
                    TimeRange {
                        gt: Some(a),
                        lt: Some(b),
                        ..Default::default()
                    },
                    TimeRange {
                        ge: Some(a),
                        le: Some(b),
                        ..Default::default()
                    },
                    TimeRange {
                        gt: Some(a),
                        le: Some(b),
                        ..Default::default()
                    },
                    TimeRange {
                        ge: Some(a),
                        ..Default::default()
                    },
                ] {
                    let (lo, hi) = r.bounds(&times, |t| *t);
                    let want: Vec<_> = times.iter().copied().filter(|t| r.contains(*t)).collect();
                    assert_eq!(times[lo..hi].to_vec(), want, "{r:?}");
                }
            }
        }
    }
}
