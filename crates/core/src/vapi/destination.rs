//! Where a private key may go: the one rule every path that builds a Vapi client or stores an
//! org's address goes through (`Agency::key_destination`).
//!
//! A key goes to Vapi's own host, to this machine (the simulator, development), or to another
//! https host the owner confirmed for that org. Trust is for a host name, never for a URL: the
//! path, port and spelling (case, IDN, trailing dot) of an address cannot change which host it is.

use url::Url;

use super::base_url::{is_loopback, validate_base_url};
use super::error::VapiError;

/// Vapi's API host: a key may always go there (over https).
pub const VAPI_HOST: &str = "api.vapi.ai";

/// What kind of host an address points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// `https://api.vapi.ai`.
    Vapi,
    /// `localhost`, 127.0.0.0/8 or ::1, over http or https.
    Loopback,
    /// Any other https host: only with the owner's confirmation for the org.
    NeedsTrust,
}

/// A checked Vapi address and its host's canonical name (lower case, punycode, no trailing dot).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDestination {
    url: Url,
    host: String,
    kind: HostKind,
}

impl KeyDestination {
    /// Parses an address; refuses what could never carry a key (see [`validate_base_url`]).
    pub fn parse(input: &str) -> Result<Self, VapiError> {
        let url = validate_base_url(input)?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let kind = if is_loopback(&url) {
            HostKind::Loopback
        } else if url.scheme() == "https" && host == VAPI_HOST {
            HostKind::Vapi
        } else {
            HostKind::NeedsTrust
        };
        Ok(Self { url, host, kind })
    }

    /// The host whose trust decides, e.g. `other.example` or `[2001:db8::1]`.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn kind(&self) -> HostKind {
        self.kind
    }

    /// True unless the host is Vapi's or this machine's.
    pub fn needs_trust(&self) -> bool {
        self.kind == HostKind::NeedsTrust
    }

    /// The address as stored: normalised, without a trailing slash.
    pub fn as_stored(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_owned()
    }
}

/// A host as the owner names it (`--trust-host other.example`), in the canonical form
/// [`KeyDestination::host`] compares with. Only a bare host: no scheme, port, path or user.
pub fn parse_trusted_host(input: &str) -> Result<String, VapiError> {
    let text = input.trim();
    let invalid = || VapiError::InvalidTrustedHost {
        host: text.to_owned(),
    };
    let bare_ipv6 = text.contains(':') && !text.starts_with('[');
    let authority = if bare_ipv6 {
        format!("[{text}]")
    } else {
        text.to_owned()
    };
    if text.is_empty() || authority.contains(['/', '\\', '@', '?', '#']) {
        return Err(invalid());
    }
    let url = Url::parse(&format!("https://{authority}/")).map_err(|_| invalid())?;
    if url.port().is_some() || url.path() != "/" {
        return Err(invalid());
    }
    let host = url.host_str().ok_or_else(invalid)?;
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.split('.').any(str::is_empty) {
        return Err(invalid());
    }
    Ok(host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(url: &str) -> HostKind {
        KeyDestination::parse(url)
            .unwrap_or_else(|e| panic!("{url}: {e}"))
            .kind()
    }

    fn host(url: &str) -> String {
        KeyDestination::parse(url).unwrap().host().to_owned()
    }

    #[test]
    fn vapi_and_this_machine_need_no_trust() {
        for url in [
            "https://api.vapi.ai",
            "https://api.vapi.ai/",
            "https://API.VAPI.AI",
            "https://api.vapi.ai.",
            "https://api.vapi.ai:443/v1",
        ] {
            assert_eq!(kind(url), HostKind::Vapi, "{url}");
        }
        for url in [
            "http://127.0.0.1:8080",
            "https://127.0.0.1:8443",
            "http://localhost:3000",
            "https://localhost",
            "http://[::1]:9",
            "http://127.0.0.2:1",
            // The WHATWG parser reads these as 127.0.0.1: still this machine.
            "http://0x7f.1:80",
            "http://2130706433:80",
        ] {
            assert_eq!(kind(url), HostKind::Loopback, "{url}");
        }
    }

    #[test]
    fn every_other_host_needs_trust() {
        for url in [
            "https://other.example",
            "https://api.vapi.ai.evil.example",
            "https://evil.example/api.vapi.ai",
            "https://evil.example\\@api.vapi.ai",
            "https://vapi.ai",
            "https://eu.api.vapi.ai",
            "https://1.2.3.4",
            "https://[2001:db8::1]",
            "https://sim.localhost:8080",
            // Cyrillic "а": a different host that looks the same.
            "https://\u{430}pi.vapi.ai",
        ] {
            assert_eq!(kind(url), HostKind::NeedsTrust, "{url}");
        }
        assert_eq!(host("https://evil.example\\@api.vapi.ai"), "evil.example");
        assert_eq!(host("https://Other.Example.:8443/x/"), "other.example");
        assert_eq!(host("https://bücher.example"), "xn--bcher-kva.example");
        assert_eq!(host("https://\u{430}pi.vapi.ai"), "xn--pi-6kc.vapi.ai");
        assert_eq!(host("https://[2001:DB8::1]"), "[2001:db8::1]");
    }

    #[test]
    fn what_can_never_carry_a_key_is_refused() {
        for url in [
            "http://other.example",
            "http://api.vapi.ai",
            "https://user@other.example",
            "https://api.vapi.ai@evil.example",
            "https://user:pw@api.vapi.ai",
            "ws://api.vapi.ai",
            "data:text/plain,x",
            "other.example",
            "//other.example",
        ] {
            assert!(
                matches!(
                    KeyDestination::parse(url),
                    Err(VapiError::InvalidBaseUrl { .. })
                ),
                "{url} accepted"
            );
        }
    }

    #[test]
    fn stored_addresses_are_normalised() {
        let dest = KeyDestination::parse(" HTTPS://Other.Example.:8443/Vapi/ ").unwrap();
        assert_eq!(dest.as_stored(), "https://other.example:8443/Vapi");
        assert_eq!(
            KeyDestination::parse("https://api.vapi.ai:443/")
                .unwrap()
                .as_stored(),
            "https://api.vapi.ai"
        );
    }

    #[test]
    fn trusted_hosts_are_bare_hosts_in_canonical_form() {
        for (input, want) in [
            ("other.example", "other.example"),
            (" Other.EXAMPLE. ", "other.example"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("1.2.3.4", "1.2.3.4"),
            ("2001:db8::1", "[2001:db8::1]"),
            ("[2001:DB8::1]", "[2001:db8::1]"),
        ] {
            assert_eq!(parse_trusted_host(input).unwrap(), want, "{input}");
            let url = format!("https://{want}/v1");
            assert_eq!(host(&url), want, "{url} names the trusted host");
        }
        for bad in [
            "",
            "https://other.example",
            "other.example/path",
            "other.example:8443",
            "user@other.example",
            "other.example?x",
            "other..example.",
            "a b",
        ] {
            assert!(parse_trusted_host(bad).is_err(), "{bad:?} accepted");
        }
    }
}
