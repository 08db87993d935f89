//! `agencydesk clients ...`: the same operations as the Clients screen.

use std::io::Write;

use agencydesk_core::agency::{AgencyError, ClientOrgView};
use agencydesk_core::error::CoreError;
use agencydesk_core::store::clients::{OrgKind, OrgStatus};
use agencydesk_core::vapi::DEFAULT_BASE_URL;

use super::secret_input;
use crate::error::AppError;
use crate::state::{AppState, Session};

/// Opens the agency the CLI works on: the demo (fresh, in this process) or the real one.
pub(super) async fn open(demo: bool) -> Result<(AppState, std::sync::Arc<Session>), AppError> {
    let state = AppState::from_env(false);
    if demo {
        state.start_demo().await?;
    } else {
        state.start_real().await?;
    }
    let session = state.session().await?;
    Ok((state, session))
}

pub async fn list(demo: bool, json: bool) -> Result<(), AppError> {
    let (state, session) = open(demo).await?;
    let clients: Vec<ClientOrgView> = session
        .agency
        .list_clients()?
        .into_iter()
        .filter(|c| c.kind == OrgKind::Client)
        .collect();
    drop(session);
    let text = if json {
        let mut text = serde_json::to_string_pretty(&clients).map_err(|e| AppError::Output {
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        text
    } else {
        table(&clients)
    };
    write_stdout(&text)?;
    state.close_session().await;
    Ok(())
}

pub async fn link(demo: bool, base_url: &str) -> Result<(), AppError> {
    let key = secret_input::read_private_key("the client org")?;
    let (state, session) = open(demo).await?;
    let linked = session.agency.link_client(Some(base_url), key).await?;
    drop(session);
    write_stdout(&format!(
        "Linked {} ({}) with key {}: {} assistants, {} public keys.\n",
        linked.name,
        linked.id,
        linked.key_fingerprint.as_deref().unwrap_or("-"),
        linked.assistants.len(),
        linked.public_key_count,
    ))?;
    state.close_session().await;
    Ok(())
}

pub async fn create(demo: bool, name: &str, base_url: Option<&str>) -> Result<(), AppError> {
    let (state, session) = open(demo).await?;
    let created = match session.agency.create_client_org(name, base_url).await {
        Ok(created) => created,
        // Core's wording points at the window; on the command line the fix is a command.
        Err(CoreError::Agency(AgencyError::AgencyNotLinked)) => {
            return Err(AppError::AgencyNotLinked)
        }
        Err(e) => return Err(e.into()),
    };
    drop(session);
    let base_url_arg = if created.base_url == DEFAULT_BASE_URL.trim_end_matches('/') {
        String::new()
    } else {
        format!(" --base-url {}", created.base_url)
    };
    write_stdout(&format!(
        "Created the client org {} ({}) in Vapi. It needs its own private API key before \
         agencydesk can use it: open it in the Vapi dashboard, copy its private key, then run\n  \
         agencydesk clients link{base_url_arg}\nand paste the key.\n",
        created.name, created.id,
    ))?;
    state.close_session().await;
    Ok(())
}

fn table(clients: &[ClientOrgView]) -> String {
    if clients.is_empty() {
        return "No client orgs linked yet. Link one with: agencydesk clients link\n".to_owned();
    }
    let rows: Vec<[String; 5]> = clients
        .iter()
        .map(|c| {
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
        })
        .collect();
    let header = ["CLIENT ORG", "STATUS", "KEY", "PUBLIC KEYS", "ASSISTANTS"];
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
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn status_word(status: OrgStatus) -> &'static str {
    match status {
        OrgStatus::Linked => "linked",
        OrgStatus::PendingKey => "needs key",
        OrgStatus::KeyRejected => "key rejected",
    }
}

pub(super) fn write_stdout(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| AppError::Output { source })
}
