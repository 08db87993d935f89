//! Running a scan: gather the linked orgs' keys, fetch each site page and its same-site
//! scripts within the limits, classify every key-shaped value, store the report for the org.

use std::collections::HashSet;

use chrono::Utc;
use url::Url;

use super::classify::{classify, digest, KnownKeys, PublicFact};
use super::fetch::{Fetched, Fetcher};
use super::html::script_sources;
use super::limits::ScanLimits;
use super::report::{ExposureFinding, ScannedResource, SiteScanReport};
use super::site_url::{check_site_url, same_site};
use crate::agency::Agency;
use crate::error::CoreError;
use crate::key_shapes::key_shaped_values;
use crate::keys::{normalize_origin, KeyRestrictions, Origin};
use crate::sensitive::SecretKey;
use crate::store::clients::OrgStatus;
use crate::store::{site_scans, time, tokens};
use crate::vapi::TokenRestrictions;

/// One scan in progress.
struct Scan {
    known: KnownKeys,
    fetcher: Fetcher,
    limits: ScanLimits,
    now_secs: i64,
    resources: Vec<ScannedResource>,
    findings: Vec<ExposureFinding>,
    seen: HashSet<(String, String)>,
}

impl Agency {
    /// Scans one page (and its same-site scripts); with `org_id`, the report becomes that
    /// client's last site check.
    pub async fn scan_site(
        &self,
        url: &str,
        org_id: Option<&str>,
    ) -> Result<SiteScanReport, CoreError> {
        self.scan_sites_limited(&[url.to_owned()], org_id, &ScanLimits::default())
            .await
    }

    /// Scans every site URL of a client (see [`Agency::site_urls`]).
    pub async fn scan_client_sites(&self, org_id: &str) -> Result<SiteScanReport, CoreError> {
        let urls = self.site_urls(org_id)?;
        if urls.urls.is_empty() {
            return Err(CoreError::InvalidInput(
                "This client has no site address yet and no public key with allowed origins: \
                 add the address of a page of its site first."
                    .to_owned(),
            ));
        }
        self.scan_sites_limited(&urls.urls, Some(org_id), &ScanLimits::default())
            .await
    }

    /// The scan with explicit limits.
    pub async fn scan_sites_limited(
        &self,
        urls: &[String],
        org_id: Option<&str>,
        limits: &ScanLimits,
    ) -> Result<SiteScanReport, CoreError> {
        let sites = urls
            .iter()
            .map(|u| check_site_url(u))
            .collect::<Result<Vec<Url>, _>>()?;
        let org = org_id.map(|id| self.get_client(id)).transpose()?;
        let (known, notes) = self.known_keys().await?;
        let mut scan = Scan {
            known,
            fetcher: Fetcher::new(limits)?,
            limits: limits.clone(),
            now_secs: Utc::now().timestamp(),
            resources: Vec::new(),
            findings: Vec::new(),
            seen: HashSet::new(),
        };
        for site in &sites {
            scan.site(site).await;
        }
        let mut findings = scan.findings;
        findings.sort_by(|a, b| (a.severity, &a.url, &a.key).cmp(&(b.severity, &b.url, &b.key)));
        let report = SiteScanReport {
            org_id: org.as_ref().map(|o| o.id.clone()),
            scanned_at: time::now(),
            sites: sites.iter().map(ToString::to_string).collect(),
            resources: scan.resources,
            findings,
            notes,
        };
        if let Some(org) = org {
            let json = serde_json::to_string(&report)
                .map_err(|e| CoreError::Internal(format!("site check report: {e}")))?;
            self.store().write(|tx| {
                Ok::<_, CoreError>(site_scans::save_scan(
                    tx,
                    &org.id,
                    &report.scanned_at,
                    &json,
                )?)
            })?;
        }
        Ok(report)
    }

    /// The client's last site check, if it had one.
    pub fn last_site_scan(&self, org_id: &str) -> Result<Option<SiteScanReport>, CoreError> {
        let org = self.get_client(org_id)?;
        let json = self.store().read(|c| site_scans::last_scan(c, &org.id))?;
        // A report this version cannot read is as good as none: the next scan replaces it.
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
    }

    /// The keys of every linked org: private keys from the keychain, reduced to digests at once;
    /// public keys and retired ones from the store. Notes say what could not be read.
    async fn known_keys(&self) -> Result<(KnownKeys, Vec<String>), CoreError> {
        let mut known = KnownKeys::default();
        let mut notes = Vec::new();
        let orgs = self.list_clients()?;
        for org in &orgs {
            known.org_names.insert(org.id.clone(), org.name.clone());
            known.not_keys.insert(org.id.clone());
            known
                .not_keys
                .extend(org.assistants.iter().map(|a| a.id.clone()));
            if org.status != OrgStatus::PendingKey {
                match self.private_key(&org.id).await {
                    Ok(key) => known.private.push((hash_key(&key), org.id.clone())),
                    Err(e) => notes.push(format!(
                        "The private key of {} could not be read ({e}): a leak of it would not \
                         be recognised.",
                        org.name
                    )),
                }
            }
            let rows = self.store().read(|c| tokens::list_for_org(c, &org.id))?;
            for row in rows.into_iter().filter(|r| r.is_public()) {
                let Some(value) = row.value.clone() else {
                    continue;
                };
                let wire: Option<TokenRestrictions> = row
                    .restrictions
                    .as_deref()
                    .and_then(|json| serde_json::from_str(json).ok());
                let restrictions = KeyRestrictions::from_wire(wire.as_ref());
                known.public.insert(
                    value,
                    PublicFact {
                        org_id: org.id.clone(),
                        key_id: row.id,
                        enabled: row.enabled && restrictions.enabled(),
                        restrictions,
                    },
                );
            }
        }
        for retired in self.store().read(site_scans::retired_keys)? {
            if known.org_names.contains_key(&retired.org_id) {
                known
                    .retired
                    .insert(retired.value, (retired.org_id, retired.key_id));
            }
        }
        Ok((known, notes))
    }
}

fn hash_key(key: &SecretKey) -> [u8; 32] {
    digest(key.expose())
}

impl Scan {
    async fn site(&mut self, site: &Url) {
        let (page_url, text, truncated) = match self.fetcher.get(site, site).await {
            Fetched::Body {
                final_url,
                text,
                truncated,
            } => (final_url, text, truncated),
            Fetched::Refused(why) => {
                self.note(site.as_str(), false, Some(why));
                return;
            }
        };
        self.note(site.as_str(), true, truncated.then(|| self.cut_note()));
        let origin = page_origin(&page_url);
        self.search(&text, &page_url, site, origin.as_ref());

        let mut fetched = 0;
        let mut done: HashSet<Url> = HashSet::new();
        for src in script_sources(&text) {
            let Ok(mut script) = page_url.join(&src) else {
                continue;
            };
            script.set_fragment(None);
            if !done.insert(script.clone()) {
                continue;
            }
            if !same_site(site, &script) {
                self.note(
                    script.as_str(),
                    false,
                    Some("not fetched: a script on another site".to_owned()),
                );
                continue;
            }
            if fetched >= self.limits.max_scripts {
                self.note(
                    script.as_str(),
                    false,
                    Some(format!(
                        "not fetched: the page loads more than {} scripts",
                        self.limits.max_scripts
                    )),
                );
                continue;
            }
            fetched += 1;
            match self.fetcher.get(&script, site).await {
                Fetched::Body {
                    final_url,
                    text,
                    truncated,
                } => {
                    self.note(script.as_str(), true, truncated.then(|| self.cut_note()));
                    self.search(&text, &final_url, site, origin.as_ref());
                }
                Fetched::Refused(why) => self.note(script.as_str(), false, Some(why)),
            }
        }
    }

    fn search(&mut self, text: &str, found_in: &Url, site: &Url, origin: Option<&Origin>) {
        for hit in key_shaped_values(text) {
            let Some(verdict) = classify(&self.known, &hit, text, origin, self.now_secs) else {
                continue;
            };
            let key = SecretKey::new(hit.value.to_owned()).fingerprint();
            if !self.seen.insert((key.clone(), found_in.to_string())) {
                continue;
            }
            self.findings.push(ExposureFinding {
                key,
                kind: verdict.kind,
                severity: verdict.severity,
                org_name: verdict
                    .org_id
                    .as_ref()
                    .and_then(|id| self.known.org_names.get(id).cloned()),
                org_id: verdict.org_id,
                key_id: verdict.key_id,
                url: found_in.to_string(),
                site: site.to_string(),
                message: verdict.message,
            });
        }
    }

    fn note(&mut self, url: &str, scanned: bool, note: Option<String>) {
        self.resources.push(ScannedResource {
            url: url.to_owned(),
            scanned,
            note,
        });
    }

    fn cut_note(&self) -> String {
        format!(
            "only the first {} KiB were read (size limit)",
            self.limits
                .max_resource_bytes
                .min(self.limits.max_total_bytes)
                / 1024
        )
    }
}

/// The `Origin` a browser sends from this page.
fn page_origin(url: &Url) -> Option<Origin> {
    normalize_origin(&url.origin().ascii_serialization()).ok()
}
