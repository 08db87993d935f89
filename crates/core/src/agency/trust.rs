//! Whether an org's key may go to an address. Every path that builds a Vapi client with a key
//! (sync, refresh, key management) or stores an org's address (linking, creating an org, a new
//! address) asks here first, before any request and before anything is written.
//!
//! The rule itself is `vapi::KeyDestination`: Vapi's host and this machine need no one's word;
//! any other https host needs the owner's confirmation for that org, kept in `trusted_hosts`.
//! Only a [`HostConfirmer`] records a confirmation, and only the app (a native dialog raised by
//! the Rust side) or the CLI (`--trust-host HOST`) provides one that can say yes: never a value
//! the web page sends.

use std::sync::Arc;

use super::Agency;
use crate::blocking::blocking;
use crate::error::CoreError;
use crate::store::trusted_hosts;
use crate::vapi::{parse_trusted_host, KeyDestination, VapiError};

/// What the owner is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustQuestion {
    /// The host the key would go to, in canonical form (punycode for international names).
    pub host: String,
    /// The whole address, for the details.
    pub url: String,
    /// The org whose key it is; `None` while linking a key whose org Vapi has not named yet.
    pub org_name: Option<String>,
}

/// Asks the owner whether an org's key may go to a host other than Vapi's. Called on a blocking
/// thread, so it may wait for a click.
pub trait HostConfirmer: Send + Sync {
    fn confirm(&self, question: &TrustQuestion) -> bool;
}

/// Who confirms hosts for one call.
pub type Confirmer = Arc<dyn HostConfirmer>;

/// Confirms nothing: only Vapi, this machine and hosts already trusted for the org pass.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoConfirmation;

impl HostConfirmer for NoConfirmation {
    fn confirm(&self, _question: &TrustQuestion) -> bool {
        false
    }
}

impl NoConfirmation {
    pub fn confirmer() -> Confirmer {
        Arc::new(Self)
    }
}

/// Confirms exactly the hosts the owner named up front (the CLI's `--trust-host`).
#[derive(Debug, Clone, Default)]
pub struct NamedHosts {
    hosts: Vec<String>,
}

impl NamedHosts {
    /// Refuses anything that is not a bare host name, so a typo cannot trust more than meant.
    pub fn parse<S: AsRef<str>>(hosts: &[S]) -> Result<Self, VapiError> {
        let hosts = hosts
            .iter()
            .map(|h| parse_trusted_host(h.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(Self { hosts })
    }

    pub fn contains(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h == host)
    }

    pub fn confirmer(self) -> Confirmer {
        Arc::new(self)
    }
}

impl HostConfirmer for NamedHosts {
    fn confirm(&self, question: &TrustQuestion) -> bool {
        self.contains(&question.host)
    }
}

/// An address cleared for a key, and whether its host was confirmed just now (to be recorded
/// with the org's row, in the same transaction).
#[derive(Debug, Clone)]
pub(crate) struct Cleared {
    pub destination: KeyDestination,
    pub confirmed_now: bool,
}

impl Cleared {
    /// Records the confirmation for `org_id`, inside the write that stores the address.
    pub fn record(
        &self,
        tx: &rusqlite::Connection,
        org_id: &str,
        now: &str,
    ) -> Result<(), CoreError> {
        if self.confirmed_now {
            trusted_hosts::trust(tx, org_id, self.destination.host(), now)?;
        }
        Ok(())
    }
}

impl Agency {
    /// The address an org's stored key may be sent to: refused unless its host is Vapi's, this
    /// machine's, or one the owner confirmed for this org.
    pub(crate) fn key_destination(
        &self,
        org_id: &str,
        base_url: &str,
    ) -> Result<KeyDestination, CoreError> {
        let destination = KeyDestination::parse(base_url)?;
        if destination.needs_trust() && !self.host_trusted(org_id, destination.host())? {
            return Err(VapiError::UntrustedHost {
                host: destination.host().to_owned(),
            }
            .into());
        }
        Ok(destination)
    }

    /// An address about to be stored for an org (`org` = its id and name) or used with a newly
    /// pasted key (`org` = `None`): as [`Self::key_destination`], except that a host not trusted
    /// yet is put to `confirmer`. Nothing is recorded here; see [`Cleared::record`].
    pub(crate) async fn clear_destination(
        &self,
        org: Option<(&str, &str)>,
        base_url: &str,
        confirmer: &Confirmer,
    ) -> Result<Cleared, CoreError> {
        let destination = KeyDestination::parse(base_url)?;
        let already = match org {
            _ if !destination.needs_trust() => true,
            Some((org_id, _)) => self.host_trusted(org_id, destination.host())?,
            None => false,
        };
        if already {
            return Ok(Cleared {
                destination,
                confirmed_now: false,
            });
        }
        let question = TrustQuestion {
            host: destination.host().to_owned(),
            url: destination.as_stored(),
            org_name: org.map(|(_, name)| name.to_owned()),
        };
        let confirmer = Arc::clone(confirmer);
        let yes = blocking(move || Ok::<_, CoreError>(confirmer.confirm(&question))).await?;
        if !yes {
            tracing::info!(host = %destination.host(), "a key's host was not confirmed");
            return Err(VapiError::HostNotConfirmed {
                host: destination.host().to_owned(),
            }
            .into());
        }
        tracing::info!(host = %destination.host(), "the owner confirmed a key's host");
        Ok(Cleared {
            destination,
            confirmed_now: true,
        })
    }

    /// Hosts the owner confirmed for the org.
    pub fn trusted_hosts(&self, org_id: &str) -> Result<Vec<String>, CoreError> {
        Ok(self.store.read(|c| trusted_hosts::list(c, org_id))?)
    }

    fn host_trusted(&self, org_id: &str, host: &str) -> Result<bool, CoreError> {
        Ok(self
            .store
            .read(|c| trusted_hosts::is_trusted(c, org_id, host))?)
    }
}
