//! The site exposure scan: fetches a client's pages and the same-site scripts they load, finds
//! Vapi key-shaped values (UUIDs, JWTs) and says what each one is (a leaked private key, an
//! unrestricted public key, a key that will not work on that site, a retired key, an unknown
//! value), so the owner finds a leaked key before a stranger does.
//!
//! The fetching is bounded ([`ScanLimits`]) and keyless: a client of its own, without cookies,
//! `Authorization` or `Referer`, that follows no redirect and loads no script on another host.
//! Private keys are read from the keychain into memory and compared by SHA-256 digest, never
//! sent anywhere. Findings name keys only by fingerprint.

mod classify;
mod fetch;
mod html;
mod jwt_claims;
mod limits;
mod report;
mod run;
mod site_url;
mod urls;

pub use limits::ScanLimits;
pub use report::{
    ExposedKind, ExposureFinding, ExposureSeverity, ScannedResource, SiteScanReport,
    SiteScanSummary,
};
pub use site_url::check_site_url;
pub use urls::{SiteUrls, MAX_SITE_URLS};
