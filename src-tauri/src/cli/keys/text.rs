//! The keys commands' plain-text output: what a person reads in a terminal. (`--json` prints
//! core's views unchanged instead.)

use std::fmt::Write as _;

use agencydesk_core::agency::ClientOrgView;
use agencydesk_core::keys::{Finding, Fix, Severity};
use agencydesk_core::public_keys::{KeyAuditReport, PublicKeyView, RotationStart};

/// One key: name and state, what it allows, its warnings, its value (public by design).
fn key_block(out: &mut String, key: &PublicKeyView) {
    let name = key.name.as_deref().unwrap_or("(unnamed)");
    let state = if key.enabled { "on" } else { "off" };
    let created: String = key.created_at.chars().take(10).collect();
    let _ = writeln!(out, "{name}  (key {}, {state}, created {created})", key.id);
    let _ = writeln!(out, "  {}", key.summary.sentence);
    for warning in &key.summary.warnings {
        let _ = writeln!(out, "  ! {warning}");
    }
    if let Some(value) = &key.value {
        let _ = writeln!(out, "  public key: {value}");
    }
}

pub fn key_list(org: &ClientOrgView, keys: &[PublicKeyView]) -> String {
    if keys.is_empty() {
        return format!(
            "{} has no public keys. Create one restricted to the client's website:\n  \
             agencydesk keys create --org {} --name \"Website\" --origin https://example.com \
             --assistant ASSISTANT_ID\n",
            org.name, org.id
        );
    }
    let mut out = format!("Public keys of {} ({}):\n\n", org.name, org.id);
    for key in keys {
        key_block(&mut out, key);
        out.push('\n');
    }
    out
}

pub fn created(org: &ClientOrgView, key: &PublicKeyView) -> String {
    let mut out = format!("Created a public key for {}:\n", org.name);
    key_block(&mut out, key);
    let assistant = first_assistant(key);
    let _ = writeln!(
        out,
        "Put it on the site with:\n  agencydesk snippet --org {} --key {} --assistant {assistant} \
         --kind script-tag",
        org.id, key.id
    );
    out
}

pub fn toggled(org: &ClientOrgView, key: &PublicKeyView) -> String {
    let verb = if key.enabled {
        "Turned on"
    } else {
        "Turned off"
    };
    let mut out = format!("{verb} a key of {}:\n", org.name);
    key_block(&mut out, key);
    out
}

pub fn rotation_started(org: &ClientOrgView, started: &RotationStart) -> String {
    let old = &started.old_key;
    let new = &started.new_key;
    let mut out = format!(
        "Started rotating \"{}\" ({}) for {}. The replacement has the same restrictions:\n",
        old.name.as_deref().unwrap_or("(unnamed)"),
        old.id,
        org.name
    );
    key_block(&mut out, new);
    let kinds: Vec<&str> = started
        .snippets_to_update
        .iter()
        .map(|k| k.as_str())
        .collect();
    let _ = writeln!(
        out,
        "\nBoth keys work now. Snippets that embed the key and must change: {}. Regenerate \
         them with the new key:",
        kinds.join(", ")
    );
    let assistant = first_assistant(new);
    for kind in &kinds {
        let _ = writeln!(
            out,
            "  agencydesk snippet --org {} --key {} --assistant {assistant} --kind {kind}",
            org.id, new.id
        );
    }
    let assistants = new
        .restrictions
        .allowed_assistant_ids
        .as_deref()
        .unwrap_or_default();
    if assistants.len() > 1 {
        let _ = writeln!(
            out,
            "  (once per assistant the site uses: {})",
            assistants.join(", ")
        );
    }
    out.push_str("\nNext:\n");
    for (i, step) in started.next_steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {step}", i + 1);
    }
    let _ = writeln!(
        out,
        "\nWhen the site uses the new key, finish with:\n  agencydesk keys rotate --org {} \
         --key {} --finish --new-key {}",
        org.id, old.id, new.id
    );
    out
}

pub fn rotation_finished(org: &ClientOrgView, old: &PublicKeyView, new_id: &str) -> String {
    let mut out = format!(
        "Rotation finished for {}: key {new_id} is in use and the old key is turned off \
         (not deleted; turn it on again if a page was missed):\n",
        org.name
    );
    key_block(&mut out, old);
    let _ = writeln!(
        out,
        "Delete it after a few quiet days:\n  agencydesk keys delete --org {} --key {}",
        org.id, old.id
    );
    out
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
    }
}

fn finding_block(out: &mut String, f: &Finding) {
    let subject = match (&f.key_id, &f.key_name) {
        (Some(id), Some(name)) => format!("key \"{name}\" ({id})"),
        (Some(id), None) => format!("key {id}"),
        (None, _) => "private key".to_owned(),
    };
    let _ = writeln!(
        out,
        "{:<6}  {} · {subject}",
        severity(f.severity),
        f.org_name
    );
    let _ = writeln!(out, "        {}", f.message);
    let how = match f.fix {
        _ if f.one_click => "one click in the app's Key audit screen",
        Fix::ReconnectPrivateKey => "agencydesk clients link",
        _ => "edit the key in the app's Keys tab",
    };
    let _ = writeln!(out, "        Fix: {} ({how})", f.fix_label);
}

pub fn audit(report: &KeyAuditReport) -> String {
    let mut out = if report.findings.is_empty() {
        format!(
            "Key audit: no findings in {} orgs ({} keys checked).\n",
            report.orgs_checked, report.keys_checked
        )
    } else {
        format!(
            "Key audit: {} findings in {} orgs ({} keys checked), most serious first.\n\n",
            report.findings.len(),
            report.orgs_checked,
            report.keys_checked
        )
    };
    for finding in &report.findings {
        finding_block(&mut out, finding);
    }
    if !report.unchecked.is_empty() {
        out.push_str("\nNot checked live (judged from the last fetch):\n");
        for org in &report.unchecked {
            let _ = writeln!(out, "  {}: {}", org.org_name, org.reason);
        }
    }
    out
}

fn first_assistant(key: &PublicKeyView) -> String {
    key.restrictions
        .allowed_assistant_ids
        .as_deref()
        .and_then(<[String]>::first)
        .cloned()
        .unwrap_or_else(|| "ASSISTANT_ID".to_owned())
}
