//! The update feed a build checks, fixed when it is built: `AGENCYDESK_UPDATE_URL` (the feed's
//! JSON, https) and `AGENCYDESK_UPDATE_PUBKEY` (the public key, as the Tauri CLI's signer prints
//! it, that every package in the feed must be signed with). The page never names a feed: it can
//! only ask this build's own feed. A build made without them never checks.

use tauri::Url;

use crate::error::AppError;

#[derive(Debug, Clone)]
pub struct UpdateFeed {
    url: Url,
    pubkey: String,
}

impl UpdateFeed {
    pub fn new(url: &str, pubkey: &str) -> Result<Self, AppError> {
        let url = Url::parse(url.trim()).map_err(|e| AppError::UpdateFeedInvalid {
            detail: format!("the feed address does not parse: {e}"),
        })?;
        let pubkey = pubkey.trim();
        if pubkey.is_empty() {
            return Err(AppError::UpdateFeedInvalid {
                detail: "no public key".to_owned(),
            });
        }
        Ok(UpdateFeed {
            url,
            pubkey: pubkey.to_owned(),
        })
    }

    /// The feed named when this binary was built (src-tauri/build.rs requires both or neither).
    pub fn built_in() -> Option<Self> {
        let url = option_env!("AGENCYDESK_UPDATE_URL").unwrap_or_default();
        let pubkey = option_env!("AGENCYDESK_UPDATE_PUBKEY").unwrap_or_default();
        if url.trim().is_empty() || pubkey.trim().is_empty() {
            return None;
        }
        match Self::new(url, pubkey) {
            Ok(feed) => Some(feed),
            Err(error) => {
                tracing::error!(%error, "the update feed built in is unusable: no update checks");
                None
            }
        }
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    pub fn pubkey(&self) -> &str {
        &self.pubkey
    }

    /// What Settings shows: where updates come from (the host, not the whole address).
    pub fn host(&self) -> String {
        self.url.host_str().unwrap_or_default().to_owned()
    }
}
