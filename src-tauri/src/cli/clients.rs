//! `agencydesk clients ...`: the same operations as the Clients screen.

use agencydesk_core::agency::{AgencyError, BillingLimits, ClientOrgView};
use agencydesk_core::error::CoreError;
use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use agencydesk_core::vapi::{HostKind, KeyDestination};

use super::args;
use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::error::AppError;

pub async fn list(demo: bool, json_wanted: bool) -> Result<(), AppError> {
    let clients: Vec<ClientOrgView> =
        with_agency(
            demo,
            |session| async move { Ok(session.agency.list_clients()?) },
        )
        .await?
        .into_iter()
        .filter(|c| c.kind == OrgKind::Client)
        .collect();
    write_stdout(&if json_wanted {
        json(&clients)?
    } else {
        clients_table(&clients)
    })
}

pub async fn link(demo: bool, address: &args::VapiAddressArgs) -> Result<(), AppError> {
    // An address that may not receive the key fails before the key is asked for.
    let confirmer = address.confirmer()?;
    let key = args::read_private_key("the client org")?;
    let linked = with_agency(demo, |session| async move {
        Ok(session
            .agency
            .link_client(Some(&address.base_url), key, &confirmer)
            .await?)
    })
    .await?;
    write_stdout(&format!(
        "Linked {} ({}) with key {}: {} assistants, {} public keys.\n",
        linked.name,
        linked.id,
        linked.key_fingerprint.as_deref().unwrap_or("-"),
        linked.assistants.len(),
        linked.public_key_count,
    ))
}

pub async fn create(demo: bool, name: &str) -> Result<(), AppError> {
    let created = with_agency(demo, |session| async move {
        match session.agency.create_client_org(name).await {
            Ok(created) => Ok(created),
            // Core's wording points at the window; on the command line the fix is a command.
            Err(CoreError::Agency(AgencyError::AgencyNotLinked)) => Err(AppError::AgencyNotLinked),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    let base_url_arg = match KeyDestination::parse(&created.base_url) {
        Ok(d) if d.kind() == HostKind::Vapi => String::new(),
        Ok(d) if d.needs_trust() => {
            format!(" --base-url {} --trust-host {}", created.base_url, d.host())
        }
        _ => format!(" --base-url {}", created.base_url),
    };
    write_stdout(&format!(
        "Created the client org {} ({}) in Vapi. It needs its own private API key before \
         agencydesk can use it: open it in the Vapi dashboard, copy its private key, then run\n  \
         agencydesk clients link{base_url_arg}\nand paste the key.\n",
        created.name, created.id,
    ))
}

pub async fn limit(
    demo: bool,
    org_id: &str,
    set: Option<&str>,
    json_wanted: bool,
) -> Result<(), AppError> {
    let limits = with_agency(demo, |session| async move {
        Ok(match set {
            Some(amount) => session.agency.set_billing_limit(org_id, amount).await?,
            None => session.agency.billing_limits(org_id).await?,
        })
    })
    .await?;
    write_stdout(&if json_wanted {
        json(&limits)?
    } else {
        limits_text(&limits, set.is_some())
    })
}

fn limits_text(limits: &BillingLimits, changed: bool) -> String {
    let figure = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
    let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let mut rows = vec![
        (
            "Billing limit",
            limits
                .billing_limit
                .map_or_else(|| "none set".to_owned(), |l| format!("{l} USD a month")),
        ),
        ("Concurrency limit", figure(limits.concurrency_limit)),
        ("Minutes used (all time)", figure(limits.minutes_used)),
    ];
    if let Some(s) = &limits.subscription {
        rows.extend([
            ("Subscription", text(&s.kind)),
            ("Status", text(&s.status)),
            (
                "Credits",
                s.credits
                    .as_ref()
                    .map_or_else(|| "-".to_owned(), |c| format!("{c} USD")),
            ),
            ("Minutes used this month", figure(s.minutes_used)),
            ("Minutes included", figure(s.minutes_included)),
            ("Concurrency included", figure(s.concurrency_limit_included)),
        ]);
    }
    let mut out = format!(
        "{}{} ({})\n",
        if changed { "Billing limit set. " } else { "" },
        limits.org_name,
        limits.org_id
    );
    for (label, value) in rows {
        out.push_str(&format!("  {label:<25}{value}\n"));
    }
    out
}

fn clients_table(clients: &[ClientOrgView]) -> String {
    if clients.is_empty() {
        return "No client orgs linked yet. Link one with: agencydesk clients link\n".to_owned();
    }
    let rows = clients.iter().map(|c| {
        let assistants: Vec<&str> = c
            .assistants
            .iter()
            .map(|a| a.name.as_deref().unwrap_or("(unnamed)"))
            .collect();
        [
            c.name.clone(),
            status_word(c.status).to_owned(),
            c.key_fingerprint.clone().unwrap_or_else(|| "-".to_owned()),
            c.public_key_count.to_string(),
            assistants.join(", "),
        ]
    });
    table(
        ["CLIENT ORG", "STATUS", "KEY", "PUBLIC KEYS", "ASSISTANTS"],
        [Align::Left; 5],
        rows,
    )
}

fn status_word(status: OrgStatus) -> &'static str {
    match status {
        OrgStatus::Linked => "linked",
        OrgStatus::PendingKey => "needs key",
        OrgStatus::KeyRejected => "key rejected",
        OrgStatus::KeyMissing => "key missing",
    }
}
