//! Restricted public keys: origin validation, restrictions as a domain type with safe defaults,
//! plain-words descriptions, and the key hygiene audit.

pub mod audit;
pub mod builder;
pub mod describe;
pub mod origin;
pub mod origin_advice;
mod origin_error;
mod origin_parse;
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
pub use origin::{normalize_origin, Host, Origin, OriginError, Scheme};
pub use origin_advice::{suggestions, OriginWarning, OriginWarningKind};
pub use restrictions::{AssistantScope, KeyRestrictions, OriginScope, UnusableOrigin};
