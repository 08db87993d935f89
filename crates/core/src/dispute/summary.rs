//! `summary.txt` of a dispute kit: the figures a support agent checks first.

use std::fmt::Write;

use crate::calls::{usd_text, CallDetail};

/// What the kit's summary says, from the call as cached.
pub fn discrepancy_summary(d: &CallDetail, recording: &str, logs: &str) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{label:<22}{value}");
    };
    line("Call", d.id.clone());
    line("Vapi org", d.org_id.clone());
    line("Created", d.created_at.clone());
    line(
        "Started",
        d.started_at.clone().unwrap_or_else(|| "-".into()),
    );
    line("Ended", d.ended_at.clone().unwrap_or_else(|| "-".into()));
    line(
        "Ended reason",
        d.ended_reason.clone().unwrap_or_else(|| "-".into()),
    );
    let real_min = d.duration_seconds.map(|s| s / 60.0);
    line(
        "Real duration",
        real_min.map_or_else(
            || "unknown (no start or end time)".into(),
            |m| format!("{m:.2} min ({:.1} s)", m * 60.0),
        ),
    );
    line(
        "Billed minutes",
        d.billed_minutes
            .map_or_else(|| "none".into(), |m| format!("{m:.2} min")),
    );
    if let (Some(real), Some(billed)) = (real_min, d.billed_minutes) {
        line("Billed - real", format!("{:+.2} min", billed - real));
    }
    line(
        "Cost (cost)",
        d.cost
            .clone()
            .map_or_else(|| "none".into(), |c| format!("{c} USD")),
    );
    line(
        "Sum of costs[]",
        d.costs_sum.clone().map_or_else(
            || "none".into(),
            |c| format!("{c} USD ({} entries)", d.costs.len()),
        ),
    );
    let sum: Option<i64> = d
        .costs
        .iter()
        .filter_map(|e| e.cost_micros)
        .try_fold(0i64, i64::checked_add)
        .filter(|_| d.costs.iter().any(|e| e.cost_micros.is_some()));
    if let (Some(cost), Some(sum)) = (d.cost_micros, sum) {
        let diff = cost.saturating_sub(sum);
        line(
            "cost - sum of costs[]",
            if diff == 0 {
                "0 (they agree)".into()
            } else {
                format!("{} USD", usd_text(diff))
            },
        );
    }
    for e in &d.costs {
        line(
            &format!("  costs[] {}", e.kind),
            format!(
                "{}{}{}",
                e.cost
                    .clone()
                    .map_or_else(|| "-".into(), |c| format!("{c} USD")),
                e.provider
                    .as_deref()
                    .map(|p| format!(" · {p}"))
                    .unwrap_or_default(),
                e.minutes.map(|m| format!(" · {m} min")).unwrap_or_default(),
            ),
        );
    }
    line("Recording", recording.to_owned());
    line("Call logs", logs.to_owned());
    out
}
