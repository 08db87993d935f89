//! `agencydesk calls show ID` as a report for a terminal, and `calls search` results.

use std::fmt::Write;

use agencydesk_core::calls::{CallDetail, CallMessage, SearchHit};

use crate::cli::output::{table, Align};

/// Text from a call with terminal control characters (escape sequences a caller could have
/// spoken into a transcript field) replaced, so printing it cannot drive the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

fn or_dash(value: Option<&str>) -> String {
    value.map_or_else(|| "—".to_owned(), printable)
}

/// Seconds as `m:ss` (or `h:mm:ss`).
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

fn who(m: &CallMessage) -> String {
    match m.role.as_str() {
        "assistant" => "Assistant".to_owned(),
        "customer" => "Customer".to_owned(),
        "tool-calls" => "Tool call".to_owned(),
        "tool-result" => format!(
            "Tool result{}",
            m.tool_name
                .as_deref()
                .map_or_else(String::new, |n| format!(" ({})", printable(n)))
        ),
        other => printable(other),
    }
}

pub(super) fn report(d: &CallDetail) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{label:<12}{value}");
    };
    line("Call", d.id.clone());
    line("Client", printable(&d.org_name));
    line("Type", or_dash(d.call_type.as_deref()));
    let taker = match &d.squad {
        Some(squad) => format!(
            "squad {} ({})",
            or_dash(squad.name.as_deref()),
            printable(&squad.members.join(", "))
        ),
        None => or_dash(d.assistant_name.as_deref().or(d.assistant_id.as_deref())),
    };
    line("Taken by", taker);
    if let Some(c) = &d.customer {
        let name = c.name.as_deref().map(printable);
        line(
            "Customer",
            [c.number.as_deref().map(printable), name]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
        );
    }
    line("Created", d.created_at.clone());
    if d.kept_only_here {
        line(
            "Kept",
            format!(
                "only on this computer (Vapi keeps this client's calls {} days)",
                d.retention_days.unwrap_or_default()
            ),
        );
    }
    if d.recording_archived {
        line("Recording", "archived on this computer".to_owned());
    }
    line("Started", or_dash(d.started_at.as_deref()));
    line("Ended", or_dash(d.ended_at.as_deref()));
    let real = d.duration_seconds.map_or_else(|| "—".to_owned(), clock);
    let billed = d
        .billed_minutes
        .map_or_else(|| "none".to_owned(), |m| format!("{m} min"));
    line("Duration", format!("{real} real, {billed} billed"));
    line(
        "Why it ended",
        match (&d.ended_reason_text, &d.ended_reason) {
            (Some(text), Some(code)) => format!("{} ({})", printable(text), printable(code)),
            _ => "—".to_owned(),
        },
    );
    line(
        "Cost",
        d.cost
            .as_ref()
            .map_or_else(|| "none reported".to_owned(), |c| format!("USD {c}")),
    );
    if let Some(sum) = &d.costs_sum {
        if d.cost.as_ref() != Some(sum) {
            line("", format!("the cost entries add up to USD {sum}"));
        }
    }
    line("Summary", or_dash(d.summary.as_deref()));
    line(
        "Success",
        d.success
            .as_ref()
            .map_or_else(|| "—".to_owned(), |s| printable(&s.text)),
    );
    if !d.breakdown.is_empty() {
        out.push_str("\nCost breakdown\n");
        out.push_str(&table(
            ["COMPONENT", "USD"],
            [Align::Left, Align::Right],
            d.breakdown
                .iter()
                .map(|p| [p.label.clone(), p.cost.clone()]),
        ));
    }
    if !d.costs.is_empty() {
        out.push_str("\nCost entries\n");
        let num = |n: Option<u64>| n.map_or_else(String::new, |n| n.to_string());
        out.push_str(&table(
            [
                "ENTRY",
                "PROVIDER",
                "MODEL",
                "MINUTES",
                "TOKENS IN/OUT",
                "CHARACTERS",
                "USD",
            ],
            [
                Align::Left,
                Align::Left,
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            d.costs.iter().map(|e| {
                let tokens = match (e.prompt_tokens, e.completion_tokens) {
                    (None, None) => String::new(),
                    (p, c) => format!("{}/{}", num(p), num(c)),
                };
                [
                    printable(&e.label),
                    e.provider.as_deref().map_or_else(String::new, printable),
                    e.model.as_deref().map_or_else(String::new, printable),
                    e.minutes.map_or_else(String::new, |m| m.to_string()),
                    tokens,
                    num(e.characters),
                    e.cost.clone().unwrap_or_default(),
                ]
            }),
        ));
    }
    let spoken: Vec<&CallMessage> = d.messages.iter().filter(|m| m.role != "system").collect();
    if spoken.is_empty() {
        if let Some(t) = &d.transcript {
            let _ = write!(out, "\nTranscript\n{}\n", printable(t.trim_end()));
        }
    } else {
        out.push_str("\nConversation\n");
        for m in spoken {
            let at = m.seconds_from_start.map_or_else(String::new, clock);
            let mut said = m.text.as_deref().map(printable).unwrap_or_default();
            for call in &m.tool_calls {
                let _ = write!(
                    said,
                    "{}({})",
                    or_dash(call.name.as_deref()),
                    call.arguments.as_deref().map(printable).unwrap_or_default()
                );
            }
            let _ = writeln!(out, "{at:>7}  {}: {said}", who(m));
        }
    }
    out
}

/// Search results: one line per call, its snippet indented below.
pub(super) fn hits(hits: &[SearchHit]) -> String {
    if hits.is_empty() {
        return "No cached call matches. Try fewer words, or sync first: agencydesk sync\n"
            .to_owned();
    }
    let mut out = String::new();
    for h in hits {
        let _ = writeln!(
            out,
            "{}  {}  {}\n    {}",
            h.created_at,
            printable(&h.org_name),
            h.id,
            printable(&h.snippet)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(
            printable("ok\u{1b}[2Jgone\nnext"),
            "ok\u{fffd}[2Jgone\nnext"
        );
        assert_eq!(clock(151.4), "2:31");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}
