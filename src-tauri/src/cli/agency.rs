//! `agencydesk agency ...`: the agency's own Vapi org, whose key creates new client orgs.

use super::args;
use super::output::write_stdout;
use super::session::with_agency;
use crate::error::AppError;

/// Links (or relinks) the agency's own org with its private key from standard input or a hidden
/// prompt. Prints only the org and the key's fingerprint.
pub async fn link(demo: bool, address: &args::VapiAddressArgs) -> Result<(), AppError> {
    // An address that may not receive the key fails before the key is asked for.
    let confirmer = address.confirmer()?;
    let key = args::read_private_key("your agency's own org")?;
    let linked = with_agency(demo, |session| async move {
        Ok(session
            .agency
            .link_agency(Some(&address.base_url), key, &confirmer)
            .await?)
    })
    .await?;
    write_stdout(&format!(
        "Linked your agency's own org {} ({}) with key {}. Create client orgs with: \
         agencydesk clients create --name NAME\n",
        linked.name,
        linked.id,
        linked.key_fingerprint.as_deref().unwrap_or("-"),
    ))
}
