//! Managing public keys at Vapi, as `Agency` methods: list, create, edit, turn off, delete and
//! rotate keys, apply audit fixes, run the key audit across every linked org, mint test tokens
//! and make snippets for a stored key.
//!
//! These live here rather than in `keys/` because they need `agency/`, `jwt` and `snippets/`,
//! which themselves build on `keys/`' domain types (origins, restrictions, the pure audit
//! rules): `keys/` stays a leaf, this module sits over it, as `office/` sits over `billing/`.

mod audit_run;
mod fix;
mod manage;
mod mint;
mod rotate;
mod snippet_for;
mod view;

pub use audit_run::{KeyAuditReport, UncheckedOrg};
pub use fix::FixOutcome;
pub use manage::{IfInUse, MAX_KEY_NAME_CHARS};
pub use rotate::RotationStart;
pub use snippet_for::SnippetChoice;
pub use view::PublicKeyView;
