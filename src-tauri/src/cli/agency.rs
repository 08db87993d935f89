//! `agencydesk agency ...`: the agency's own Vapi org, whose key creates new client orgs.

use super::clients::{open, write_stdout};
use super::secret_input;
use crate::error::AppError;

/// Links (or relinks) the agency's own org with its private key from standard input or a hidden
/// prompt. Prints only the org and the key's fingerprint.
pub async fn link(demo: bool, base_url: &str) -> Result<(), AppError> {
    let key = secret_input::read_private_key("your agency's own org")?;
    let (state, session) = open(demo).await?;
    let linked = session.agency.link_agency(Some(base_url), key).await?;
    drop(session);
    write_stdout(&format!(
        "Linked your agency's own org {} ({}) with key {}. Create client orgs with: \
         agencydesk clients create --name NAME\n",
        linked.name,
        linked.id,
        linked.key_fingerprint.as_deref().unwrap_or("-"),
    ))?;
    state.close_session().await;
    Ok(())
}
