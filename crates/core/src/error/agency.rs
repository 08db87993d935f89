//! Failures of the agency workflows (linking, creating and managing client orgs). Kept here,
//! beside [`super::CoreError`] which gathers it, so `agency/` and `error/` do not import each other.

use super::code::Code;

#[derive(Debug, thiserror::Error)]
pub enum AgencyError {
    #[error("agencydesk has no org with id {org_id}. Refresh the list of clients.")]
    ClientNotFound { org_id: String },
    #[error("No call {call_id} is cached. Sync its client first, or check the call ID.")]
    CallNotFound { call_id: String },
    #[error(
        "Call {call_id} has no recording: nobody spoke, or Vapi no longer keeps it and it was \
         not archived on this computer."
    )]
    NoRecording { call_id: String },
    #[error(
        "The key for {name} is missing from the keychain (it was removed outside agencydesk). \
         Link this org again: paste its private API key."
    )]
    KeyMissing { name: String },
    #[error(
        "{name} is still waiting for its private API key. Open the org in the Vapi dashboard, \
         copy its private key and paste it here to finish linking."
    )]
    PendingKey { name: String },
    #[error(
        "Link your agency's own Vapi org first: choose Connect, tick \"This is my agency's own \
         Vapi org\" and paste its private API key. agencydesk uses it to create client orgs."
    )]
    AgencyNotLinked,
    #[error(
        "Vapi did not report any org for this key. Check that it is an org's private API key."
    )]
    NoOrgForKey,
    #[error(
        "This key can see several orgs and agencydesk could not tell which one it belongs to. \
         Use a private API key created inside the org you want to link."
    )]
    OrgNotIdentified,
    #[error("{name} is your agency's own org and is already linked as the agency.")]
    AlreadyAgency { name: String },
    #[error(
        "{name} is linked as a client. Unlink it first if it really is your agency's own org."
    )]
    AlreadyClient { name: String },
    #[error(
        "Your agency is already linked to the org {name}. Unlink it first to use another one."
    )]
    OtherAgencyLinked { name: String },
}

impl AgencyError {
    pub fn code(&self) -> Code {
        match self {
            AgencyError::ClientNotFound { .. }
            | AgencyError::CallNotFound { .. }
            | AgencyError::NoRecording { .. } => Code::NotFound,
            AgencyError::KeyMissing { .. }
            | AgencyError::PendingKey { .. }
            | AgencyError::AgencyNotLinked => Code::Unauthorized,
            AgencyError::NoOrgForKey | AgencyError::OrgNotIdentified => Code::InvalidInput,
            AgencyError::AlreadyAgency { .. }
            | AgencyError::AlreadyClient { .. }
            | AgencyError::OtherAgencyLinked { .. } => Code::Conflict,
        }
    }
}
