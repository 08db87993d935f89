//! `agencydesk calls ...`: what the local call cache holds.

use std::io::Write;

use agencydesk_core::calls::OrgCallStats;
use clap::Subcommand;

use super::sync::open;
use crate::error::AppError;

#[derive(Debug, Subcommand)]
pub enum CallsCommand {
    /// Per org: cached calls, the exact sum of their cost (USD) and the newest update seen.
    Stats {
        /// Only this org (its Vapi org ID). Default: every client org.
        #[arg(long)]
        org: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(demo: bool, command: CallsCommand) -> Result<(), AppError> {
    match command {
        CallsCommand::Stats { org, json } => stats(demo, org.as_deref(), json).await,
    }
}

async fn stats(demo: bool, org: Option<&str>, json: bool) -> Result<(), AppError> {
    let (state, session) = open(demo).await?;
    let found = session.agency.client_calls_stats(org).await;
    drop(session);
    state.close_session().await;
    let found = found?;
    let text = if json {
        let mut text = serde_json::to_string_pretty(&found).map_err(|e| AppError::Output {
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        text
    } else {
        table(&found)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| AppError::Output { source })
}

fn table(stats: &[OrgCallStats]) -> String {
    if stats.is_empty() {
        return "No client orgs linked yet. Link one with: agencydesk clients link\n".to_owned();
    }
    let header = ["CLIENT ORG", "CALLS", "COST (USD)", "NEWEST UPDATE"];
    let rows: Vec<[String; 4]> = stats
        .iter()
        .map(|s| {
            [
                s.org_name.clone(),
                s.calls.to_string(),
                s.cost_sum.clone(),
                s.newest_updated_at
                    .clone()
                    .unwrap_or_else(|| "never synced".to_owned()),
            ]
        })
        .collect();
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(header.map(str::to_owned)).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, width))| match i {
                1 | 2 => format!("{cell:>width$}"),
                _ => format!("{cell:<width$}"),
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_right_aligns_figures() {
        let stats = vec![
            OrgCallStats {
                org_id: "a".into(),
                org_name: "Acme".into(),
                calls: 12,
                cost_sum: "1.500000".into(),
                cost_sum_micros: 1_500_000,
                newest_updated_at: Some("2026-11-01T00:00:00.000Z".into()),
            },
            OrgCallStats {
                org_id: "b".into(),
                org_name: "Bright Smiles".into(),
                calls: 0,
                cost_sum: "0.000000".into(),
                cost_sum_micros: 0,
                newest_updated_at: None,
            },
        ];
        let text = table(&stats);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[1].starts_with("Acme              12    1.500000  2026-11-01"),
            "{text}"
        );
        assert!(lines[2].ends_with("never synced"), "{text}");
    }
}
