//! Each client org's site URLs: stored ones, or by default the origins its public keys allow.

use serde::Serialize;
use ts_rs::TS;

use super::site_url::check_site_url;
use crate::agency::Agency;
use crate::error::CoreError;
use crate::keys::KeyRestrictions;
use crate::store::{site_scans, time, tokens};
use crate::vapi::TokenRestrictions;

/// Site URLs a client may have.
pub const MAX_SITE_URLS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SiteUrls {
    pub org_id: String,
    pub urls: Vec<String>,
    /// None are stored: these are the origins the org's enabled public keys allow.
    pub from_keys: bool,
}

impl Agency {
    pub fn site_urls(&self, org_id: &str) -> Result<SiteUrls, CoreError> {
        let org = self.get_client(org_id)?;
        let stored = self.store().read(|c| site_scans::urls(c, &org.id))?;
        if !stored.is_empty() {
            return Ok(SiteUrls {
                org_id: org.id,
                urls: stored,
                from_keys: false,
            });
        }
        let rows = self.store().read(|c| tokens::list_for_org(c, &org.id))?;
        let mut urls: Vec<String> = Vec::new();
        for row in rows.iter().filter(|r| r.is_public()) {
            let wire: Option<TokenRestrictions> = row
                .restrictions
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok());
            let restrictions = KeyRestrictions::from_wire(wire.as_ref());
            if !restrictions.enabled() {
                continue;
            }
            for origin in restrictions.origin_list() {
                let url = format!("{origin}/");
                if !urls.contains(&url) {
                    urls.push(url);
                }
            }
        }
        urls.truncate(MAX_SITE_URLS);
        Ok(SiteUrls {
            org_id: org.id,
            urls,
            from_keys: true,
        })
    }

    /// Adds a page to scan (validated and normalised). The first addition replaces the default
    /// list taken from the keys.
    pub fn add_site_url(&self, org_id: &str, url: &str) -> Result<SiteUrls, CoreError> {
        let url = check_site_url(url)?.to_string();
        let current = self.site_urls(org_id)?;
        let mut urls = if current.from_keys {
            Vec::new()
        } else {
            current.urls
        };
        if !urls.contains(&url) {
            if urls.len() >= MAX_SITE_URLS {
                return Err(CoreError::InvalidInput(format!(
                    "A client can have at most {MAX_SITE_URLS} site addresses: remove one first."
                )));
            }
            urls.push(url);
        }
        self.save_site_urls(org_id, &urls)
    }

    /// Removes a page; with none left, the default list from the keys applies again.
    pub fn remove_site_url(&self, org_id: &str, url: &str) -> Result<SiteUrls, CoreError> {
        let current = self.site_urls(org_id)?;
        let urls: Vec<String> = current.urls.into_iter().filter(|u| u != url).collect();
        self.save_site_urls(org_id, &urls)
    }

    fn save_site_urls(&self, org_id: &str, urls: &[String]) -> Result<SiteUrls, CoreError> {
        let now = time::now();
        self.store()
            .write(|tx| Ok::<_, CoreError>(site_scans::set_urls(tx, org_id, urls, &now)?))?;
        self.site_urls(org_id)
    }
}
