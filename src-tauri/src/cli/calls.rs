//! `agencydesk calls ...`: what the local call cache holds.

use agencydesk_core::calls::OrgCallStats;
use clap::Subcommand;

use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
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

async fn stats(demo: bool, org: Option<&str>, as_json: bool) -> Result<(), AppError> {
    let found = with_agency(demo, |session| async move {
        Ok(session.agency.client_calls_stats(org).await?)
    })
    .await?;
    write_stdout(&if as_json {
        json(&found)?
    } else {
        stats_table(&found)
    })
}

fn stats_table(stats: &[OrgCallStats]) -> String {
    if stats.is_empty() {
        return "No client orgs linked yet. Link one with: agencydesk clients link\n".to_owned();
    }
    table(
        ["CLIENT ORG", "CALLS", "COST (USD)", "NEWEST UPDATE"],
        [Align::Left, Align::Right, Align::Right, Align::Left],
        stats.iter().map(|s| {
            [
                s.org_name.clone(),
                s.calls.to_string(),
                s.cost_sum.clone(),
                s.newest_updated_at
                    .clone()
                    .unwrap_or_else(|| "never synced".to_owned()),
            ]
        }),
    )
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
        let text = stats_table(&stats);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[1].starts_with("Acme              12    1.500000  2026-11-01"),
            "{text}"
        );
        assert!(lines[2].ends_with("never synced"), "{text}");
    }
}
