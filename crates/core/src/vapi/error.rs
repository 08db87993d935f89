//! Errors of the Vapi client. Messages are for the person using agencydesk: what happened and
//! what to do. They never contain the key (server messages are scrubbed of it too) or headers.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum VapiError {
    #[error(
        "\"{url}\" is not a usable Vapi address: {reason}. Use https://api.vapi.ai unless Vapi \
         gave you another address."
    )]
    InvalidBaseUrl { url: String, reason: &'static str },
    #[error(
        "agencydesk sends a private key only to Vapi (api.vapi.ai), to this computer, or to a \
         host you confirmed for the org, and {host} is not confirmed: nothing was sent or saved. \
         To trust {host}, enter the address again in agencydesk and confirm it when asked; on \
         the command line, add --trust-host {host}."
    )]
    UntrustedHost { host: String },
    #[error(
        "{host} was not confirmed for this org's key, so nothing was sent there and nothing was \
         saved. agencydesk sends a private key only to Vapi (api.vapi.ai), to this computer, or \
         to a host you confirm: confirm {host} when agencydesk asks, or on the command line add \
         --trust-host {host}."
    )]
    HostNotConfirmed { host: String },
    #[error(
        "\"{host}\" is not a host name to trust: give the host alone, e.g. --trust-host \
         proxy.example (no https://, port, path or user name)."
    )]
    InvalidTrustedHost { host: String },
    #[error(
        "That does not look like a Vapi API key: it is empty or has characters a key cannot \
         contain. Copy the private key again from the Vapi dashboard."
    )]
    InvalidKey,
    #[error(
        "Vapi rejected the API key: it is wrong, has been revoked, or is a public key where a \
         private key is needed. Copy the org's private key from the Vapi dashboard and link \
         the org again."
    )]
    Unauthorized,
    #[error(
        "Vapi refused this request with the current key: {message}. Check the key's \
         restrictions (allowed websites and assistants); anything but web calls needs the \
         org's private key."
    )]
    Forbidden { message: String },
    #[error("Vapi has no {what} with that id for this org. It may have been deleted; refresh and try again.")]
    NotFound { what: &'static str },
    #[error("Vapi refused the request: {}.", messages.join("; "))]
    BadRequest { messages: Vec<String> },
    #[error("Vapi reported a conflict: {}. Refresh and try again.", messages.join("; "))]
    Conflict { messages: Vec<String> },
    #[error(
        "Vapi is limiting how fast agencydesk may ask (rate limit){}. Wait a moment and try again.",
        retry_after.map(|d| format!("; it asked to wait {} seconds", d.as_secs().max(1))).unwrap_or_default()
    )]
    RateLimited { retry_after: Option<Duration> },
    #[error("Vapi is having problems right now (HTTP {status}). Try again in a few minutes.")]
    Server { status: u16 },
    #[error(
        "Vapi at {base} did not answer in time. Check your internet connection and try again."
    )]
    Timeout { base: String },
    #[error(
        "agencydesk could not reach Vapi at {base} ({reason}). Check your internet connection \
         and the address, then try again."
    )]
    Unreachable {
        base: String,
        reason: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error(
        "agencydesk could not verify the secure connection to {base}: its certificate is not \
         trusted by this computer. If your network inspects secure connections (an office \
         proxy), add its certificate authority to the system's certificate store; otherwise \
         someone may be intercepting the connection, and no key was sent."
    )]
    UntrustedCertificate {
        base: String,
        #[source]
        source: reqwest::Error,
    },
    #[error(
        "Vapi sent an answer agencydesk could not read ({detail}). Try again; if it keeps \
         happening, Vapi may have changed its API and agencydesk needs an update."
    )]
    InvalidResponse { detail: String },
    #[error("Vapi answered with an unexpected error (HTTP {status}): {}.", messages.join("; "))]
    Unexpected { status: u16, messages: Vec<String> },
    #[error(
        "Vapi did not confirm the change: {0} It may have been applied anyway, so refresh the \
         list before trying again."
    )]
    Unconfirmed(#[source] Box<VapiError>),
}

impl VapiError {
    /// True when the failure says the key itself is not accepted (as opposed to a network or
    /// request problem), so the org's key must be pasted again.
    pub fn is_key_rejected(&self) -> bool {
        matches!(self, VapiError::Unauthorized)
    }
}
