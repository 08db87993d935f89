//! A call's logs as Vapi stores them: JSON lines, gzipped.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::json;

use super::transcript::Conversation;
use crate::time::{format_ms, Millis};
use crate::world::call::CallRecord;

fn line(out: &mut Vec<u8>, at: Millis, level: &str, message: String) {
    let v = json!({"time": format_ms(at), "level": level, "message": message});
    out.extend_from_slice(v.to_string().as_bytes());
    out.push(b'\n');
}

/// The uncompressed JSON lines of an ended call.
pub fn lines(rec: &CallRecord, conv: &Conversation, started: bool) -> Vec<u8> {
    let mut out = Vec::new();
    line(
        &mut out,
        rec.created_ms,
        "info",
        format!("Call {} queued", rec.id),
    );
    if started {
        let start = rec.started_ms();
        line(&mut out, start, "info", "Call started".into());
        for t in &conv.turns {
            line(
                &mut out,
                start + Millis::from(t.start_ms),
                "info",
                format!("{}: {}", t.role.transcript_label(), t.text),
            );
        }
    }
    let level = if rec.ended_reason().contains("error") || rec.ended_reason().contains("failed") {
        "error"
    } else {
        "info"
    };
    line(
        &mut out,
        rec.ended_ms(),
        level,
        format!("Call ended: {}", rec.ended_reason()),
    );
    out
}

pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
    enc.write_all(bytes)?;
    enc.finish()
}
