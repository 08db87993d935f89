//! Restricted public keys: origin validation, restrictions as a domain type with safe defaults,
//! plain-words descriptions, the key hygiene audit, and managing keys at Vapi (list, create,
//! edit, disable, delete, rotate, audit across orgs, snippets for a stored key).

pub mod audit;
mod audit_run;
pub mod builder;
pub mod describe;
mod error;
mod fix;
mod manage;
mod mint;
pub mod origin;
pub mod origin_advice;
mod origin_check;
mod origin_error;
mod origin_parse;
pub mod request;
pub mod restrictions;
mod rotate;
mod snippet_for;
mod view;
pub mod wire;

pub use audit::{
    audit_all, audit_private_key, audit_public_key, AuditPolicy, Finding, FindingKind, Fix,
    PrivateKeyCheck, PrivateKeyStatus, PublicKeyFacts, Severity,
};
pub use audit_run::{KeyAuditReport, UncheckedOrg};
pub use builder::{
    Acknowledgement, OverrideScope, RestrictionsBuilder, RestrictionsError, UnrestrictedOverride,
};
pub use describe::RestrictionSummary;
pub use error::KeysError;
pub use fix::FixOutcome;
pub use manage::{IfInUse, MAX_KEY_NAME_CHARS};
pub use origin::{normalize_origin, Host, Origin, OriginError, Scheme};
pub use origin_advice::{suggestions, OriginWarning, OriginWarningKind};
pub use origin_check::{check_origin, OriginCheck};
pub use request::RestrictionsRequest;
pub use restrictions::{AssistantScope, KeyRestrictions, OriginScope, UnusableOrigin};
pub use rotate::RotationStart;
pub use snippet_for::SnippetChoice;
pub use view::PublicKeyView;
