//! Test JWTs, signed inside core: the org's private key is read from the keychain, used and
//! dropped here, so the app and the CLI only ever hold the minted token (a short-lived public
//! credential made to be handed to a browser).

use super::snippet_for::assistant_name;
use crate::agency::Agency;
use crate::error::CoreError;
use crate::jwt::{mint_public_jwt, JwtTtl, MintedJwt};
use crate::keys::restrictions::OriginScope;
use crate::keys::KeyRestrictions;
use crate::keys::KeysError;

impl Agency {
    /// Mints a public JWT for `org_id` carrying `restrictions`, valid for `ttl` from now.
    pub async fn mint_test_jwt(
        &self,
        org_id: &str,
        restrictions: &KeyRestrictions,
        ttl: JwtTtl,
    ) -> Result<MintedJwt, CoreError> {
        let org = self.get_client(org_id.trim())?;
        // Vapi checks the token's times against its own clock, which may differ from ours.
        let now = self.vapi_now(&org.id).await;
        let key = self.private_key(&org.id).await?;
        Ok(mint_public_jwt(&org.id, &key, restrictions, ttl, now)?)
    }

    /// A test token for trying a site with one of its public keys: the key's websites, narrowed
    /// to one assistant the key may start. A key that allows any website gives no site to test,
    /// so it is refused rather than minting a token that works everywhere.
    pub async fn mint_test_jwt_for_key(
        &self,
        org_id: &str,
        key_id: &str,
        assistant_id: &str,
        ttl: JwtTtl,
    ) -> Result<MintedJwt, CoreError> {
        let org = self.get_client(org_id.trim())?;
        let key = self.stored_public_key(&org.id, key_id.trim())?;
        let assistant_id = assistant_id.trim();
        assistant_name(&org, assistant_id)?;
        let allowed = key.restrictions();
        if !allowed.enabled() {
            return Err(KeysError::TestTokenFromDisabledKey.into());
        }
        if !allowed.allows_assistant(assistant_id) {
            return Err(KeysError::AssistantNotAllowed {
                assistant_id: assistant_id.to_owned(),
            }
            .into());
        }
        let origins = match allowed.origins() {
            OriginScope::Only(list) if !list.is_empty() => list.clone(),
            _ => return Err(KeysError::TestTokenNeedsOrigins.into()),
        };
        let restrictions = KeyRestrictions::builder()
            .origins(origins)
            .assistant(assistant_id)
            .build()?;
        self.mint_test_jwt(&org.id, &restrictions, ttl).await
    }
}
