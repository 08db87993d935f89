//! Vapi's `TokenRestrictions` as it travels over the wire: the Vapi client's model, re-exported
//! so the key domain and the client share one definition.

pub use crate::vapi::TokenRestrictions;
