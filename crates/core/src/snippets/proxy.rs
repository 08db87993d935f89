//! The proxy pattern from Vapi's proxy guide: the page talks to a small server of the client's,
//! which calls Vapi's `POST /call/web` with the private key kept server-side.
//!
//! Written for Node 18+ with built-in modules only (`node:http`, global `fetch`), so it runs
//! without installing anything. It starts only the chosen assistant, whatever the browser asks
//! for, so the proxy cannot be used to run other or made-up assistants on the client's bill.

use super::template::fill;
use super::values::Values;
use super::warnings::comment_block;
use super::web::{proxy_frontend, snippet};
use super::{Snippet, SnippetError, SnippetLanguage};

const PROXY: &str = r#"// Vapi proxy for @@CLIENT@@ (voice assistant @@ASSISTANT@@), after Vapi's proxy server guide:
// the page sends its call request here and this server calls Vapi with the private key.
// Run it with: VAPI_PRIVATE_KEY=... node vapi-proxy.js   (Node 18 or newer, no packages needed)
// The private key is read from the VAPI_PRIVATE_KEY environment variable and never leaves
// this server. Keep it out of source control.
@@WARNINGS@@const http = require("node:http");

const VAPI_API_BASE_URL = process.env.VAPI_API_BASE_URL || @@BASE_URL@@;
// The only assistant this proxy starts, whatever the page asks for.
const ASSISTANT_ID = @@ASSISTANT_ID@@;
// Websites allowed to use the proxy (exact origins, as browsers send them).
const ALLOWED_ORIGINS = @@ORIGINS@@;

const PRIVATE_KEY = process.env.VAPI_PRIVATE_KEY;
if (!PRIVATE_KEY) {
  console.error("Set the VAPI_PRIVATE_KEY environment variable to the organisation's private key.");
  process.exit(1);
}

function send(res, status, headers, body) {
  res.writeHead(status, { ...headers, "Content-Type": "application/json", "Cache-Control": "no-store" });
  res.end(body);
}

const server = http.createServer(async (req, res) => {
  const origin = req.headers.origin;
  const allowed = typeof origin === "string" && ALLOWED_ORIGINS.includes(origin);
  const cors = allowed
    ? {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        Vary: "Origin",
      }
    : {};
  // The request body is not used: the assistant is fixed above.
  req.resume();
  if (req.method === "OPTIONS") {
    res.writeHead(allowed ? 204 : 403, cors);
    res.end();
    return;
  }
  const path = (req.url || "").split("?")[0];
  if (req.method !== "POST" || path !== "/call/web") {
    send(res, 404, cors, JSON.stringify({ message: "Not found" }));
    return;
  }
  if (!allowed) {
    send(res, 403, cors, JSON.stringify({ message: "This website may not use this proxy." }));
    return;
  }
  try {
    const upstream = await fetch(`${VAPI_API_BASE_URL}/call/web`, {
      method: "POST",
      headers: { Authorization: `Bearer ${PRIVATE_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ assistantId: ASSISTANT_ID }),
    });
    send(res, upstream.status, cors, await upstream.text());
  } catch (error) {
    console.error("Vapi could not be reached:", error);
    send(res, 502, cors, JSON.stringify({ message: "Vapi could not be reached." }));
  }
});

const port = Number(process.env.PORT || 3002);
server.listen(port, process.env.HOST || "127.0.0.1", () => {
  console.log(`Vapi proxy listening on http://${server.address().address}:${server.address().port}`);
});
"#;

pub(super) fn node(values: &Values<'_>, warnings: &[String]) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "// ");
    let pairs = [
        ("CLIENT", values.comment_client.as_str()),
        ("ASSISTANT", values.comment_assistant.as_str()),
        ("WARNINGS", block.as_str()),
        ("BASE_URL", values.js_base_url.as_str()),
        ("ASSISTANT_ID", values.js_assistant_id.as_str()),
        ("ORIGINS", values.js_origins.as_str()),
    ];
    let mut out = snippet(
        values,
        SnippetLanguage::Javascript,
        "vapi-proxy.js",
        fill(PROXY, &pairs)?,
        warnings,
    );
    out.companions.push(proxy_frontend(values)?);
    Ok(out)
}
