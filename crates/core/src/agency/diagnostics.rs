//! "Copy diagnostics": what the owner pastes into a support request. Versions, the platform,
//! where data and keys live, how much is cached and how each org's last sync went, and the last
//! errors. Never a key (every key-shaped value is masked, org ids included), never a transcript
//! or a client's name (orgs are numbered, and their names replaced by the numbers in error
//! texts), so the text can be pasted anywhere.

use std::fmt::Write as _;

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::Agency;
use crate::error::CoreError;
use crate::key_shapes::mask_key_shapes;
use crate::store::StoreError;

/// What only the app knows: its version and build, and the errors it logged.
#[derive(Debug, Clone, Default)]
pub struct AppFacts {
    /// e.g. "agencydesk 0.1.0".
    pub app: String,
    /// "debug" or "release".
    pub build: String,
    /// "live" or "demo".
    pub mode: String,
    /// The last errors, oldest first, as the app logged them.
    pub recent_errors: Vec<String>,
}

/// How much the agency holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AgencyCounts {
    pub clients_linked: u64,
    pub clients_waiting_for_key: u64,
    pub clients_key_rejected: u64,
    pub public_keys: u64,
    pub calls_cached: u64,
    pub pricing_plans: u64,
    pub invoices_issued: u64,
    pub backups: u64,
}

/// One org's last sync, with the org numbered rather than named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SyncHealth {
    pub org: String,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Diagnostics {
    pub counts: AgencyCounts,
    pub syncs: Vec<SyncHealth>,
    /// The whole report as plain text, ready for the clipboard.
    pub text: String,
}

/// How many of the app's last errors a report carries.
pub const RECENT_ERRORS: usize = 20;

impl Agency {
    pub async fn diagnostics(&self, facts: AppFacts) -> Result<Diagnostics, CoreError> {
        let backups = match self.store.data_dir() {
            Some(_) => self.list_backups()?.len() as u64,
            None => 0,
        };
        let (mut counts, (syncs, names)) = self
            .read_blocking(|c| Ok::<_, StoreError>((counts(c)?, syncs(c)?)))
            .await?;
        counts.backups = backups;
        let mut facts = facts;
        for line in &mut facts.recent_errors {
            *line = anonymise(line, &names);
        }
        let text = render(self, &facts, &counts, &syncs);
        Ok(Diagnostics {
            counts,
            syncs,
            text,
        })
    }
}

fn count(c: &Connection, sql: &str) -> Result<u64, StoreError> {
    let n: i64 = c.query_row(sql, [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn counts(c: &Connection) -> Result<AgencyCounts, StoreError> {
    let clients = |status: &str| {
        c.query_row(
            "SELECT count(*) FROM client_orgs WHERE kind = 'client' AND status = ?1",
            [status],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| u64::try_from(n).unwrap_or(0))
    };
    Ok(AgencyCounts {
        clients_linked: clients("linked")?,
        clients_waiting_for_key: clients("pending_key")?,
        clients_key_rejected: clients("key_rejected")?,
        public_keys: count(c, "SELECT count(*) FROM tokens WHERE tag = 'public'")?,
        calls_cached: count(c, "SELECT count(*) FROM calls")?,
        pricing_plans: count(c, "SELECT count(*) FROM pricing_plans")?,
        invoices_issued: count(c, "SELECT count(*) FROM invoices WHERE status = 'issued'")?,
        backups: 0,
    })
}

/// Each org's name with the label that replaces it, longest name first (so a name containing
/// another is replaced whole).
type Names = Vec<(String, String)>;

/// Every key-shaped value masked and every org's name replaced by its label.
fn anonymise(text: &str, names: &Names) -> String {
    let mut out = mask_key_shapes(text);
    for (name, label) in names {
        if !name.trim().is_empty() {
            out = out.replace(name.as_str(), label);
        }
    }
    out
}

fn syncs(c: &Connection) -> Result<(Vec<SyncHealth>, Names), StoreError> {
    let mut stmt = c.prepare(
        "SELECT o.kind, s.last_sync_at, s.last_error, o.name FROM client_orgs o
         LEFT JOIN sync_state s ON s.org_id = o.id
         ORDER BY o.kind, o.linked_at, o.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut found = Vec::new();
    let mut names = Vec::new();
    let mut n = 0;
    for row in rows {
        let (kind, last_sync_at, last_error, name) = row?;
        let org = if kind == "agency" {
            "agency org".to_owned()
        } else {
            n += 1;
            format!("client {n}")
        };
        names.push((name, org.clone()));
        found.push((org, last_sync_at, last_error));
    }
    names.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    let syncs = found
        .into_iter()
        .map(|(org, last_sync_at, last_error)| SyncHealth {
            org,
            last_sync_at,
            last_error: last_error.map(|e| anonymise(&e, &names)),
        })
        .collect();
    Ok((syncs, names))
}

fn render(
    agency: &Agency,
    facts: &AppFacts,
    counts: &AgencyCounts,
    syncs: &[SyncHealth],
) -> String {
    let mut t = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        t,
        "{} ({} build), {} mode",
        facts.app, facts.build, facts.mode
    );
    let _ = writeln!(
        t,
        "platform: {} {} ({})",
        std::env::consts::OS,
        std::env::consts::ARCH,
        os_release().unwrap_or_else(|| "release unknown".to_owned())
    );
    let _ = writeln!(t, "SQLite {}", crate::store::sqlite_version());
    let _ = writeln!(
        t,
        "data folder: {}",
        agency
            .store
            .data_dir()
            .map_or_else(|| "in memory".to_owned(), |d| d.display().to_string())
    );
    let _ = writeln!(t, "keychain: {}", agency.keychain_description());
    let c = counts;
    let _ = writeln!(
        t,
        "clients: {} linked, {} waiting for a key, {} key rejected; public keys: {}",
        c.clients_linked, c.clients_waiting_for_key, c.clients_key_rejected, c.public_keys
    );
    let _ = writeln!(
        t,
        "calls cached: {}; pricing plans: {}; invoices issued: {}; backups: {}",
        c.calls_cached, c.pricing_plans, c.invoices_issued, c.backups
    );
    let _ = writeln!(t, "last syncs:");
    if syncs.is_empty() {
        let _ = writeln!(t, "  (no org linked)");
    }
    for s in syncs {
        let _ = writeln!(
            t,
            "  {}: {}{}",
            s.org,
            s.last_sync_at.as_deref().unwrap_or("never synced"),
            s.last_error
                .as_deref()
                .map(|e| format!(", last error: {e}"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(t, "recent errors (oldest first):");
    let recent = facts.recent_errors.iter().rev().take(RECENT_ERRORS).rev();
    let mut any = false;
    for e in recent {
        any = true;
        let _ = writeln!(t, "  {}", e.trim_end());
    }
    if !any {
        let _ = writeln!(t, "  (none since the app started)");
    }
    t
}

/// The distribution's name on Linux (`PRETTY_NAME` in os-release); `None` elsewhere.
fn os_release() -> Option<String> {
    let text = std::fs::read_to_string("/etc/os-release").ok()?;
    text.lines().find_map(|l| {
        l.strip_prefix("PRETTY_NAME=")
            .map(|v| v.trim_matches('"').to_owned())
    })
}
