//! A validated web origin: exactly the string a browser puts in the `Origin` header.
//!
//! Vapi compares a public key's `allowedOrigins` with that header as plain strings, so an origin
//! that differs by a trailing slash, a capital letter or a default port silently never matches.
//! The only way to get an [`Origin`] is [`normalize_origin`], which produces the browser's exact
//! serialisation or refuses with a message saying what to change.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::origin_error::{OriginError, MAX_ORIGIN_INPUT_LEN};
pub use super::origin_parse::normalize_origin;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }

    pub(super) fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }
}

/// The host part. Domains are stored in their ASCII (punycode) lowercase form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    Domain(String),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Domain(d) => f.write_str(d),
            Self::Ipv4(ip) => write!(f, "{ip}"),
            // std prints the RFC 5952 compressed form, which is also what browsers serialise.
            Self::Ipv6(ip) => write!(f, "[{ip}]"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    scheme: Scheme,
    host: Host,
    /// `None` for the scheme's default port: browsers leave it out of the header.
    port: Option<u16>,
}

impl Origin {
    /// Built only by the parser, which has already validated every part.
    pub(super) fn from_parts(scheme: Scheme, host: Host, port: Option<u16>) -> Self {
        let port = port.filter(|p| *p != scheme.default_port());
        Self { scheme, host, port }
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub fn host(&self) -> &Host {
        &self.host
    }

    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// A development origin: `localhost`, `*.localhost`, loopback or private-network addresses.
    /// Anyone can serve a page from their own localhost, so such an origin restricts nothing once
    /// the key is public; it belongs in a development key only.
    pub fn is_local_dev(&self) -> bool {
        match &self.host {
            Host::Domain(d) => d == "localhost" || d.ends_with(".localhost"),
            Host::Ipv4(ip) => ip.is_loopback() || ip.is_private(),
            Host::Ipv6(ip) => ip.is_loopback() || is_unique_local(ip),
        }
    }

    /// Plain http on a real site: the Origin header (and the key) travel unencrypted.
    pub fn is_insecure_production(&self) -> bool {
        self.scheme == Scheme::Http && !self.is_local_dev()
    }

    /// The `www.` / bare-domain counterpart with the same scheme and port.
    ///
    /// Browsers treat `https://acme.com` and `https://www.acme.com` as different origins, and a
    /// site usually answers on both, so a key listing one of them fails for visitors on the other.
    /// Without the public suffix list the apex is guessed: two labels (`acme.com`), or three when
    /// the middle one is a common second-level suffix under a country code (`acme.co.uk`). Other
    /// subdomains (`shop.acme.com`) get no twin rather than a wrong one.
    pub fn www_twin(&self) -> Option<Origin> {
        if self.is_local_dev() {
            return None;
        }
        let Host::Domain(domain) = &self.host else {
            return None;
        };
        let twin = match domain.strip_prefix("www.") {
            Some(apex) if looks_like_apex(apex) => apex.to_owned(),
            Some(_) => return None,
            None if looks_like_apex(domain) => format!("www.{domain}"),
            None => return None,
        };
        Some(Origin {
            scheme: self.scheme,
            host: Host::Domain(twin),
            port: self.port,
        })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.host)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

impl Serialize for Origin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Deserialising validates too, so an `Origin` read back from disk or IPC is always normalised.
impl<'de> Deserialize<'de> for Origin {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        normalize_origin(&text).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for Origin {
    type Err = OriginError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        normalize_origin(s)
    }
}

fn is_unique_local(ip: &Ipv6Addr) -> bool {
    // fc00::/7; std's `is_unique_local` is still unstable.
    (ip.segments()[0] & 0xfe00) == 0xfc00
}

/// Second-level labels used under country codes (acme.co.uk, acme.com.au).
const COUNTRY_SECOND_LEVELS: &[&str] =
    &["co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc"];

fn looks_like_apex(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    match labels.as_slice() {
        [_, _] => true,
        [_, second, tld] => tld.len() == 2 && COUNTRY_SECOND_LEVELS.contains(second),
        _ => false,
    }
}
