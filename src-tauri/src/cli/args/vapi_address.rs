//! `--base-url URL [--trust-host HOST]`: where a key read by `clients link` / `agency link` may
//! go, decided before the key is even read.

use agencydesk_core::agency::{Confirmer, NamedHosts};
use agencydesk_core::error::CoreError;
use agencydesk_core::vapi::{KeyDestination, VapiError, DEFAULT_BASE_URL};
use clap::Args;

use crate::error::AppError;

#[derive(Debug, Clone, Args)]
pub struct VapiAddressArgs {
    /// Vapi API address (a proxy or a test server instead of the real Vapi). A host other than
    /// api.vapi.ai or this computer also needs --trust-host.
    #[arg(long, default_value = DEFAULT_BASE_URL)]
    pub base_url: String,
    /// Confirm that the org's private key may be sent to this host (the --base-url's host
    /// name, e.g. proxy.example). Needed for any host but api.vapi.ai and this computer.
    #[arg(long, value_name = "HOST")]
    pub trust_host: Vec<String>,
}

impl VapiAddressArgs {
    /// Refuses at once an address whose host is not trusted on the command line, naming the
    /// `--trust-host` that would trust it; otherwise the confirmer core asks when it links.
    pub fn confirmer(&self) -> Result<Confirmer, AppError> {
        let named = NamedHosts::parse(&self.trust_host).map_err(CoreError::from)?;
        let destination = KeyDestination::parse(&self.base_url).map_err(CoreError::from)?;
        if destination.needs_trust() && !named.contains(destination.host()) {
            return Err(CoreError::from(VapiError::UntrustedHost {
                host: destination.host().to_owned(),
            })
            .into());
        }
        Ok(named.confirmer())
    }
}
