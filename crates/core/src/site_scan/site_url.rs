//! What may be scanned: an http or https URL with a host and without credentials (a user name in
//! a URL would be sent as an `Authorization` header, and the scan sends none).

use url::Url;

use crate::error::CoreError;

/// Longest site URL accepted.
const MAX_URL_CHARS: usize = 2048;

/// `text` as a scannable URL (normalised, without its `#fragment`), or why not.
pub fn check_site_url(text: &str) -> Result<Url, CoreError> {
    let text = text.trim();
    let invalid =
        |why: &str| CoreError::InvalidInput(format!("{why} (got \"{}\").", shorten(text)));
    if text.is_empty() {
        return Err(CoreError::InvalidInput(
            "Type the address of a page of the client's site, e.g. https://acme.com/contact."
                .to_owned(),
        ));
    }
    if text.chars().count() > MAX_URL_CHARS {
        return Err(invalid("That address is too long to be a page of a site"));
    }
    let with_scheme = if text.contains("://") {
        text.to_owned()
    } else {
        format!("https://{text}")
    };
    let mut url = Url::parse(&with_scheme)
        .map_err(|_| invalid("That is not a web address: write it like https://acme.com/"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("Only http and https pages can be scanned"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("The address has no site name"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "Leave the user name and password out of the address: the scan sends no credentials",
        ));
    }
    url.set_fragment(None);
    Ok(url)
}

/// Whether `candidate` is on the same site as `site`: same host (any port, http or https, so an
/// upgrade to https is followed), no credentials.
pub(super) fn same_site(site: &Url, candidate: &Url) -> bool {
    matches!(candidate.scheme(), "http" | "https")
        && candidate.username().is_empty()
        && candidate.password().is_none()
        && match (site.host_str(), candidate.host_str()) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 80 {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(80).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_urls_are_normalised_or_refused() {
        assert_eq!(
            check_site_url(" acme.com/contact#top ").unwrap().as_str(),
            "https://acme.com/contact"
        );
        assert_eq!(
            check_site_url("http://127.0.0.1:8080").unwrap().as_str(),
            "http://127.0.0.1:8080/"
        );
        for bad in [
            "",
            "ftp://acme.com/",
            "https://user:pw@acme.com/",
            "https://user@acme.com/",
            "javascript:alert(1)",
            "https://",
        ] {
            assert!(check_site_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn same_site_is_the_same_host() {
        let site = Url::parse("http://acme.com/").unwrap();
        let ok = ["https://ACME.com/a.js", "http://acme.com:8080/b.js"];
        let other = [
            "https://cdn.acme.com/a.js",
            "https://evil.com/a.js",
            "https://u:p@acme.com/a.js",
            "data:text/javascript,1",
        ];
        for u in ok {
            assert!(same_site(&site, &Url::parse(u).unwrap()), "{u}");
        }
        for u in other {
            assert!(!same_site(&site, &Url::parse(u).unwrap()), "{u}");
        }
    }
}
