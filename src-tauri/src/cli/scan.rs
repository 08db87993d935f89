//! `agencydesk scan --url URL [--org ID] [--json]`: looks for Vapi keys in a site's page and the
//! same-site scripts it loads. Exit 3 on a critical or high finding (a private key, a public key
//! any site may use), 0 otherwise; keys are shown only as fingerprints. `--org` alone scans the
//! client's site URLs; with `--org` the result becomes the client's last site check.

use agencydesk_core::site_scan::{check_site_url, ExposedKind, ExposureSeverity, SiteScanReport};
use clap::{ArgGroup, Args};
use serde::Serialize;

use super::args::{id, invalid_input};
use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).multiple(true).args(["url", "org"])))]
pub struct ScanArgs {
    /// A page of the site (http or https); its scripts on the same site are read too.
    #[arg(long, value_parser = site_url)]
    pub url: Option<String>,
    /// The client org: without --url its site URLs are scanned; the result is kept as its last
    /// site check (shown in the app and the key audit).
    #[arg(long, value_parser = id)]
    pub org: Option<String>,
    /// Print JSON instead of text: an array of {key, kind, severity, orgId, url}.
    #[arg(long)]
    pub json: bool,
}

/// One finding in the JSON output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'r> {
    key: &'r str,
    kind: ExposedKind,
    severity: ExposureSeverity,
    org_id: Option<&'r str>,
    url: &'r str,
}

fn site_url(text: &str) -> Result<String, String> {
    check_site_url(text)
        .map(|u| u.to_string())
        .map_err(|e| e.to_string())
}

pub async fn run(demo: bool, args: ScanArgs) -> Result<(), AppError> {
    let json_wanted = args.json;
    let report = with_agency(demo, |session| async move {
        Ok(match (&args.url, &args.org) {
            (Some(url), org) => session.agency.scan_site(url, org.as_deref()).await?,
            (None, Some(org)) => session.agency.scan_client_sites(org).await?,
            // clap's group already requires one of them.
            (None, None) => return Err(invalid_input("Give --url URL or --org ID.")),
        })
    })
    .await?;
    for r in report.resources.iter().filter(|r| r.note.is_some()) {
        eprintln!("{}: {}", r.url, r.note.as_deref().unwrap_or_default());
    }
    for note in &report.notes {
        eprintln!("{note}");
    }
    if !report.resources.iter().any(|r| r.scanned) {
        return Err(AppError::SiteUnreachable {
            sites: report.sites.join(", "),
        });
    }
    write_stdout(&if json_wanted {
        json(&json_findings(&report))?
    } else {
        text(&report)
    })?;
    if report.needs_action() {
        let count = report
            .findings
            .iter()
            .filter(|f| {
                matches!(
                    f.severity,
                    ExposureSeverity::Critical | ExposureSeverity::High
                )
            })
            .count();
        return Err(AppError::ExposedKeys { count });
    }
    Ok(())
}

fn json_findings(report: &SiteScanReport) -> Vec<JsonFinding<'_>> {
    report
        .findings
        .iter()
        .map(|f| JsonFinding {
            key: &f.key,
            kind: f.kind,
            severity: f.severity,
            org_id: f.org_id.as_deref(),
            url: &f.url,
        })
        .collect()
}

fn text(report: &SiteScanReport) -> String {
    let read = report.resources.iter().filter(|r| r.scanned).count();
    if report.findings.is_empty() {
        return format!("No Vapi key found in {read} page(s) and script(s).\n");
    }
    let rows = report.findings.iter().map(|f| {
        [
            f.severity.as_str().to_owned(),
            f.kind.as_str().to_owned(),
            f.key.clone(),
            f.org_name.clone().unwrap_or_else(|| "-".to_owned()),
            f.url.clone(),
        ]
    });
    let mut out = table(
        ["SEVERITY", "KIND", "KEY", "ORG", "FOUND IN"],
        [Align::Left; 5],
        rows,
    );
    out.push('\n');
    for f in &report.findings {
        out.push_str(&format!(
            "{} {}: {}\n",
            f.key,
            f.severity.as_str(),
            f.message
        ));
    }
    out
}
