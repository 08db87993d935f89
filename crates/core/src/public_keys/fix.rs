//! One-click fixes for audit findings. The fix the UI sends back is applied only if a fresh
//! audit of the key, on Vapi's live data, still offers exactly that fix: a stale report or a
//! hand-made request cannot change a key in a way the audit did not propose.

use serde::Serialize;
use ts_rs::TS;

use super::manage::{find_public, IfInUse};
use super::rotate::RotationStart;
use super::view::PublicKeyView;
use crate::agency::Agency;
use crate::error::CoreError;
use crate::keys::{AuditPolicy, Fix, KeyRestrictions, KeysError};
use crate::vapi::UpdateTokenDto;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum FixOutcome {
    /// The key's restrictions were changed.
    Updated {
        key: Box<PublicKeyView>,
    },
    /// A replacement key was made; the old one keeps working until the rotation is finished.
    RotationStarted {
        rotation: Box<RotationStart>,
    },
    Deleted {
        key_id: String,
    },
}

impl Agency {
    pub async fn apply_fix(
        &self,
        org_id: &str,
        key_id: &str,
        fix: &Fix,
        policy: &AuditPolicy,
    ) -> Result<FixOutcome, CoreError> {
        if !fix.is_one_click() {
            return Err(KeysError::FixNeedsChoice.into());
        }
        let client = self.client_for(org_id).await?;
        let current = client.list_tokens().await?;
        let token = find_public(&current, org_id, key_id)?;
        let live = self.key_view(org_id, token, policy)?;
        if !live.findings.iter().any(|f| f.fix == *fix) {
            return Err(KeysError::FixOutdated.into());
        }
        match fix {
            Fix::RotateKey => Ok(FixOutcome::RotationStarted {
                rotation: Box::new(self.start_key_rotation(org_id, key_id, policy).await?),
            }),
            Fix::DeleteKey => {
                self.delete_public_key(org_id, key_id, IfInUse::Refuse)
                    .await?;
                Ok(FixOutcome::Deleted {
                    key_id: key_id.to_owned(),
                })
            }
            _ => {
                let fixed =
                    KeyRestrictions::from_wire(token.restrictions.as_ref()).with_fix(fix)?;
                let dto = UpdateTokenDto {
                    restrictions: Some(fixed.to_wire()),
                    ..UpdateTokenDto::default()
                };
                let updated = client.update_token(key_id, &dto).await?;
                self.resync_keys(org_id).await;
                Ok(FixOutcome::Updated {
                    key: Box::new(self.key_view(org_id, &updated, policy)?),
                })
            }
        }
    }
}
