//! Which Vapi addresses agencydesk will send a key to.

use url::Url;

use super::error::VapiError;

/// Parses and checks a Vapi base URL: http(s) only, https unless the host is this machine (the
/// key must not cross a network in clear text), no credentials, query or fragment.
pub fn validate_base_url(input: &str) -> Result<Url, VapiError> {
    let text = input.trim();
    let invalid = |reason| VapiError::InvalidBaseUrl {
        url: text.to_owned(),
        reason,
    };
    let mut url = Url::parse(text).map_err(|_| invalid("it is not a web address"))?;
    let host = url
        .host_str()
        .ok_or_else(|| invalid("it has no host name"))?
        .to_owned();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(invalid(
                "it must start with https:// so the key is encrypted",
            ))
        }
        _ => return Err(invalid("it must start with https://")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("it must not contain a user name or password"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("it must not contain ? or #"));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
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
        assert!(validate_base_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_base_url("http://[::1]:8080").is_ok());
        assert!(validate_base_url("http://localhost:1").is_ok());
        for bad in [
            "http://api.vapi.ai",
            "ftp://api.vapi.ai",
            "api.vapi.ai",
            "https://user:pw@api.vapi.ai",
            "https://api.vapi.ai/?x=1",
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
