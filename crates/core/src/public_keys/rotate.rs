//! Key rotation in two steps, so a client is never left without a working key:
//!
//! 1. [`Agency::start_key_rotation`] creates the replacement with the same restrictions and
//!    says which snippets must change. Both keys work.
//! 2. After the site is updated, [`Agency::finish_key_rotation`] checks the replacement still
//!    works and turns the old key off. It is not deleted: if a page was missed, turning it back
//!    on is one click. Delete it later with [`Agency::delete_public_key`].

use chrono::Utc;
use serde::Serialize;
use ts_rs::TS;

use super::manage::{find_public, set_enabled, today, MAX_KEY_NAME_CHARS};
use super::view::PublicKeyView;
use crate::agency::Agency;
use crate::error::CoreError;
use crate::keys::audit::AuditPolicy;
use crate::keys::KeysError;
use crate::snippets::SnippetKind;
use crate::vapi::{CreateTokenDto, TokenRestrictions, TokenTag};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct RotationStart {
    pub old_key: PublicKeyView,
    pub new_key: PublicKeyView,
    /// The snippet kinds that embed the key value and must be regenerated and redeployed.
    /// JWT-mode and proxy set-ups use the private key and are unaffected.
    pub snippets_to_update: Vec<SnippetKind>,
    /// What to do next, in order, in plain words.
    pub next_steps: Vec<String>,
}

impl Agency {
    pub async fn start_key_rotation(
        &self,
        org_id: &str,
        key_id: &str,
        policy: &AuditPolicy,
    ) -> Result<RotationStart, CoreError> {
        let client = self.client_for(org_id).await?;
        let current = client.list_tokens().await?;
        let old = find_public(&current, org_id, key_id)?;
        // The restrictions exactly as stored, switched on: the new key must allow what the old
        // one allowed, no more (re-deriving them could widen a field Vapi left implicit).
        let restrictions = TokenRestrictions {
            enabled: Some(true),
            ..old.restrictions.clone().unwrap_or_default()
        };
        let dto = CreateTokenDto {
            tag: TokenTag::Public,
            name: Some(rotated_name(old.name.as_deref(), &today(Utc::now()))),
            restrictions: Some(restrictions),
        };
        let new = client.create_token(&dto).await?;
        self.resync_keys(org_id).await;
        let snippets_to_update: Vec<SnippetKind> = SnippetKind::ALL
            .into_iter()
            .filter(|k| k.uses_public_key())
            .collect();
        let kinds: Vec<&str> = snippets_to_update.iter().map(|k| k.as_str()).collect();
        Ok(RotationStart {
            old_key: self.key_view(org_id, old, policy)?,
            new_key: self.key_view(org_id, &new, policy)?,
            next_steps: vec![
                format!(
                    "Regenerate the {} snippets with the new key and put them on every page that \
                     uses the old one. Both keys work until you finish the rotation.",
                    kinds.join(", ")
                ),
                "Finish the rotation: the old key is turned off (not deleted), so it can be \
                 turned back on if a page was missed."
                    .to_owned(),
                "Delete the old key after a few days without complaints.".to_owned(),
            ],
            snippets_to_update,
        })
    }

    /// Turns the old key off once the replacement is confirmed to exist and be switched on.
    pub async fn finish_key_rotation(
        &self,
        org_id: &str,
        old_key_id: &str,
        new_key_id: &str,
        policy: &AuditPolicy,
    ) -> Result<PublicKeyView, CoreError> {
        let client = self.client_for(org_id).await?;
        let current = client.list_tokens().await?;
        let old = find_public(&current, org_id, old_key_id)?;
        let replacement_works = old_key_id != new_key_id
            && find_public(&current, org_id, new_key_id).is_ok_and(|t| t.is_enabled());
        if !replacement_works {
            return Err(KeysError::ReplacementNotWorking {
                key_id: new_key_id.to_owned(),
            }
            .into());
        }
        let updated = set_enabled(&client, old, false).await?;
        self.resync_keys(org_id).await;
        self.key_view(org_id, &updated, policy)
    }
}

/// "Website" becomes "Website (rotated 2025-06-01)", shortened to Vapi's 40 characters.
fn rotated_name(old: Option<&str>, date: &str) -> String {
    let suffix = format!(" (rotated {date})");
    let base = old
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or("Public key");
    // An earlier rotation's suffix is replaced, not stacked.
    let base = base.split(" (rotated ").next().unwrap_or(base);
    let room = MAX_KEY_NAME_CHARS.saturating_sub(suffix.chars().count());
    let base: String = base.chars().take(room).collect();
    format!("{}{suffix}", base.trim_end())
}

#[cfg(test)]
mod tests {
    use super::rotated_name;

    #[test]
    fn rotated_names_fit_vapis_limit_and_do_not_stack() {
        assert_eq!(
            rotated_name(Some("Website"), "2025-06-01"),
            "Website (rotated 2025-06-01)"
        );
        assert_eq!(
            rotated_name(Some("Website (rotated 2025-01-01)"), "2025-06-01"),
            "Website (rotated 2025-06-01)"
        );
        assert_eq!(
            rotated_name(None, "2025-06-01"),
            "Public key (rotated 2025-06-01)"
        );
        let long = rotated_name(Some(&"x".repeat(60)), "2025-06-01");
        assert_eq!(long.chars().count(), 40);
        assert!(long.ends_with("(rotated 2025-06-01)"));
    }
}
