//! Turning what a person typed into the exact origin a browser sends.
//!
//! Written by hand rather than with `url::Url` because the WHATWG parser is deliberately lenient
//! (it accepts `https:acme.com`, backslashes, `127.1`, paths) and we need to refuse each of those
//! with its own explanation instead of silently guessing.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::origin::{Host, Origin, Scheme};
use super::origin_error::{OriginError, MAX_ORIGIN_INPUT_LEN};

const MAX_HOST_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

/// Schemes people paste that are clearly not websites, refused even without `//` after them.
const NON_WEB_SCHEMES: &[&str] = &[
    "mailto",
    "tel",
    "file",
    "ftp",
    "ws",
    "wss",
    "data",
    "javascript",
    "blob",
    "about",
    "chrome-extension",
    "moz-extension",
    "sms",
];

/// Validates and normalises an origin (scheme, host, optional port).
///
/// Leading and trailing whitespace is trimmed; everything else that is not part of an origin is
/// refused with a specific [`OriginError`]. Never panics, whatever the input.
pub fn normalize_origin(input: &str) -> Result<Origin, OriginError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(OriginError::Empty);
    }
    if text.len() > MAX_ORIGIN_INPUT_LEN {
        return Err(OriginError::TooLong {
            len: text.chars().count(),
        });
    }
    if text.eq_ignore_ascii_case("null") {
        return Err(OriginError::Null);
    }
    if text.chars().any(char::is_whitespace) {
        return Err(OriginError::Whitespace);
    }
    if text.chars().any(char::is_control) {
        return Err(OriginError::ControlCharacter);
    }
    if text.contains('\\') {
        return Err(OriginError::Backslash);
    }
    // Checked before the scheme so "*.acme.com" gets the wildcard explanation, not "add https://".
    if text.contains('*') {
        return Err(OriginError::Wildcard);
    }

    let (scheme, rest) = split_scheme(text)?;
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let rebuilt = || suggestion_from(scheme, authority);
    if authority.contains('@') {
        // The credentials are not repeated in the message: they may be a real password.
        return Err(OriginError::Credentials {
            suggestion: authority
                .rsplit_once('@')
                .and_then(|(_, host)| suggestion_from(scheme, host)),
        });
    }
    check_tail(tail, rebuilt)?;
    parse_authority(scheme, authority)
}

fn split_scheme(text: &str) -> Result<(Scheme, &str), OriginError> {
    let missing = || OriginError::MissingScheme {
        suggestion: guess_scheme(text.trim_start_matches('/')),
    };
    let Some((name, rest)) = text.split_once(':') else {
        return Err(missing());
    };
    let name_lower = name.to_ascii_lowercase();
    let scheme = match name_lower.as_str() {
        "https" => Scheme::Https,
        "http" => Scheme::Http,
        other if NON_WEB_SCHEMES.contains(&other) || rest.starts_with("//") => {
            return Err(OriginError::UnsupportedScheme {
                scheme: name.to_owned(),
            });
        }
        // `acme.com:8080` or `localhost:3000`: the part before the colon is a host, not a scheme.
        _ => return Err(missing()),
    };
    match rest.strip_prefix("//") {
        Some(after) => Ok((scheme, after)),
        None => Err(OriginError::MissingSlashes {
            suggestion: suggestion_from(scheme, rest.trim_start_matches('/')),
        }),
    }
}

/// https for real sites, http for local development servers, which rarely have certificates.
fn guess_scheme(authority: &str) -> Option<String> {
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains(['@', '*']) {
        return None;
    }
    let origin = parse_authority(Scheme::Https, authority).ok()?;
    if origin.is_local_dev() {
        return parse_authority(Scheme::Http, authority)
            .ok()
            .map(|o| o.to_string());
    }
    Some(origin.to_string())
}

/// What follows the authority may only be nothing or a single "/".
fn check_tail(tail: &str, rebuilt: impl Fn() -> Option<String>) -> Result<(), OriginError> {
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, after_path) = tail.split_at(path_end);
    if !path.is_empty() && path != "/" {
        return Err(OriginError::Path {
            path: path.to_owned(),
            suggestion: rebuilt(),
        });
    }
    if after_path.starts_with('?') {
        return Err(OriginError::Query {
            suggestion: rebuilt(),
        });
    }
    if after_path.starts_with('#') {
        return Err(OriginError::Fragment {
            suggestion: rebuilt(),
        });
    }
    Ok(())
}

/// The origin the user probably meant, offered only when it is itself valid.
fn suggestion_from(scheme: Scheme, authority: &str) -> Option<String> {
    let authority = authority.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains(['@', '*']) {
        return None;
    }
    parse_authority(scheme, authority)
        .ok()
        .map(|o| o.to_string())
}

fn parse_authority(scheme: Scheme, authority: &str) -> Result<Origin, OriginError> {
    let (host_text, port_text) = split_host_port(authority)?;
    let port = parse_port(port_text)?;
    let host = parse_host(host_text)?;
    Ok(Origin::from_parts(scheme, host, port))
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), OriginError> {
    if let Some(inner_and_rest) = authority.strip_prefix('[') {
        let Some((inner, rest)) = inner_and_rest.split_once(']') else {
            return Err(OriginError::InvalidIpv6 {
                host: authority.to_owned(),
            });
        };
        let port = match rest {
            "" => None,
            _ => match rest.strip_prefix(':') {
                Some(p) => Some(p),
                None => {
                    return Err(OriginError::InvalidIpv6 {
                        host: authority.to_owned(),
                    })
                }
            },
        };
        // Keep the brackets so parse_host knows this is an IPv6 literal.
        let bracketed = &authority[..inner.len() + 2];
        return Ok((bracketed, port));
    }
    match authority.matches(':').count() {
        0 => Ok((authority, None)),
        1 => Ok(authority
            .split_once(':')
            .map_or((authority, None), |(h, p)| (h, Some(p)))),
        _ => Err(OriginError::Ipv6NeedsBrackets),
    }
}

fn parse_port(port: Option<&str>) -> Result<Option<u16>, OriginError> {
    let Some(text) = port else { return Ok(None) };
    // Browsers treat "https://acme.com:" as no port at all.
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = || OriginError::InvalidPort {
        port: text.to_owned(),
    };
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let digits = text.trim_start_matches('0');
    if digits.len() > 5 {
        return Err(invalid());
    }
    match digits.parse::<u32>() {
        Ok(n) if (1..=65535).contains(&n) => u16::try_from(n).map(Some).map_err(|_| invalid()),
        _ => Err(invalid()),
    }
}

fn parse_host(text: &str) -> Result<Host, OriginError> {
    if text.is_empty() {
        return Err(OriginError::MissingHost);
    }
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return parse_ipv6(inner, text);
    }
    if text.contains('%') {
        return Err(OriginError::InvalidHostCharacters {
            host: text.to_owned(),
        });
    }
    // UTS 46 as browsers apply it: maps case, full-width forms and ideographic dots, and encodes
    // non-ASCII labels as punycode. The URL deny list refuses the characters WHATWG forbids.
    let ascii = idna::domain_to_ascii_cow(text.as_bytes(), idna::AsciiDenyList::URL)
        .map_err(|_| OriginError::InvalidDomain {
            host: text.to_owned(),
        })?
        .to_ascii_lowercase();
    // "acme.com." names the same site; browsers would send the dot, people almost never mean it.
    let ascii = ascii.strip_suffix('.').unwrap_or(&ascii);
    if ascii.is_empty() {
        return Err(OriginError::MissingHost);
    }
    if ends_in_number(ascii) {
        return parse_ipv4(ascii, text);
    }
    check_domain(ascii, text)?;
    Ok(Host::Domain(ascii.to_owned()))
}

/// WHATWG treats a host whose last label is numeric as an IPv4 address (`127.1`, `0x7f.1`).
fn ends_in_number(host: &str) -> bool {
    let last = host.rsplit('.').next().unwrap_or_default();
    !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last
                .strip_prefix("0x")
                .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())))
}

fn parse_ipv4(ascii: &str, original: &str) -> Result<Host, OriginError> {
    let invalid = || OriginError::InvalidIpv4 {
        host: original.to_owned(),
    };
    // Only the canonical dotted quad: the shorthand forms browsers accept are almost always typos.
    let parts: Vec<&str> = ascii.split('.').collect();
    let canonical = parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        });
    if !canonical {
        return Err(invalid());
    }
    let ip: Ipv4Addr = ascii.parse().map_err(|_| invalid())?;
    if ip.is_loopback() || ip.is_private() {
        Ok(Host::Ipv4(ip))
    } else {
        Err(OriginError::PublicIp { ip: ip.to_string() })
    }
}

fn parse_ipv6(inner: &str, original: &str) -> Result<Host, OriginError> {
    let ip: Ipv6Addr = inner.parse().map_err(|_| OriginError::InvalidIpv6 {
        host: original.to_owned(),
    })?;
    let unique_local = (ip.segments()[0] & 0xfe00) == 0xfc00;
    if ip.is_loopback() || unique_local {
        Ok(Host::Ipv6(ip))
    } else {
        Err(OriginError::PublicIp {
            ip: format!("[{ip}]"),
        })
    }
}

fn check_domain(ascii: &str, original: &str) -> Result<(), OriginError> {
    if ascii.len() > MAX_HOST_LEN {
        return Err(OriginError::HostTooLong);
    }
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(OriginError::EmptyLabel);
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(OriginError::LabelTooLong {
                label: label.to_owned(),
            });
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(OriginError::InvalidHostCharacters {
                host: original.to_owned(),
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(OriginError::BadHyphen {
                label: label.to_owned(),
            });
        }
    }
    if !ascii.contains('.') && ascii != "localhost" {
        return Err(OriginError::SingleLabel {
            host: ascii.to_owned(),
        });
    }
    Ok(())
}
