//! One call's recording for the window's player and for dispute kits: from the archive when it
//! is there and whole, else from Vapi with the org's key (held here, never by the page).

use crate::agency::Agency;
use crate::blocking::blocking;
use crate::error::{AgencyError, CoreError};
use crate::store::recordings::archived_file;
use crate::vapi::CallArtifact;

use super::folder::verified;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordingSource {
    Archive,
    Vapi,
}

impl Agency {
    /// The cached call's recording (WAV bytes) and where it came from; `None` when Vapi has
    /// none (nobody spoke, or the call is past Vapi's retention and was never archived).
    pub async fn recording(
        &self,
        call_id: &str,
    ) -> Result<Option<(Vec<u8>, RecordingSource)>, CoreError> {
        let id = call_id.to_owned();
        let (org_id, archived) = self
            .read_blocking(move |c| {
                let org: Option<String> = rusqlite::OptionalExtension::optional(c.query_row(
                    "SELECT org_id FROM calls WHERE id = ?1",
                    [&id],
                    |r| r.get(0),
                ))
                .map_err(crate::store::StoreError::from)?;
                Ok::<_, CoreError>((org, archived_file(c, &id)?))
            })
            .await?;
        let Some(org_id) = org_id else {
            return Err(AgencyError::CallNotFound {
                call_id: call_id.to_owned(),
            }
            .into());
        };
        if let (Some(file), Ok(root)) = (archived, self.archive_folder()) {
            let bytes = blocking(move || {
                Ok::<_, CoreError>(if verified(&root, &file) {
                    std::fs::read(root.join(&file.path)).ok()
                } else {
                    None
                })
            })
            .await?;
            if let Some(bytes) = bytes {
                return Ok(Some((bytes, RecordingSource::Archive)));
            }
        }
        let client = self.client_for(&org_id).await?;
        Ok(client
            .call_artifact(call_id, CallArtifact::MonoRecording)
            .await?
            .map(|bytes| (bytes, RecordingSource::Vapi)))
    }
}
