//! `agencydesk snippet`: the code that puts a client's voice assistant on their website.
//!
//! Core's `Agency::snippet` gathers everything from the local store (the client must be linked),
//! generates, escapes and refuses private keys; this file checks the arguments against what is
//! stored, to say what to type instead, and prints.

use agencydesk_core::agency::{Agency, ClientOrgView};
use agencydesk_core::jwt::JwtTtl;
use agencydesk_core::keys::{AuditPolicy, Origin};
use agencydesk_core::public_keys::SnippetChoice;
use agencydesk_core::snippets::{Snippet, SnippetKind, SnippetLanguage};
use clap::Args;

use super::args::{self, invalid_input};
use super::output::{json, write_stdout};
use super::session::with_agency;
use crate::error::AppError;

// Transitional: `invoice` and `chart` still open the agency through here; they move to
// `session::with_agency` and `output` when they leave `commands::billing`.

#[derive(Debug, Args)]
pub struct SnippetArgs {
    /// The client org (see `agencydesk clients list`).
    #[arg(long, value_parser = args::id)]
    pub org: String,
    /// The public key to use. Required for script-tag, web-sdk and react; for the JWT and proxy
    /// kinds its restrictions become those of the minted tokens or the proxy.
    #[arg(long, value_parser = args::id)]
    pub key: Option<String>,
    /// The assistant the snippet starts.
    #[arg(long, value_parser = args::id)]
    pub assistant: String,
    /// script-tag, web-sdk, react, jwt-node, jwt-worker, jwt-python or proxy.
    #[arg(long)]
    pub kind: SnippetKind,
    /// The website the snippet is for, e.g. https://acme.com: warns when the key does not allow
    /// it. Without --key, the JWT and proxy kinds allow exactly this website.
    #[arg(long, value_parser = args::origin)]
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

pub async fn run(demo: bool, args: SnippetArgs) -> Result<(), AppError> {
    let json_wanted = args.json;
    let snippet = with_agency(demo, |session| async move { build(&session.agency, args) }).await?;
    if json_wanted {
        return write_stdout(&json(&snippet)?);
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

fn build(agency: &Agency, args: SnippetArgs) -> Result<Snippet, AppError> {
    let org = agency.get_client(&args.org)?;
    args::assistant(&org, &args.assistant)?;
    match &args.key {
        Some(key_id)
            if !public_key_ids(agency, &org)?
                .iter()
                .any(|(id, _)| id == key_id) =>
        {
            return Err(invalid_input(format!(
                "{} has no key {key_id}. {}",
                org.name,
                key_hint(agency, &org)?
            )));
        }
        None if args.kind.uses_public_key() => {
            return Err(invalid_input(format!(
                "The {} snippet embeds a public key: choose one with --key ({}).",
                args.kind,
                key_hint(agency, &org)?
            )));
        }
        None if args.site_origin.is_none() => {
            return Err(invalid_input(format!(
                "Say which website the {} snippet serves with --site-origin, or give --key to \
                 use that key's restrictions.",
                args.kind
            )));
        }
        Some(_) | None => {}
    }
    let choice = SnippetChoice {
        kind: args.kind,
        key_id: args.key,
        assistant_id: args.assistant,
        site_origin: args.site_origin.map(|o| o.to_string()),
        token_ttl: args.token_ttl,
        api_base_url: args.api_base_url,
    };
    Ok(agency.snippet(&org.id, &choice)?)
}

/// The org's public keys as last synced: id and name.
fn public_key_ids(
    agency: &Agency,
    org: &ClientOrgView,
) -> Result<Vec<(String, Option<String>)>, AppError> {
    let policy = AuditPolicy::new(chrono::Utc::now());
    Ok(agency
        .public_keys(&org.id, &policy)?
        .into_iter()
        .map(|key| (key.id, key.name))
        .collect())
}

/// The org's public keys, for error messages that say what to type instead.
fn key_hint(agency: &Agency, org: &ClientOrgView) -> Result<String, AppError> {
    let ids: Vec<String> = public_key_ids(agency, org)?
        .into_iter()
        .map(|(id, name)| match name {
            Some(name) => format!("{id} ({name})"),
            None => id,
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
}
