//! JWT mode: a backend endpoint that mints short-lived public JWTs (HS256) with the private key
//! read from the `VAPI_PRIVATE_KEY` environment variable, so only expiring tokens reach the
//! browser. Each backend is paired with the page code that uses it.
//!
//! The backends check the request's `Origin` only to answer CORS politely; the real limit is in
//! the token: its restrictions list the allowed websites and assistants, and Vapi enforces them.

use super::template::fill;
use super::values::Values;
use super::warnings::comment_block;
use super::web::{snippet, token_frontend};
use super::{Snippet, SnippetError, SnippetLanguage, TOKEN_PATH};

const NODE: &str = r#"// Token endpoint for @@CLIENT@@ (voice assistant @@ASSISTANT@@): mints short-lived Vapi
// public tokens so no key ever appears in the web page.
// Run it with: npm install express && VAPI_PRIVATE_KEY=... node vapi-token-server.js
// The private key is read from the VAPI_PRIVATE_KEY environment variable and never leaves
// this server. Keep it out of source control.
@@WARNINGS@@const crypto = require("node:crypto");
const express = require("express");

const ORG_ID = @@ORG_ID@@;
const TOKEN_TTL_SECONDS = @@TTL@@;
const ALLOWED_ORIGINS = @@ORIGINS@@;
// What every token allows; Vapi refuses anything else.
const RESTRICTIONS = @@RESTRICTIONS@@;

const PRIVATE_KEY = process.env.VAPI_PRIVATE_KEY;
if (!PRIVATE_KEY) {
  console.error("Set the VAPI_PRIVATE_KEY environment variable to the organisation's private key.");
  process.exit(1);
}

function base64url(text) {
  return Buffer.from(text).toString("base64url");
}

function mintPublicToken(nowSeconds = Math.floor(Date.now() / 1000)) {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      orgId: ORG_ID,
      token: { tag: "public", restrictions: RESTRICTIONS },
      iat: nowSeconds,
      exp: nowSeconds + TOKEN_TTL_SECONDS,
    }),
  );
  const signature = crypto
    .createHmac("sha256", PRIVATE_KEY)
    .update(`${header}.${payload}`)
    .digest("base64url");
  return { token: `${header}.${payload}.${signature}`, expiresAt: (nowSeconds + TOKEN_TTL_SECONDS) * 1000 };
}

const app = express();

app.use((req, res, next) => {
  const origin = req.get("origin");
  if (origin && ALLOWED_ORIGINS.includes(origin)) {
    res.set("Access-Control-Allow-Origin", origin);
    res.set("Vary", "Origin");
  }
  next();
});

app.get(@@TOKEN_PATH@@, (req, res) => {
  // Same-site requests may carry no Origin header; cross-site ones must come from the list.
  const origin = req.get("origin");
  if (origin && !ALLOWED_ORIGINS.includes(origin)) {
    res.status(403).json({ error: "This website may not request tokens." });
    return;
  }
  res.set("Cache-Control", "no-store");
  res.json(mintPublicToken());
});

const port = Number(process.env.PORT || 3001);
app.listen(port, () => console.log(`Token endpoint listening on port ${port}`));
module.exports = { app, mintPublicToken };
"#;

const WORKER: &str = r#"// Cloudflare Worker for @@CLIENT@@ (voice assistant @@ASSISTANT@@): mints short-lived Vapi
// public tokens so no key ever appears in the web page.
// Store the private key as a secret, never in this file: wrangler secret put VAPI_PRIVATE_KEY
@@WARNINGS@@const ORG_ID = @@ORG_ID@@;
const TOKEN_TTL_SECONDS = @@TTL@@;
const ALLOWED_ORIGINS = @@ORIGINS@@;
// What every token allows; Vapi refuses anything else.
const RESTRICTIONS = @@RESTRICTIONS@@;

const encoder = new TextEncoder();

function base64url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function mintPublicToken(privateKey, nowSeconds = Math.floor(Date.now() / 1000)) {
  const header = base64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const payload = base64url(
    encoder.encode(
      JSON.stringify({
        orgId: ORG_ID,
        token: { tag: "public", restrictions: RESTRICTIONS },
        iat: nowSeconds,
        exp: nowSeconds + TOKEN_TTL_SECONDS,
      }),
    ),
  );
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(privateKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(`${header}.${payload}`));
  return {
    token: `${header}.${payload}.${base64url(new Uint8Array(signature))}`,
    expiresAt: (nowSeconds + TOKEN_TTL_SECONDS) * 1000,
  };
}

export default {
  async fetch(request, env) {
    const origin = request.headers.get("Origin");
    const allowed = origin !== null && ALLOWED_ORIGINS.includes(origin);
    const cors = allowed ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" } : {};
    if (request.method === "OPTIONS") {
      return new Response(null, { status: allowed ? 204 : 403, headers: { ...cors, "Access-Control-Allow-Methods": "GET, OPTIONS" } });
    }
    const url = new URL(request.url);
    if (request.method !== "GET" || url.pathname !== @@TOKEN_PATH@@) {
      return new Response("Not found", { status: 404 });
    }
    // Same-site requests may carry no Origin header; cross-site ones must come from the list.
    if (origin !== null && !allowed) {
      return new Response("This website may not request tokens.", { status: 403 });
    }
    if (!env.VAPI_PRIVATE_KEY) {
      return new Response("The VAPI_PRIVATE_KEY secret is not set.", { status: 500 });
    }
    const body = JSON.stringify(await mintPublicToken(env.VAPI_PRIVATE_KEY));
    return new Response(body, {
      headers: { ...cors, "Content-Type": "application/json", "Cache-Control": "no-store" },
    });
  },
};
"#;

const PYTHON: &str = r#"# Token endpoint for @@CLIENT@@ (voice assistant @@ASSISTANT@@): mints short-lived Vapi
# public tokens so no key ever appears in the web page. Python 3.8+, standard library only.
# Run it with: VAPI_PRIVATE_KEY=... python3 vapi_token_server.py
# The private key is read from the VAPI_PRIVATE_KEY environment variable and never leaves
# this server. Keep it out of source control.
@@WARNINGS@@import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG_ID = @@ORG_ID@@
TOKEN_TTL_SECONDS = @@TTL@@
ALLOWED_ORIGINS = @@ORIGINS@@
# What every token allows; Vapi refuses anything else.
RESTRICTIONS = json.loads(@@RESTRICTIONS@@)
TOKEN_PATH = @@TOKEN_PATH@@


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def mint_public_token(private_key, now=None):
    now = int(time.time()) if now is None else now
    compact = {"separators": (",", ":")}
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, **compact).encode())
    claims = {
        "orgId": ORG_ID,
        "token": {"tag": "public", "restrictions": RESTRICTIONS},
        "iat": now,
        "exp": now + TOKEN_TTL_SECONDS,
    }
    payload = b64url(json.dumps(claims, **compact).encode())
    signing_input = (header + "." + payload).encode("ascii")
    signature = b64url(hmac.new(private_key.encode(), signing_input, hashlib.sha256).digest())
    return {"token": header + "." + payload + "." + signature, "expiresAt": (now + TOKEN_TTL_SECONDS) * 1000}


class TokenHandler(BaseHTTPRequestHandler):
    private_key = ""

    def _cors_headers(self):
        origin = self.headers.get("Origin")
        if origin in ALLOWED_ORIGINS:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Vary", "Origin")

    def _reply(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self._cors_headers()
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self):
        allowed = self.headers.get("Origin") in ALLOWED_ORIGINS
        self.send_response(204 if allowed else 403)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path.split("?")[0] != TOKEN_PATH:
            self._reply(404, json.dumps({"error": "Not found"}))
            return
        # Same-site requests may carry no Origin header; cross-site ones must come from the list.
        origin = self.headers.get("Origin")
        if origin is not None and origin not in ALLOWED_ORIGINS:
            self._reply(403, json.dumps({"error": "This website may not request tokens."}))
            return
        self._reply(200, json.dumps(mint_public_token(self.private_key)))


def main():
    private_key = os.environ.get("VAPI_PRIVATE_KEY", "")
    if not private_key:
        sys.exit("Set the VAPI_PRIVATE_KEY environment variable to the organisation's private key.")
    TokenHandler.private_key = private_key
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "3001"))
    server = ThreadingHTTPServer((host, port), TokenHandler)
    print("Token endpoint listening on http://%s:%d" % (host, server.server_address[1]), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
"#;

fn js_pairs<'v>(
    values: &'v Values<'_>,
    warnings: &'v str,
    path: &'v str,
) -> Vec<(&'static str, &'v str)> {
    vec![
        ("CLIENT", values.comment_client.as_str()),
        ("ASSISTANT", values.comment_assistant.as_str()),
        ("WARNINGS", warnings),
        ("ORG_ID", values.js_org_id.as_str()),
        ("TTL", values.ttl_secs.as_str()),
        ("ORIGINS", values.js_origins.as_str()),
        ("RESTRICTIONS", values.js_restrictions.as_str()),
        ("TOKEN_PATH", path),
    ]
}

fn with_frontend(values: &Values<'_>, mut snippet: Snippet) -> Result<Snippet, SnippetError> {
    snippet.companions.push(token_frontend(values)?);
    Ok(snippet)
}

pub(super) fn node(values: &Values<'_>, warnings: &[String]) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "// ");
    let path = super::escape::js_string(TOKEN_PATH);
    let code = fill(NODE, &js_pairs(values, &block, &path))?;
    with_frontend(
        values,
        snippet(
            values,
            SnippetLanguage::Javascript,
            "vapi-token-server.js",
            code,
            warnings,
        ),
    )
}

pub(super) fn worker(values: &Values<'_>, warnings: &[String]) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "// ");
    let path = super::escape::js_string(TOKEN_PATH);
    let code = fill(WORKER, &js_pairs(values, &block, &path))?;
    with_frontend(
        values,
        snippet(
            values,
            SnippetLanguage::Javascript,
            "worker.js",
            code,
            warnings,
        ),
    )
}

pub(super) fn python(values: &Values<'_>, warnings: &[String]) -> Result<Snippet, SnippetError> {
    let block = comment_block(warnings, "# ");
    let path = super::escape::python_string(TOKEN_PATH);
    let pairs = [
        ("CLIENT", values.comment_client.as_str()),
        ("ASSISTANT", values.comment_assistant.as_str()),
        ("WARNINGS", block.as_str()),
        ("ORG_ID", values.py_org_id.as_str()),
        ("TTL", values.ttl_secs.as_str()),
        ("ORIGINS", values.py_origins.as_str()),
        ("RESTRICTIONS", values.py_restrictions_json.as_str()),
        ("TOKEN_PATH", path.as_str()),
    ];
    let code = fill(PYTHON, &pairs)?;
    with_frontend(
        values,
        snippet(
            values,
            SnippetLanguage::Python,
            "vapi_token_server.py",
            code,
            warnings,
        ),
    )
}
