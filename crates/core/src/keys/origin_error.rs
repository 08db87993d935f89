//! Why an origin was refused, in words an agency owner can act on.
//!
//! Every variant says what is wrong and what to write instead. When the fix is mechanical
//! (drop the path, add the scheme) the variant carries the corrected origin so the UI can offer
//! it as a one-click suggestion.

use thiserror::Error;

/// Longest input accepted, in bytes. Real origins are far shorter; the cap keeps hostile input
/// (megabytes pasted by accident) from reaching the IDNA code at all.
pub const MAX_ORIGIN_INPUT_LEN: usize = 2048;

/// How much of the user's text an error message repeats back, so a pasted page of text does not
/// turn into a page-long error.
const ECHO_LIMIT: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OriginError {
    #[error("Enter the website's address, e.g. https://acme.com")]
    Empty,
    #[error("That is too long to be a website address ({len} characters); an origin is only scheme, host and port, e.g. https://acme.com")]
    TooLong { len: usize },
    #[error("\"null\" is what browsers send for local files and sandboxed frames; it cannot be allowed safely. Enter the site's address, e.g. https://acme.com")]
    Null,
    #[error("Remove the spaces: a website address has none, e.g. https://acme.com")]
    Whitespace,
    #[error("Remove the invisible control characters (often pasted by accident) and type the address again, e.g. https://acme.com")]
    ControlCharacter,
    #[error("Add the scheme in front{}", hint(.suggestion.as_deref(), ": write"))]
    MissingScheme { suggestion: Option<String> },
    #[error("Write two slashes after the scheme{}", hint(.suggestion.as_deref(), ": write"))]
    MissingSlashes { suggestion: Option<String> },
    #[error("Only http:// and https:// websites can use a web key; \"{}\" is not a website address", echo(.scheme))]
    UnsupportedScheme { scheme: String },
    #[error("Use forward slashes (/), not backslashes (\\), e.g. https://acme.com")]
    Backslash,
    #[error("Remove the user name and password before the @: an origin never contains them{}", hint(.suggestion.as_deref(), ", here"))]
    Credentials { suggestion: Option<String> },
    #[error("Wildcards (*) are not allowed: list each site separately, e.g. https://acme.com and https://www.acme.com")]
    Wildcard,
    #[error("Remove the path \"{}\": an origin is only scheme, host and port{}", echo(.path), hint(.suggestion.as_deref(), ", here"))]
    Path {
        path: String,
        suggestion: Option<String>,
    },
    #[error("Remove the \"?\" and everything after it: an origin is only scheme, host and port{}", hint(.suggestion.as_deref(), ", here"))]
    Query { suggestion: Option<String> },
    #[error("Remove the \"#\" and everything after it: an origin is only scheme, host and port{}", hint(.suggestion.as_deref(), ", here"))]
    Fragment { suggestion: Option<String> },
    #[error("The host name is missing: write the site's domain after the slashes, e.g. https://acme.com")]
    MissingHost,
    #[error("\"{}\" is not a valid port: use a number from 1 to 65535, e.g. http://localhost:3000", echo(.port))]
    InvalidPort { port: String },
    #[error("IPv6 addresses must be written in square brackets, e.g. http://[::1]:3000")]
    Ipv6NeedsBrackets,
    #[error("\"{}\" is not a valid IPv6 address", echo(.host))]
    InvalidIpv6 { host: String },
    #[error("\"{}\" looks like an IP address but is not written as four numbers from 0 to 255, e.g. 127.0.0.1", echo(.host))]
    InvalidIpv4 { host: String },
    #[error("Use the site's domain name instead of the IP address {ip}: only local addresses (127.0.0.1, 192.168.x.x, [::1]) are accepted for testing")]
    PublicIp { ip: String },
    #[error("\"{}\" is not a valid domain name: check the spelling", echo(.host))]
    InvalidDomain { host: String },
    #[error("\"{}\" contains characters a domain name cannot have: use only letters, digits, hyphens and dots", echo(.host))]
    InvalidHostCharacters { host: String },
    #[error("The domain has an empty part (two dots in a row, or a dot at the start): check the spelling")]
    EmptyLabel,
    #[error("\"{}\" is too long for one part of a domain name (at most 63 characters between dots)", echo(.label))]
    LabelTooLong { label: String },
    #[error("The domain name is too long (at most 253 characters)")]
    HostTooLong,
    #[error("\"{}\" cannot start or end with a hyphen", echo(.label))]
    BadHyphen { label: String },
    #[error("\"{}\" has no domain ending (like .com); write the full domain, e.g. https://{}.com", echo(.host), echo(.host))]
    SingleLabel { host: String },
}

impl OriginError {
    /// The corrected origin, when the mistake has exactly one sensible fix.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            Self::MissingScheme { suggestion }
            | Self::MissingSlashes { suggestion }
            | Self::Credentials { suggestion }
            | Self::Path { suggestion, .. }
            | Self::Query { suggestion }
            | Self::Fragment { suggestion } => suggestion.as_deref(),
            _ => None,
        }
    }
}

fn hint(suggestion: Option<&str>, lead: &str) -> String {
    match suggestion {
        Some(s) => format!("{lead} {s}"),
        None => ", e.g. https://acme.com".to_owned(),
    }
}

/// Repeats user text in a message, shortened. Cuts on a char boundary so it never panics.
fn echo(text: &str) -> String {
    if text.chars().count() <= ECHO_LIMIT {
        return text.to_owned();
    }
    let cut: String = text.chars().take(ECHO_LIMIT).collect();
    format!("{cut}…")
}
