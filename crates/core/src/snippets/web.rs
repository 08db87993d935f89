//! Browser-side snippets: the script-tag widget, `@vapi-ai/web`, a React component, and the
//! front ends of the JWT and proxy modes.

use super::escape::js_string;
use super::template::fill;
use super::values::Values;
use super::warnings::comment_block;
use super::{
    Snippet, SnippetError, SnippetFile, SnippetLanguage, SCRIPT_TAG_BUNDLE_URL, TOKEN_PATH,
};

const PUBLIC_KEY_NOTE: &str =
    "The key below is a PUBLIC key: it can only start web calls, within its restrictions.";

const SCRIPT_TAG: &str = r#"<!-- Vapi voice widget: @@CLIENT@@, assistant @@ASSISTANT@@.
     Paste it just before the closing body tag of every page that should show the call button.
     @@NOTE@@
@@WARNINGS@@-->
<script>
  (function (d, t) {
    var publicKey = @@PUBLIC_KEY@@;
    var assistantId = @@ASSISTANT_ID@@;
    var g = d.createElement(t);
    var s = d.getElementsByTagName(t)[0];
    g.src = @@BUNDLE_URL@@;
    g.defer = true;
    g.async = true;
    s.parentNode.insertBefore(g, s);
    g.onload = function () {
      window.vapiSDK.run({
        apiKey: publicKey,
        assistant: assistantId,
        config: { idle: { title: @@LABEL@@ } },
      });
    };
  })(document, "script");
</script>
"#;

const WEB_SDK: &str = r#"// Voice assistant @@ASSISTANT@@ for @@CLIENT@@, with Vapi's Web SDK.
// Install it with: npm install @vapi-ai/web
// @@NOTE@@
@@WARNINGS@@import Vapi from "@vapi-ai/web";

const PUBLIC_KEY = @@PUBLIC_KEY@@;
const ASSISTANT_ID = @@ASSISTANT_ID@@;
@@VAPI_NEW@@

export function startCall() {
  return vapi.start(ASSISTANT_ID);
}

export function stopCall() {
  vapi.stop();
}

@@BUTTONS@@
export default vapi;
"#;

const BUTTONS: &str = r#"// Every element with a data-vapi-start attribute starts the call, for example
//   <button type="button" data-vapi-start>Talk to us</button>
for (const button of document.querySelectorAll("[data-vapi-start]")) {
  button.addEventListener("click", () => {
    startCall().catch((error) => console.error("The call could not start:", error));
  });
}
"#;

const REACT: &str = r#"// React button for voice assistant @@ASSISTANT@@ (@@CLIENT@@), with Vapi's Web SDK.
// Install it with: npm install @vapi-ai/web
// @@NOTE@@
@@WARNINGS@@import { useEffect, useRef, useState } from "react";
import Vapi from "@vapi-ai/web";

const PUBLIC_KEY = @@PUBLIC_KEY@@;
const ASSISTANT_ID = @@ASSISTANT_ID@@;
const LABEL = @@LABEL@@;
@@BASE_CONST@@
export default function VapiCallButton() {
  const vapiRef = useRef(null);
  const [status, setStatus] = useState("idle");

  useEffect(() => {
    const vapi = new Vapi(@@VAPI_ARGS@@);
    vapiRef.current = vapi;
    vapi.on("call-start", () => setStatus("active"));
    vapi.on("call-end", () => setStatus("idle"));
    vapi.on("error", () => setStatus("idle"));
    return () => {
      vapi.stop();
      vapiRef.current = null;
    };
  }, []);

  const toggle = () => {
    const vapi = vapiRef.current;
    if (!vapi) return;
    if (status === "idle") {
      setStatus("connecting");
      vapi.start(ASSISTANT_ID).catch(() => setStatus("idle"));
    } else {
      vapi.stop();
    }
  };

  return (
    <button type="button" onClick={toggle} disabled={status === "connecting"}>
      {status === "idle" ? LABEL : status === "connecting" ? "Connecting…" : "End call"}
    </button>
  );
}
"#;

const TOKEN_FRONTEND: &str = r#"// Page code for @@CLIENT@@: fetches a short-lived token from the token endpoint, then
// starts voice assistant @@ASSISTANT@@ with Vapi's Web SDK (npm install @vapi-ai/web).
// No key of any kind is in this file.
import Vapi from "@vapi-ai/web";

// Same site by default (serve the endpoint under this path); use the full URL if it runs elsewhere.
const TOKEN_URL = @@TOKEN_URL@@;
const ASSISTANT_ID = @@ASSISTANT_ID@@;
@@BASE_CONST@@
let activeCall = null;

export async function startCall() {
  const response = await fetch(TOKEN_URL, { credentials: "omit" });
  if (!response.ok) {
    throw new Error(`The token endpoint answered ${response.status}`);
  }
  const { token } = await response.json();
  // A new Vapi instance per call: each token expires a few minutes after it is made.
  const call = new Vapi(@@VAPI_ARGS@@);
  let failure = "";
  call.on("call-start-failed", (event) => {
    if (typeof event?.error === "string") failure = event.error;
  });
  // Without a listener the SDK turns its 'error' events into exceptions that say nothing useful.
  call.on("error", (event) => console.error("Vapi:", event));
  // When Vapi refuses the call (this site is not allowed, the token expired) start() resolves to
  // null instead of throwing: say so rather than hand back a call that never started.
  const started = await call.start(ASSISTANT_ID);
  if (!started) {
    throw new Error(`The call could not start${failure ? `: ${failure}` : ""}`);
  }
  activeCall = call;
  return call;
}

export function stopCall() {
  if (activeCall) activeCall.stop();
  activeCall = null;
}

@@BUTTONS@@"#;

const PROXY_FRONTEND: &str = r#"// Page code for @@CLIENT@@: starts voice assistant @@ASSISTANT@@ through your proxy, which adds
// the private key on the server (npm install @vapi-ai/web). No key of any kind is in this file.
import Vapi from "@vapi-ai/web";

// Where vapi-proxy.js runs: the SDK sends its requests there instead of to Vapi.
const PROXY_URL = "https://vapi-proxy.example.com";
const ASSISTANT_ID = @@ASSISTANT_ID@@;
// The proxy ignores this value and authenticates with the private key it holds.
const vapi = new Vapi("proxy", PROXY_URL);

export function startCall() {
  return vapi.start(ASSISTANT_ID);
}

export function stopCall() {
  vapi.stop();
}

@@BUTTONS@@"#;

fn key<'v>(values: &'v Values<'_>) -> Result<&'v str, SnippetError> {
    values
        .js_public_key
        .as_deref()
        .ok_or(SnippetError::MissingPublicKey)
}

fn common<'v>(values: &'v Values<'_>, warnings: &'v str) -> Vec<(&'static str, &'v str)> {
    vec![
        ("CLIENT", values.comment_client.as_str()),
        ("ASSISTANT", values.comment_assistant.as_str()),
        ("ASSISTANT_ID", values.js_assistant_id.as_str()),
        ("LABEL", values.js_label.as_str()),
        ("NOTE", PUBLIC_KEY_NOTE),
        ("WARNINGS", warnings),
        ("BUTTONS", BUTTONS),
    ]
}

/// `const API_BASE_URL = ...;` when the API is not Vapi's own, else nothing.
fn base_const(values: &Values<'_>) -> String {
    match values.custom_base_url {
        Some(_) => format!("const API_BASE_URL = {};\n", values.js_base_url),
        None => String::new(),
    }
}

/// Arguments of `new Vapi(...)` for a given token expression.
fn vapi_args(values: &Values<'_>, token: &str) -> String {
    match values.custom_base_url {
        Some(_) => format!("{token}, API_BASE_URL"),
        None => token.to_owned(),
    }
}

pub(super) fn script_tag(
    values: &Values<'_>,
    warnings: &[String],
) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "     ");
    let bundle = js_string(SCRIPT_TAG_BUNDLE_URL);
    let mut pairs = common(values, &block);
    pairs.extend([
        ("PUBLIC_KEY", key(values)?),
        ("BUNDLE_URL", bundle.as_str()),
    ]);
    Ok(snippet(
        values,
        SnippetLanguage::Html,
        "vapi-widget.html",
        fill(SCRIPT_TAG, &pairs)?,
        warnings,
    ))
}

pub(super) fn web_sdk(values: &Values<'_>, warnings: &[String]) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "// ");
    let vapi_new = format!(
        "{}const vapi = new Vapi({});",
        base_const(values),
        vapi_args(values, "PUBLIC_KEY")
    );
    let mut pairs = common(values, &block);
    pairs.extend([
        ("PUBLIC_KEY", key(values)?),
        ("VAPI_NEW", vapi_new.as_str()),
    ]);
    Ok(snippet(
        values,
        SnippetLanguage::Javascript,
        "vapi-call.js",
        fill(WEB_SDK, &pairs)?,
        warnings,
    ))
}

pub(super) fn react(values: &Values<'_>, warnings: &[String]) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "// ");
    let base = base_const(values);
    let args = vapi_args(values, "PUBLIC_KEY");
    let mut pairs = common(values, &block);
    pairs.extend([
        ("PUBLIC_KEY", key(values)?),
        ("BASE_CONST", base.as_str()),
        ("VAPI_ARGS", args.as_str()),
    ]);
    Ok(snippet(
        values,
        SnippetLanguage::Jsx,
        "VapiCallButton.jsx",
        fill(REACT, &pairs)?,
        warnings,
    ))
}

/// The page code that fetches a token from a JWT-mode backend.
pub(super) fn token_frontend(values: &Values<'_>) -> Result<SnippetFile, SnippetError> {
    let token_url = js_string(TOKEN_PATH);
    let base = base_const(values);
    let args = vapi_args(values, "token");
    let mut pairs = common(values, "");
    pairs.extend([
        ("TOKEN_URL", token_url.as_str()),
        ("BASE_CONST", base.as_str()),
        ("VAPI_ARGS", args.as_str()),
    ]);
    Ok(SnippetFile {
        language: SnippetLanguage::Javascript,
        filename_hint: "vapi-call.js".to_owned(),
        purpose: "Page code: fetches a token from the endpoint above and starts the call."
            .to_owned(),
        code: fill(TOKEN_FRONTEND, &pairs)?,
    })
}

pub(super) fn proxy_frontend(values: &Values<'_>) -> Result<SnippetFile, SnippetError> {
    let pairs = common(values, "");
    Ok(SnippetFile {
        language: SnippetLanguage::Javascript,
        filename_hint: "vapi-call.js".to_owned(),
        purpose: "Page code: starts the call through the proxy above.".to_owned(),
        code: fill(PROXY_FRONTEND, &pairs)?,
    })
}

pub(super) fn snippet(
    values: &Values<'_>,
    language: SnippetLanguage,
    filename: &str,
    code: String,
    warnings: &[String],
) -> Snippet {
    Snippet {
        kind: values.request.kind,
        language,
        filename_hint: filename.to_owned(),
        code,
        warnings: warnings.to_vec(),
        companions: Vec::new(),
    }
}
