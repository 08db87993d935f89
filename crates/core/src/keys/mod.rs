//! Restricted public keys: origin validation, restrictions as a domain type with safe defaults,
//! plain-words descriptions, and the key hygiene audit's pure rules and fixes. A leaf: it knows
//! nothing of `Agency`; managing keys at Vapi is `crate::public_keys`.

pub mod audit;
pub mod builder;
pub mod describe;
mod error;
mod fix;
pub mod origin;
pub mod origin_advice;
mod origin_check;
mod origin_error;
mod origin_parse;
pub mod request;
pub mod restrictions;
pub mod wire;

pub use audit::{
    audit_all, audit_private_key, audit_public_key, AuditPolicy, Finding, FindingKind, Fix,
    PrivateKeyCheck, PrivateKeyStatus, PublicKeyFacts, Severity,
};
pub use builder::{
    Acknowledgement, OverrideScope, RestrictionsBuilder, RestrictionsError, UnrestrictedOverride,
};
pub use describe::RestrictionSummary;
pub use error::KeysError;
pub use origin::{normalize_origin, Host, Origin, OriginError, Scheme};
pub use origin_advice::{suggestions, OriginWarning, OriginWarningKind};
pub use origin_check::{check_origin, OriginCheck};
pub use request::RestrictionsRequest;
pub use restrictions::{AssistantScope, KeyRestrictions, OriginScope, UnusableOrigin};
