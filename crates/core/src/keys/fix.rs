//! One-click fixes for audit findings. The fix the UI sends back is applied only if a fresh
//! audit of the key, on Vapi's live data, still offers exactly that fix: a stale report or a
//! hand-made request cannot change a key in a way the audit did not propose.

use serde::Serialize;
use ts_rs::TS;

use super::audit::{AuditPolicy, Fix};
use super::error::KeysError;
use super::manage::{find_public, IfInUse};
use super::origin::normalize_origin;
use super::restrictions::{push_unique, KeyRestrictions, OriginScope};
use super::rotate::RotationStart;
use super::view::PublicKeyView;
use crate::agency::Agency;
use crate::error::CoreError;
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

impl KeyRestrictions {
    /// These restrictions with a restriction-changing fix applied. Never widens anything, and
    /// never empties the origin list (Vapi would read an empty list as "any website").
    pub fn with_fix(&self, fix: &Fix) -> Result<Self, KeysError> {
        let mut fixed = self.clone();
        match fix {
            Fix::DisallowTransient => fixed.allow_transient = false,
            Fix::UseHttps { from, to } => {
                let to = normalize_origin(to)?;
                let OriginScope::Only(list) = &self.origins else {
                    return Err(KeysError::FixOutdated);
                };
                if !list.iter().any(|o| o.to_string() == *from) {
                    return Err(KeysError::FixOutdated);
                }
                let mut replaced = Vec::new();
                for origin in list {
                    let next = if origin.to_string() == *from {
                        to.clone()
                    } else {
                        origin.clone()
                    };
                    push_unique(&mut replaced, next);
                }
                fixed.origins = OriginScope::Only(replaced);
            }
            Fix::RemoveOrigins { origins } => {
                let OriginScope::Only(list) = &self.origins else {
                    return Err(KeysError::FixOutdated);
                };
                let kept: Vec<_> = list
                    .iter()
                    .filter(|o| !origins.contains(&o.to_string()))
                    .cloned()
                    .collect();
                fixed.unusable_origins.retain(|u| !origins.contains(&u.raw));
                if kept.is_empty() && fixed.unusable_origins.is_empty() {
                    return Err(KeysError::WouldAllowAnyWebsite);
                }
                fixed.origins = OriginScope::Only(kept);
            }
            Fix::ChooseOrigins
            | Fix::ChooseAssistants
            | Fix::ReconnectPrivateKey
            | Fix::RotateKey
            | Fix::DeleteKey => return Err(KeysError::FixNeedsChoice),
        }
        Ok(fixed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::wire::TokenRestrictions;

    fn wire(origins: &[&str]) -> KeyRestrictions {
        KeyRestrictions::from_wire(Some(&TokenRestrictions {
            enabled: Some(true),
            allowed_origins: Some(origins.iter().map(|o| (*o).to_owned()).collect()),
            allowed_assistant_ids: None,
            allow_transient_assistant: None,
        }))
    }

    fn origins(r: &KeyRestrictions) -> Option<Vec<String>> {
        r.to_wire().allowed_origins
    }

    #[test]
    fn https_replaces_http_in_place_and_merges_duplicates() {
        let r = wire(&[
            "http://acme.com",
            "https://www.acme.com",
            "https://acme.com",
        ]);
        let fix = Fix::UseHttps {
            from: "http://acme.com".into(),
            to: "https://acme.com".into(),
        };
        assert_eq!(
            origins(&r.with_fix(&fix).unwrap()),
            Some(vec![
                "https://acme.com".into(),
                "https://www.acme.com".into()
            ])
        );
    }

    #[test]
    fn removing_every_origin_is_refused_because_vapi_would_read_any_website() {
        let r = wire(&["http://localhost:3000"]);
        let fix = Fix::RemoveOrigins {
            origins: vec!["http://localhost:3000".into()],
        };
        assert_eq!(r.with_fix(&fix), Err(KeysError::WouldAllowAnyWebsite));
        let r = wire(&[
            "http://localhost:3000",
            "https://acme.com",
            "https://Acme.com/",
        ]);
        let fix = Fix::RemoveOrigins {
            origins: vec!["http://localhost:3000".into(), "https://Acme.com/".into()],
        };
        let fixed = r.with_fix(&fix).unwrap();
        assert_eq!(origins(&fixed), Some(vec!["https://acme.com".into()]));
        assert!(fixed.unusable_origins().is_empty());
    }

    #[test]
    fn transient_is_turned_off_and_nothing_else_changes() {
        let r = wire(&["https://acme.com"]);
        assert!(
            r.allow_transient(),
            "Vapi's default when assistants are not listed"
        );
        let fixed = r.with_fix(&Fix::DisallowTransient).unwrap();
        assert!(!fixed.allow_transient());
        assert_eq!(origins(&fixed), origins(&r));
        assert_eq!(fixed.assistants(), r.assistants());
    }

    #[test]
    fn fixes_that_need_a_choice_are_not_applied_here() {
        let r = wire(&["https://acme.com"]);
        for fix in [Fix::ChooseOrigins, Fix::ChooseAssistants, Fix::RotateKey] {
            assert_eq!(r.with_fix(&fix), Err(KeysError::FixNeedsChoice));
        }
        let stale = Fix::UseHttps {
            from: "http://gone.example".into(),
            to: "https://gone.example".into(),
        };
        assert_eq!(r.with_fix(&stale), Err(KeysError::FixOutdated));
    }
}
