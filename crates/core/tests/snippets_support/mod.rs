//! Shared by the snippet tests: fixed requests, syntax checks with the real tools (node,
//! python3), and independent JWT verification.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use agencydesk_core::jwt::JwtTtl;
use agencydesk_core::keys::{normalize_origin, KeyRestrictions};
use agencydesk_core::snippets::{Snippet, SnippetKind, SnippetLanguage, SnippetRequest};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const PUBLIC_KEY: &str = "5c1d0f4e-7a2b-4c3d-9e8f-0a1b2c3d4e5f";
pub const PRIVATE_KEY: &str = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
pub const ORG_ID: &str = "org-acme-1";
pub const ASSISTANT_ID: &str = "asst-reception";

pub const HOSTILE_NAME: &str =
    "Bob's \"Dental\" </script><script>alert(1)</script> ${x} `y` \u{2028} --> */ \n# @@ORG_ID@@";

pub fn restrictions() -> KeyRestrictions {
    KeyRestrictions::builder()
        .parse_origin("https://acme.com")
        .unwrap()
        .parse_origin("https://www.acme.com")
        .unwrap()
        .assistant(ASSISTANT_ID)
        .build()
        .unwrap()
}

pub fn request(kind: SnippetKind) -> SnippetRequest {
    SnippetRequest {
        kind,
        org_id: ORG_ID.to_owned(),
        public_key_value: kind.uses_public_key().then(|| PUBLIC_KEY.to_owned()),
        assistant_id: ASSISTANT_ID.to_owned(),
        assistant_name: "Receptionist".to_owned(),
        client_name: "Acme Dental".to_owned(),
        api_base_url: None,
        restrictions: restrictions(),
        site_origin: Some(normalize_origin("https://acme.com").unwrap()),
        token_ttl: JwtTtl::default(),
    }
}

pub fn hostile_request(kind: SnippetKind) -> SnippetRequest {
    SnippetRequest {
        assistant_name: HOSTILE_NAME.to_owned(),
        client_name: HOSTILE_NAME.to_owned(),
        ..request(kind)
    }
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("could not run {cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// ES module syntax needs the .mjs extension for `node --check`.
fn js_file_name(code: &str) -> &'static str {
    let module = code
        .lines()
        .any(|l| l.starts_with("import ") || l.starts_with("export "));
    if module {
        "snippet.mjs"
    } else {
        "snippet.cjs"
    }
}

pub fn node_check(dir: &Path, code: &str) -> Result<(), String> {
    let path = dir.join(js_file_name(code));
    std::fs::write(&path, code).map_err(|e| e.to_string())?;
    run(Command::new("node").arg("--check").arg(&path)).map(|_| ())
}

pub fn python_check(dir: &Path, code: &str) -> Result<(), String> {
    let path = dir.join("snippet.py");
    std::fs::write(&path, code).map_err(|e| e.to_string())?;
    run(Command::new("python3")
        .args(["-m", "py_compile"])
        .arg(&path))
    .map(|_| ())
}

/// The JavaScript inside the (single) inline `<script>` element.
pub fn inline_script(html: &str) -> Result<&str, String> {
    let start = html.find("<script>").ok_or("no <script>")? + "<script>".len();
    let end = html.find("</script>").ok_or("no </script>")?;
    if html.matches("</script").count() != 1 || html.matches("<script").count() != 1 {
        return Err("the snippet must contain exactly one script element".into());
    }
    Ok(&html[start..end])
}

/// Brackets balance outside strings and comments (the cheap check for JSX, which node cannot
/// parse).
pub fn brackets_balance(code: &str) -> Result<(), String> {
    let mut stack = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' | '\'' | '`' => {
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if chars[i] == '\n' && c != '`' {
                        return Err(format!("string broken by a newline at char {i}"));
                    }
                    i += 1;
                }
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = stack.pop().ok_or(format!("unmatched {c} at char {i}"))?;
                let expected = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if open != expected {
                    return Err(format!("{open} closed by {c} at char {i}"));
                }
            }
            _ => {}
        }
        i += 1;
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

/// Checks a snippet's main file and companions with the real parsers where one exists.
pub fn check_syntax(snippet: &Snippet) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let files = std::iter::once((snippet.language, snippet.code.as_str())).chain(
        snippet
            .companions
            .iter()
            .map(|c| (c.language, c.code.as_str())),
    );
    for (language, code) in files {
        match language {
            SnippetLanguage::Javascript => node_check(dir.path(), code)?,
            SnippetLanguage::Html => node_check(dir.path(), inline_script(code)?)?,
            SnippetLanguage::Python => python_check(dir.path(), code)?,
            SnippetLanguage::Jsx => {
                brackets_balance(code)?;
                // Everything but the JSX expression must be valid JavaScript.
                let start = code.find("  return (\n").ok_or("no JSX return")?;
                let end = code[start..].find("\n  );\n").ok_or("no end of JSX")? + start;
                let without_jsx = format!("{}  return null;{}", &code[..start], &code[end + 5..]);
                node_check(dir.path(), &without_jsx)?;
            }
        }
    }
    Ok(())
}

/// Verifies an HS256 JWT's signature with `key` and returns its payload.
pub fn verify_jwt(token: &str, key: &str) -> serde_json::Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    let expected = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    assert_eq!(parts[2], expected, "signature does not verify");
    let header: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(header, serde_json::json!({ "alg": "HS256", "typ": "JWT" }));
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

/// Checks the claims every JWT-mode backend must produce.
pub fn assert_public_claims(payload: &serde_json::Value, ttl: i64) {
    assert_eq!(payload["orgId"], ORG_ID);
    assert_eq!(payload["token"]["tag"], "public");
    let wire = serde_json::to_value(restrictions().to_wire()).unwrap();
    assert_eq!(payload["token"]["restrictions"], wire);
    let iat = payload["iat"].as_i64().unwrap();
    let exp = payload["exp"].as_i64().unwrap();
    assert_eq!(exp - iat, ttl);
    let now = chrono::Utc::now().timestamp();
    assert!((iat - now).abs() < 60, "iat {iat} is not now ({now})");
}
