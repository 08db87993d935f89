//! The key hygiene audit across every linked org: gathers live token lists (which also tests
//! each org's private key) and hands them to the pure rules in [`crate::keys::audit`].

use serde::Serialize;
use ts_rs::TS;

use super::view::KeyRecord;
use crate::agency::{Agency, ClientOrgView};
use crate::error::CoreError;
use crate::keys::audit::{
    audit_all, AuditPolicy, Finding, PrivateKeyCheck, PrivateKeyStatus, PublicKeyFacts,
};
use crate::site_scan::SiteScanSummary;
use crate::store::clients::OrgStatus;
use crate::store::tokens;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct UncheckedOrg {
    pub org_id: String,
    pub org_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct KeyAuditReport {
    /// Most severe first.
    pub findings: Vec<Finding>,
    pub orgs_checked: u32,
    pub keys_checked: u32,
    /// Orgs whose keys could not be fetched live; their public keys were judged from the last
    /// sync, and their private key could not be tested.
    pub unchecked: Vec<UncheckedOrg>,
    /// Each org's last site check (keys found on its pages), for orgs that had one.
    pub site_checks: Vec<SiteScanSummary>,
}

/// One org's keys as gathered for the audit.
struct Gathered {
    org: ClientOrgView,
    status: PrivateKeyStatus,
    keys: Vec<KeyRecord>,
}

impl Agency {
    /// Audits every linked org. Orgs are fetched one after another: agencies have tens of
    /// clients, and a burst of parallel calls is what Vapi rate-limits.
    pub async fn audit_keys(&self, policy: &AuditPolicy) -> Result<KeyAuditReport, CoreError> {
        let mut gathered = Vec::new();
        let mut unchecked = Vec::new();
        for org in self.list_clients()? {
            if org.status == OrgStatus::PendingKey {
                unchecked.push(unchecked_org(&org, "waiting for its private API key"));
                continue;
            }
            let live = match self.client_for(&org.id).await {
                Ok(client) => client.list_tokens().await.map_err(CoreError::from),
                Err(e) => Err(e),
            };
            let (status, keys) = match live {
                Ok(tokens) => {
                    let keys = tokens
                        .iter()
                        .filter(|t| t.org_id == org.id && t.is_public())
                        .map(KeyRecord::from_token)
                        .collect();
                    (PrivateKeyStatus::Works, keys)
                }
                Err(CoreError::Vapi(e)) if e.is_key_rejected() => {
                    (PrivateKeyStatus::Rejected, self.stored_keys(&org.id)?)
                }
                Err(e) => {
                    unchecked.push(unchecked_org(&org, &e.to_string()));
                    (PrivateKeyStatus::Unchecked, self.stored_keys(&org.id)?)
                }
            };
            gathered.push(Gathered { org, status, keys });
        }

        let restrictions: Vec<Vec<_>> = gathered
            .iter()
            .map(|g| g.keys.iter().map(KeyRecord::restrictions).collect())
            .collect();
        let public: Vec<PublicKeyFacts<'_>> = gathered
            .iter()
            .zip(&restrictions)
            .flat_map(|(g, rs)| {
                g.keys.iter().zip(rs).map(move |(k, r)| PublicKeyFacts {
                    org_id: &g.org.id,
                    org_name: &g.org.name,
                    key_id: &k.id,
                    key_name: k.name.as_deref(),
                    created_at: k.created_at,
                    restrictions: r,
                })
            })
            .collect();
        let private: Vec<PrivateKeyCheck<'_>> = gathered
            .iter()
            .map(|g| PrivateKeyCheck {
                org_id: &g.org.id,
                org_name: &g.org.name,
                status: g.status,
            })
            .collect();
        let mut site_checks = Vec::new();
        for g in &gathered {
            if let Some(scan) = self.last_site_scan(&g.org.id)? {
                site_checks.push(scan.summary(&g.org.name));
            }
        }
        Ok(KeyAuditReport {
            site_checks,
            findings: audit_all(&public, &private, policy),
            orgs_checked: count(gathered.len()),
            keys_checked: count(public.len()),
            unchecked,
        })
    }

    fn stored_keys(&self, org_id: &str) -> Result<Vec<KeyRecord>, CoreError> {
        let rows = self.store().read(|c| tokens::list_for_org(c, org_id))?;
        Ok(rows
            .iter()
            .filter(|r| r.is_public())
            .map(KeyRecord::from_row)
            .collect::<Result<_, _>>()?)
    }
}

fn unchecked_org(org: &ClientOrgView, reason: &str) -> UncheckedOrg {
    UncheckedOrg {
        org_id: org.id.clone(),
        org_name: org.name.clone(),
        reason: reason.to_owned(),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
