//! Which Vapi addresses agencydesk will send a key to: the shape of the address. Whether its
//! host may receive a key at all is decided in `destination.rs`.

use url::{Host, Url};

use super::error::VapiError;

/// Parses and checks a Vapi base URL: http(s) only, https unless the host is this machine (the
/// key must not cross a network in clear text), no credentials, query or fragment. The host comes
/// back in its canonical form: lower case, IDN as punycode, without a trailing dot.
pub fn validate_base_url(input: &str) -> Result<Url, VapiError> {
    let text = input.trim();
    let invalid = |reason| VapiError::InvalidBaseUrl {
        url: text.to_owned(),
        reason,
    };
    let mut url = Url::parse(text).map_err(|_| invalid("it is not a web address"))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(invalid("it must start with https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    let host = url
        .host_str()
        .ok_or_else(|| invalid("it has no host name"))?
        .to_owned();
    // "api.vapi.ai." names the same host as "api.vapi.ai": one spelling, so a trust decision
    // made for one holds for the other and no dot slips past a comparison.
    if let Some(stripped) = host.strip_suffix('.') {
        if stripped.is_empty() || stripped.ends_with('.') {
            return Err(invalid("its host name is not valid"));
        }
        url.set_host(Some(stripped))
            .map_err(|_| invalid("its host name is not valid"))?;
    }
    if url
        .host_str()
        .is_some_and(|h| h.split('.').any(str::is_empty))
    {
        return Err(invalid("its host name is not valid"));
    }
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(invalid(
            "it must start with https:// so the key is encrypted",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not contain ? or #"));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// This machine: `localhost`, 127.0.0.0/8 or ::1. Names under `.localhost` are left out: not
/// every resolver keeps them on this machine, and a key over plain http must never leave it.
pub(super) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            validate_base_url(" https://api.vapi.ai/ ")
                .unwrap()
                .as_str(),
            "https://api.vapi.ai/"
        );
        assert_eq!(
            validate_base_url("https://proxy.example/vapi/")
                .unwrap()
                .as_str(),
            "https://proxy.example/vapi"
        );
        assert_eq!(
            validate_base_url("HTTPS://API.Vapi.AI./").unwrap().as_str(),
            "https://api.vapi.ai/"
        );
        assert!(validate_base_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_base_url("http://127.9.9.9:8080").is_ok());
        assert!(validate_base_url("http://[::1]:8080").is_ok());
        assert!(validate_base_url("http://localhost:1").is_ok());
        assert!(validate_base_url("http://LOCALHOST.:1").is_ok());
        for bad in [
            "http://api.vapi.ai",
            "http://sim.localhost:8080",
            "http://0.0.0.0:8080",
            "http://10.0.0.1",
            "http://[::ffff:10.0.0.1]",
            "ftp://api.vapi.ai",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "api.vapi.ai",
            "https://user:pw@api.vapi.ai",
            "https://user@api.vapi.ai",
            "https://:pw@api.vapi.ai",
            "https://api.vapi.ai/?x=1",
            "https://api.vapi.ai/#x",
            "https://api.vapi.ai..",
            "https://api..vapi.ai",
            "",
        ] {
            assert!(
                matches!(
                    validate_base_url(bad),
                    Err(VapiError::InvalidBaseUrl { .. })
                ),
                "{bad} accepted"
            );
        }
    }
}
