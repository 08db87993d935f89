//! What is risky about the chosen key (or token restrictions) for this site, and how those
//! warnings are written into the code as comments.

use crate::keys::describe::{ANY_ASSISTANT_WARNING, ANY_ORIGIN_WARNING, TRANSIENT_WARNING};
use crate::keys::{AssistantScope, OriginScope};

use super::escape::comment_text;
use super::{SnippetKind, SnippetRequest, VAPI_API_BASE_URL};

const WRAP_AT: usize = 92;

pub(super) fn for_request(request: &SnippetRequest) -> Vec<String> {
    let r = &request.restrictions;
    let mut out = Vec::new();
    let assistant = request.assistant_name.trim();
    let assistant = if assistant.is_empty() {
        request.assistant_id.trim()
    } else {
        assistant
    };
    let proxy = request.kind == SnippetKind::Proxy;
    let subject = if request.kind.uses_public_key() {
        "This key"
    } else {
        "The minted tokens"
    };

    if !r.enabled() && !proxy {
        out.push(if request.kind.uses_public_key() {
            "This key is turned off: calls will fail until it is turned on again.".to_owned()
        } else {
            "These restrictions are turned off: tokens made from them cannot start calls."
                .to_owned()
        });
    }
    match r.origins() {
        OriginScope::Any if proxy => out.push(
            "No website is listed, so the proxy refuses every browser request: add the client's \
             site to ALLOWED_ORIGINS."
                .to_owned(),
        ),
        OriginScope::Any if request.kind.uses_public_key() => {
            out.push(ANY_ORIGIN_WARNING.to_owned());
        }
        OriginScope::Any => out.push(
            "The minted tokens are not limited to your client's website: a copied token works on \
             any site until it expires."
                .to_owned(),
        ),
        OriginScope::Only(list) if list.is_empty() => {
            out.push("No listed website is a valid address, so no site can use this.".to_owned());
        }
        OriginScope::Only(_) => {}
    }
    if let Some(site) = &request.site_origin {
        if !r.allows_origin(site) {
            let whom = match (proxy, request.kind.uses_public_key()) {
                (true, _) => "The proxy does not serve",
                (false, true) => "This key does not allow",
                (false, false) => "The minted tokens do not allow",
            };
            out.push(format!("{whom} {site}: calls from that site will be refused. Add {site} to the allowed websites."));
        } else if let Some(twin) = site.www_twin().filter(|t| !r.allows_origin(t)) {
            if matches!(r.origins(), OriginScope::Only(_)) {
                out.push(format!(
                    "{twin} is not allowed: visitors who reach the site at {twin} will be refused. \
                     Add it unless the site never answers there."
                ));
            }
        }
    }
    if !proxy {
        if !r.allows_assistant(request.assistant_id.trim()) {
            out.push(format!(
                "{subject} may not start {assistant}: calls will be refused. Allow it in the \
                 restrictions or choose another key."
            ));
        }
        if *r.assistants() == AssistantScope::Any {
            out.push(ANY_ASSISTANT_WARNING.to_owned());
        }
        if r.allow_transient() {
            out.push(TRANSIENT_WARNING.to_owned());
        }
    }
    let custom_base = request
        .api_base_url
        .as_deref()
        .map(|u| u.trim().trim_end_matches('/'));
    if request.kind == SnippetKind::ScriptTag
        && custom_base.is_some_and(|u| !u.is_empty() && u != VAPI_API_BASE_URL)
    {
        out.push(
            "The script-tag widget always calls api.vapi.ai; the custom API address is not used. \
             Use the web-sdk snippet to reach another address."
                .to_owned(),
        );
    }
    out
}

/// The warnings as comment lines, each starting with `prefix` ("// ", "# ", or "     " inside an
/// HTML comment), ending with a newline; empty when there is nothing to say.
pub(super) fn comment_block(warnings: &[String], prefix: &str) -> String {
    let mut out = String::new();
    for warning in warnings {
        let mut first = true;
        for line in wrap(&comment_text(warning)) {
            let lead = if first { "WARNING: " } else { "         " };
            out.push_str(prefix);
            out.push_str(lead);
            out.push_str(&line);
            out.push('\n');
            first = false;
        }
    }
    out
}

fn wrap(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > WRAP_AT {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
