//! Copy-paste snippets that put a client's voice assistant on their website.
//!
//! Safety rules, enforced here rather than left to the templates:
//! - No private key, ever: [`generate`] has no parameter that could carry one, refuses a
//!   "public" key that the [`PrivateKeyGuard`] recognises, and scans the finished code again.
//! - Every interpolated value is escaped for its context by [`escape`].
//! - Risks of the chosen key (any website, any assistant, transient assistants, not this site)
//!   are written into the snippet as comments and returned as `warnings` for the UI.

mod error;
pub mod escape;
mod guard;
mod jwt_backends;
mod proxy;
mod template;
mod values;
mod warnings;
mod web;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::jwt::JwtTtl;
use crate::keys::{KeyRestrictions, Origin};

pub use error::SnippetError;
pub use guard::PrivateKeyGuard;

/// Vapi's own API, the default for every snippet.
pub const VAPI_API_BASE_URL: &str = "https://api.vapi.ai";
/// The official script-tag widget bundle.
pub const SCRIPT_TAG_BUNDLE_URL: &str =
    "https://cdn.jsdelivr.net/gh/VapiAI/html-script-tag@latest/dist/assets/index.js";
/// Where the JWT-mode front ends fetch their token, relative to the page.
pub const TOKEN_PATH: &str = "/vapi-token";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SnippetKind {
    /// Vapi's script-tag widget: a floating call button, no build step.
    ScriptTag,
    /// `@vapi-ai/web` from npm, for sites with a bundler.
    WebSdk,
    /// A React component around `@vapi-ai/web`.
    React,
    /// A Node/Express endpoint minting short-lived JWTs, plus the front end using it.
    JwtNode,
    /// The same as a Cloudflare Worker.
    JwtWorker,
    /// The same in Python (standard library only).
    JwtPython,
    /// A small server that forwards `/call/web` with the private key kept server-side.
    Proxy,
}

impl SnippetKind {
    pub const ALL: [SnippetKind; 7] = [
        Self::ScriptTag,
        Self::WebSdk,
        Self::React,
        Self::JwtNode,
        Self::JwtWorker,
        Self::JwtPython,
        Self::Proxy,
    ];

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ScriptTag => "script-tag",
            Self::WebSdk => "web-sdk",
            Self::React => "react",
            Self::JwtNode => "jwt-node",
            Self::JwtWorker => "jwt-worker",
            Self::JwtPython => "jwt-python",
            Self::Proxy => "proxy",
        }
    }

    /// Whether the snippet embeds a public key (the others authenticate server-side).
    pub fn uses_public_key(self) -> bool {
        matches!(self, Self::ScriptTag | Self::WebSdk | Self::React)
    }
}

impl fmt::Display for SnippetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SnippetKind {
    type Err = SnippetError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or(SnippetError::InvalidValue {
                field: "snippet kind",
                expected:
                    "one of script-tag, web-sdk, react, jwt-node, jwt-worker, jwt-python, proxy",
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SnippetLanguage {
    Html,
    Javascript,
    Jsx,
    Python,
}

/// A further file some snippets need (the front end of a JWT or proxy backend).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SnippetFile {
    pub language: SnippetLanguage,
    pub filename_hint: String,
    /// What the file is for, one line.
    pub purpose: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Snippet {
    pub kind: SnippetKind,
    pub language: SnippetLanguage,
    pub filename_hint: String,
    pub code: String,
    /// Risks of the chosen key for this site, also written into the code as comments.
    pub warnings: Vec<String>,
    /// Further files, in the order to read them (e.g. the page code using a token endpoint).
    pub companions: Vec<SnippetFile>,
}

/// Everything a snippet is made from. There is deliberately no field for a private key.
#[derive(Debug, Clone)]
pub struct SnippetRequest {
    pub kind: SnippetKind,
    pub org_id: String,
    /// The public key to embed; required for the kinds that embed one, ignored by the others
    /// (but still checked, so a private key passed by mistake is refused either way).
    pub public_key_value: Option<String>,
    pub assistant_id: String,
    pub assistant_name: String,
    pub client_name: String,
    /// `None` for Vapi's own API.
    pub api_base_url: Option<String>,
    /// The public key's restrictions, or, in JWT mode, the restrictions each minted token
    /// carries; in proxy mode its origins are the ones the proxy serves.
    pub restrictions: KeyRestrictions,
    /// The website the snippet is for, to warn when the key does not allow it.
    pub site_origin: Option<Origin>,
    /// Lifetime of tokens minted by the JWT-mode backends.
    pub token_ttl: JwtTtl,
}

/// Builds the snippet for `request`, or refuses with a reason.
pub fn generate(
    request: &SnippetRequest,
    guard: &PrivateKeyGuard,
) -> Result<Snippet, SnippetError> {
    if let Some(value) = &request.public_key_value {
        guard.check_public_key(value.trim())?;
    }
    let values = values::Values::prepare(request)?;
    let warnings = warnings::for_request(request);
    let snippet = match request.kind {
        SnippetKind::ScriptTag => web::script_tag(&values, &warnings)?,
        SnippetKind::WebSdk => web::web_sdk(&values, &warnings)?,
        SnippetKind::React => web::react(&values, &warnings)?,
        SnippetKind::JwtNode => jwt_backends::node(&values, &warnings)?,
        SnippetKind::JwtWorker => jwt_backends::worker(&values, &warnings)?,
        SnippetKind::JwtPython => jwt_backends::python(&values, &warnings)?,
        SnippetKind::Proxy => proxy::node(&values, &warnings)?,
    };
    guard.check_generated(&snippet.code)?;
    for file in &snippet.companions {
        guard.check_generated(&file.code)?;
    }
    Ok(snippet)
}
