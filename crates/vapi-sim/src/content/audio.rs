//! A call's recording as a real WAV file: a tone while each side speaks, silence between
//! turns, exactly as long as the call. 4 kHz 8-bit PCM keeps a 15-minute call under 4 MB
//! (7 MB in stereo) while players still open it as ordinary audio.

use super::transcript::{Role, Turn};

pub const SAMPLE_RATE: u32 = 4_000;
const SILENCE: u8 = 128;

/// Which voices a file holds, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mix {
    /// Both voices in one channel.
    Mono,
    /// Customer on the left, assistant on the right.
    Stereo,
    Only(Role),
}

fn tone_hz(role: Role) -> f64 {
    match role {
        Role::Bot => 440.0,
        Role::User => 294.0,
    }
}

/// The sample (unsigned 8-bit) of `role`'s voice at sample `i`, or silence.
fn voice(turns: &[Turn], role: Role, i: u64) -> u8 {
    let ms = i * 1000 / u64::from(SAMPLE_RATE);
    let speaking = turns.iter().any(|t| {
        t.role == role
            && ms >= u64::from(t.start_ms)
            && ms < u64::from(t.start_ms) + u64::from(t.duration_ms)
    });
    if !speaking {
        return SILENCE;
    }
    let phase = i as f64 * tone_hz(role) / f64::from(SAMPLE_RATE);
    let v = (phase * std::f64::consts::TAU).sin() * 60.0;
    (f64::from(SILENCE) + v).round().clamp(0.0, 255.0) as u8
}

/// The WAV bytes of a call lasting `duration_ms` with these turns.
pub fn wav(turns: &[Turn], duration_ms: u32, mix: Mix) -> Vec<u8> {
    let channels: u16 = if mix == Mix::Stereo { 2 } else { 1 };
    let frames = u64::from(duration_ms) * u64::from(SAMPLE_RATE) / 1000;
    let data_len = u32::try_from(frames * u64::from(channels)).unwrap_or(u32::MAX - 64);
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    out.extend_from_slice(&(SAMPLE_RATE * u32::from(channels)).to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes()); // block align: 1 byte a sample
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        match mix {
            Mix::Only(role) => out.push(voice(turns, role, i)),
            Mix::Stereo => {
                out.push(voice(turns, Role::User, i));
                out.push(voice(turns, Role::Bot, i));
            }
            Mix::Mono => {
                let (a, b) = (voice(turns, Role::User, i), voice(turns, Role::Bot, i));
                out.push(((u16::from(a) + u16::from(b)) / 2) as u8);
            }
        }
    }
    out
}
