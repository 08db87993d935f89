//! `agencydesk snippet`: the code that puts a client's voice assistant on their website.
//!
//! Everything comes from the local store (the client must be linked): the public key's value
//! and restrictions, the assistant's name, the org's API address. Core does the generating, the
//! escaping and the refusing of private keys; this file only gathers the inputs and prints.

use std::io::Write;
use std::sync::Arc;

use agencydesk_core::agency::ClientOrgView;
use agencydesk_core::error::CoreError;
use agencydesk_core::jwt::JwtTtl;
use agencydesk_core::keys::wire::TokenRestrictions;
use agencydesk_core::keys::{normalize_origin, KeyRestrictions, Origin};
use agencydesk_core::snippets::{
    generate, PrivateKeyGuard, Snippet, SnippetKind, SnippetLanguage, SnippetRequest,
};
use agencydesk_core::store::tokens::{self, TokenRow};
use clap::Args;

use crate::error::AppError;
use crate::state::{AppState, Session};

#[derive(Debug, Args)]
pub struct SnippetArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long)]
    pub org: String,
    /// The public key to use. Required for script-tag, web-sdk and react; for the JWT and proxy
    /// kinds its restrictions become those of the minted tokens or the proxy.
    #[arg(long)]
    pub key: Option<String>,
    /// The assistant the snippet starts.
    #[arg(long)]
    pub assistant: String,
    /// script-tag, web-sdk, react, jwt-node, jwt-worker, jwt-python or proxy.
    #[arg(long)]
    pub kind: SnippetKind,
    /// The website the snippet is for, e.g. https://acme.com: warns when the key does not allow
    /// it. Without --key, the JWT and proxy kinds allow exactly this website.
    #[arg(long, value_parser = parse_origin)]
    pub site_origin: Option<Origin>,
    /// The Vapi API address the snippet calls. Defaults to the org's own (the one it was linked
    /// with), so a client linked against a test server gets snippets for that server.
    #[arg(long)]
    pub api_base_url: Option<String>,
    /// Lifetime of the tokens the JWT-mode backends mint: 30s to 1h.
    #[arg(long, default_value = "10m")]
    pub token_ttl: JwtTtl,
    /// Print the snippet, its warnings and its further files as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_origin(text: &str) -> Result<Origin, String> {
    // clap shows this message as the reason the argument was refused (exit status 2).
    normalize_origin(text).map_err(|e| e.to_string())
}

pub async fn run(demo: bool, args: SnippetArgs) -> Result<(), AppError> {
    let (state, session) = open_session(demo).await?;
    let built = build(&session, &args);
    drop(session);
    state.close_session().await;
    let snippet = built?;
    if args.json {
        let mut text = serde_json::to_string_pretty(&snippet).map_err(|e| AppError::Output {
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        return write_stdout(&text);
    }
    for warning in &snippet.warnings {
        eprintln!("warning: {warning}");
    }
    if !snippet.companions.is_empty() {
        eprintln!(
            "note: this snippet has {} files, printed one after the other; --json gives them \
             separately.",
            snippet.companions.len() + 1
        );
    }
    write_stdout(&plain_text(&snippet))
}

fn build(session: &Session, args: &SnippetArgs) -> Result<Snippet, AppError> {
    let agency = &session.agency;
    let org = agency.get_client(args.org.trim())?;
    let assistant_id = args.assistant.trim();
    let assistant = org
        .assistants
        .iter()
        .find(|a| a.id == assistant_id)
        .ok_or_else(|| unknown_assistant(&org, assistant_id))?;
    let token = match args.key.as_deref().map(str::trim) {
        Some(key_id) => Some(public_token(session, &org, key_id)?),
        None if args.kind.uses_public_key() => {
            return Err(invalid_input(format!(
                "The {} snippet embeds a public key: choose one with --key ({}).",
                args.kind,
                key_hint(session, &org)?
            )));
        }
        None => None,
    };
    let restrictions = match &token {
        Some(token) => restrictions_of(token)?,
        None => tokens_for_site(args, assistant_id)?,
    };
    let guard = PrivateKeyGuard::new(
        agency
            .list_clients()?
            .into_iter()
            .filter_map(|c| c.key_fingerprint),
    );
    let api_base_url = args
        .api_base_url
        .clone()
        .unwrap_or_else(|| org.base_url.clone());
    let request = SnippetRequest {
        kind: args.kind,
        org_id: org.id.clone(),
        public_key_value: token.and_then(|t| t.value),
        assistant_id: assistant.id.clone(),
        assistant_name: assistant.name.clone().unwrap_or_default(),
        client_name: org.name.clone(),
        api_base_url: Some(api_base_url),
        restrictions,
        site_origin: args.site_origin.clone(),
        token_ttl: args.token_ttl,
    };
    generate(&request, &guard).map_err(invalid_input)
}

/// The stored public key `key_id` of `org`, with its value.
fn public_token(
    session: &Session,
    org: &ClientOrgView,
    key_id: &str,
) -> Result<TokenRow, AppError> {
    let row = session
        .agency
        .store()
        .read(|c| Ok::<_, CoreError>(tokens::get(c, key_id)?))?
        .filter(|t| t.org_id == org.id);
    let Some(row) = row else {
        return Err(invalid_input(format!(
            "{} has no key {key_id}. {}",
            org.name,
            key_hint(session, org)?
        )));
    };
    if !row.is_public() {
        return Err(invalid_input(format!(
            "Key {key_id} is a {} key, not a public one: only public keys may go in a web page.",
            row.tag
        )));
    }
    if row.value.is_none() {
        return Err(invalid_input(format!(
            "The value of public key {key_id} is not stored here yet. Link {} again to fetch it.",
            org.name
        )));
    }
    Ok(row)
}

fn restrictions_of(token: &TokenRow) -> Result<KeyRestrictions, AppError> {
    let wire: Option<TokenRestrictions> = token
        .restrictions
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|_| {
            invalid_input(format!(
                "The stored restrictions of key {} cannot be read. Link the org again to \
                 fetch them.",
                token.id
            ))
        })?;
    Ok(KeyRestrictions::from_wire(wire.as_ref()).with_enabled(token.enabled))
}

/// Without a key, the JWT and proxy kinds serve exactly the site and assistant asked for.
fn tokens_for_site(args: &SnippetArgs, assistant_id: &str) -> Result<KeyRestrictions, AppError> {
    let Some(site) = &args.site_origin else {
        return Err(invalid_input(format!(
            "Say which website the {} snippet serves with --site-origin, or give --key to use \
             that key's restrictions.",
            args.kind
        )));
    };
    KeyRestrictions::builder()
        .origin(site.clone())
        .assistant(assistant_id)
        .build()
        .map_err(invalid_input)
}

fn unknown_assistant(org: &ClientOrgView, assistant_id: &str) -> AppError {
    let known: Vec<String> = org
        .assistants
        .iter()
        .map(|a| format!("{} ({})", a.id, a.name.as_deref().unwrap_or("unnamed")))
        .collect();
    let known = if known.is_empty() {
        "it has none stored; link it again to fetch them".to_owned()
    } else {
        format!("its assistants: {}", known.join(", "))
    };
    invalid_input(format!(
        "{} has no assistant {assistant_id}: {known}.",
        org.name
    ))
}

/// The org's public keys, for error messages that say what to type instead.
fn key_hint(session: &Session, org: &ClientOrgView) -> Result<String, AppError> {
    let ids: Vec<String> = session
        .agency
        .store()
        .read(|c| Ok::<_, CoreError>(tokens::list_for_org(c, &org.id)?))?
        .into_iter()
        .filter(TokenRow::is_public)
        .map(|t| match t.name {
            Some(name) => format!("{} ({name})", t.id),
            None => t.id,
        })
        .collect();
    Ok(if ids.is_empty() {
        format!("{} has no public key stored", org.name)
    } else {
        format!("its public keys: {}", ids.join(", "))
    })
}

/// The main file, then each further file under a comment naming it.
fn plain_text(snippet: &Snippet) -> String {
    let mut out = snippet.code.clone();
    for file in &snippet.companions {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let title = format!("{}: {}", file.filename_hint, file.purpose);
        let heading = match file.language {
            SnippetLanguage::Html => format!("<!-- ===== {title} ===== -->"),
            SnippetLanguage::Python => format!("# ===== {title} ====="),
            SnippetLanguage::Javascript | SnippetLanguage::Jsx => format!("// ===== {title} ====="),
        };
        out.push('\n');
        out.push_str(&heading);
        out.push('\n');
        out.push_str(&file.code);
    }
    out
}

/// Opens the agency the CLI works on: the demo (fresh, in this process) or the real one.
pub(super) async fn open_session(demo: bool) -> Result<(AppState, Arc<Session>), AppError> {
    let state = AppState::from_env(false);
    if demo {
        state.start_demo().await?;
    } else {
        state.start_real().await?;
    }
    let session = state.session().await?;
    Ok((state, session))
}

/// A refusal of what was asked, in core's words.
pub(super) fn invalid_input(reason: impl std::fmt::Display) -> AppError {
    AppError::Core(CoreError::InvalidInput(reason.to_string()))
}

pub(super) fn write_stdout(text: &str) -> Result<(), AppError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| AppError::Output { source })
}

#[cfg(test)]
mod tests {
    use agencydesk_core::snippets::SnippetFile;

    use super::*;

    fn file(language: SnippetLanguage, name: &str, code: &str) -> SnippetFile {
        SnippetFile {
            language,
            filename_hint: name.to_owned(),
            purpose: "Page code.".to_owned(),
            code: code.to_owned(),
        }
    }

    #[test]
    fn plain_text_heads_each_further_file_in_its_own_comment_syntax() {
        let snippet = Snippet {
            kind: SnippetKind::JwtPython,
            language: SnippetLanguage::Python,
            filename_hint: "vapi_token_server.py".to_owned(),
            code: "print(1)".to_owned(),
            warnings: Vec::new(),
            companions: vec![
                file(SnippetLanguage::Javascript, "vapi-call.js", "go();\n"),
                file(SnippetLanguage::Html, "index.html", "<p></p>\n"),
            ],
        };
        assert_eq!(
            plain_text(&snippet),
            "print(1)\n\n// ===== vapi-call.js: Page code. =====\ngo();\n\
             \n<!-- ===== index.html: Page code. ===== -->\n<p></p>\n"
        );
    }

    #[test]
    fn plain_text_of_a_single_file_is_the_file() {
        let snippet = Snippet {
            kind: SnippetKind::WebSdk,
            language: SnippetLanguage::Javascript,
            filename_hint: "vapi-call.js".to_owned(),
            code: "const a = 1;\n".to_owned(),
            warnings: vec!["careful".to_owned()],
            companions: Vec::new(),
        };
        assert_eq!(plain_text(&snippet), "const a = 1;\n");
    }

    #[test]
    fn site_origins_are_normalised_or_refused_with_the_reason() {
        assert_eq!(
            parse_origin("HTTPS://Acme.com:443").map(|o| o.to_string()),
            Ok("https://acme.com".to_owned())
        );
        let refused = parse_origin("https://acme.com/contact").unwrap_err();
        assert!(refused.contains("path"), "{refused}");
    }
}
