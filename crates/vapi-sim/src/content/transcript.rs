//! Regenerates a call's conversation from its seed: the same call always
//! serializes to the same messages and transcript.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::personas::{persona, Persona};
use crate::world::call::{CallRecord, CallShape, CallStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Bot,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Bot => "bot",
            Role::User => "user",
        }
    }

    pub fn transcript_label(self) -> &'static str {
        match self {
            Role::Bot => "AI",
            Role::User => "User",
        }
    }
}

pub struct Turn {
    pub role: Role,
    pub text: String,
    /// Offset from the call's start.
    pub start_ms: u32,
    pub duration_ms: u32,
}

pub struct Conversation {
    pub system_prompt: String,
    pub turns: Vec<Turn>,
    pub summary: String,
    pub success: bool,
}

fn pick(lines: &[&'static str], i: usize) -> &'static str {
    match lines.len() {
        0 => "",
        n => lines[i % n],
    }
}

fn fill(template: &str, business: &str) -> String {
    template.replace("{biz}", business)
}

/// Speaking time for a line: about 15 characters per second.
fn speech_ms(text: &str) -> u32 {
    let chars = u32::try_from(text.len()).unwrap_or(u32::MAX);
    chars.saturating_mul(66).clamp(600, 20_000)
}

pub fn conversation(rec: &CallRecord, business: &str) -> Conversation {
    let p: &Persona = persona(rec.persona);
    let mut rng = ChaCha8Rng::seed_from_u64(rec.seed ^ 0x7a11_c0de);
    let system_prompt = fill(p.system_prompt, business);
    let reason = rec.ended_reason();
    let mut lines: Vec<(Role, String)> = Vec::new();
    if rec.status == CallStatus::Ended && *rec.shape() != CallShape::StartFailed {
        match reason {
            "customer-did-not-answer" | "customer-busy" | "twilio-failed-to-connect-call" => {}
            "voicemail" => lines.push((
                Role::Bot,
                fill(
                    "Hi, this is a message from {biz}. Please call us back at your convenience. Thank you!",
                    business,
                ),
            )),
            _ => {
                lines.push((Role::Bot, fill(p.first_message, business)));
                // About one exchange per 30 seconds of call, walking the
                // script in order from a random starting point.
                let exchanges = (rec.duration_ms / 30_000).clamp(1, 10) as usize;
                let start = rng.random_range(0..p.user.len().max(1));
                for i in 0..exchanges {
                    lines.push((Role::User, pick(p.user, start + i).to_owned()));
                    lines.push((Role::Bot, pick(p.bot, start + i).to_owned()));
                }
                match reason {
                    "silence-timed-out" => {
                        lines.push((Role::Bot, "Are you still there?".to_owned()));
                    }
                    "assistant-forwarded-call" => lines.push((
                        Role::Bot,
                        "Please hold while I transfer you to a member of our team.".to_owned(),
                    )),
                    "pipeline-error-openai-llm-failed" => {}
                    _ => lines.push((Role::Bot, fill(p.closing, business))),
                }
            }
        }
    }
    let count = u32::try_from(lines.len().max(1)).unwrap_or(1);
    let slot = rec.duration_ms / count;
    let turns = lines
        .into_iter()
        .enumerate()
        .map(|(i, (role, text))| {
            let i = u32::try_from(i).unwrap_or(0);
            let duration_ms = speech_ms(&text).min(slot.saturating_sub(200).max(300));
            Turn {
                role,
                start_ms: i * slot + rng.random_range(0..200),
                duration_ms,
                text,
            }
        })
        .collect::<Vec<_>>();
    let success = !turns.is_empty()
        && matches!(
            reason,
            "customer-ended-call"
                | "assistant-ended-call"
                | "assistant-said-end-call-phrase"
                | "assistant-forwarded-call"
        );
    let summary = if turns.is_empty() {
        "The call did not connect.".to_owned()
    } else if reason == "voicemail" {
        fill(
            "Reached voicemail; {biz} left a callback message.",
            business,
        )
    } else {
        fill(p.summary, business)
    };
    Conversation {
        system_prompt,
        turns,
        summary,
        success,
    }
}

/// `AI: ...\nUser: ...` as Vapi formats `transcript`.
pub fn transcript_text(turns: &[Turn]) -> String {
    let mut out = String::new();
    for t in turns {
        out.push_str(t.role.transcript_label());
        out.push_str(": ");
        out.push_str(&t.text);
        out.push('\n');
    }
    out
}
