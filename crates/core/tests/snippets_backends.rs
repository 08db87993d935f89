//! The generated backends, actually run: the JWT endpoints must mint tokens whose signature
//! verifies with the private key and whose claims are Vapi's; the proxy must forward only the
//! chosen assistant with the private key, and only for allowed websites.

#[path = "snippets_support/mod.rs"]
mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use agencydesk_core::snippets::{generate, PrivateKeyGuard, SnippetKind};
use support::*;

/// Kills the child process when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn code_for(kind: SnippetKind) -> String {
    generate(&request(kind), &PrivateKeyGuard::default())
        .unwrap()
        .code
}

/// Starts a server snippet and returns it with the port it printed ("... listening on ...:PORT").
fn start_server(mut cmd: Command) -> (Running, u16) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    (running, port)
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

fn http(port: u16, method: &str, path: &str, origin: Option<&str>, body: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let origin = origin
        .map(|o| format!("Origin: {o}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Reply {
        status,
        head: head.to_lowercase(),
        body: body.to_owned(),
    }
}

#[test]
fn python_token_endpoint_mints_verifiable_public_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vapi_token_server.py");
    std::fs::write(&file, code_for(SnippetKind::JwtPython)).unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(&file)
        .env("VAPI_PRIVATE_KEY", PRIVATE_KEY)
        .env("PORT", "0");
    let (_server, port) = start_server(cmd);

    let ok = http(port, "GET", "/vapi-token", Some("https://www.acme.com"), "");
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(
        ok.head
            .contains("access-control-allow-origin: https://www.acme.com"),
        "{}",
        ok.head
    );
    let body: serde_json::Value = serde_json::from_str(&ok.body).unwrap();
    let payload = verify_jwt(body["token"].as_str().unwrap(), PRIVATE_KEY);
    assert_public_claims(&payload, 600);
    assert_eq!(
        body["expiresAt"].as_i64(),
        payload["exp"].as_i64().map(|e| e * 1000)
    );
    assert!(!ok.body.contains(PRIVATE_KEY));

    let refused = http(port, "GET", "/vapi-token", Some("https://evil.example"), "");
    assert_eq!(refused.status, 403);
    assert!(!refused.head.contains("access-control-allow-origin"));
    assert_eq!(http(port, "GET", "/other", None, "").status, 404);
    // Same-site requests carry no Origin header and are served.
    assert_eq!(http(port, "GET", "/vapi-token", None, "").status, 200);
}

#[test]
fn python_token_endpoint_refuses_to_start_without_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("vapi_token_server.py");
    std::fs::write(&file, code_for(SnippetKind::JwtPython)).unwrap();
    let out = Command::new("python3")
        .arg(&file)
        .env_remove("VAPI_PRIVATE_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("VAPI_PRIVATE_KEY"));
}

const WORKER_DRIVER: &str = r#"
const mod = await import(process.argv[1]);
const env = { VAPI_PRIVATE_KEY: process.env.TEST_PRIVATE_KEY };
const results = [];
for (const [path, origin] of [["/vapi-token", "https://acme.com"], ["/vapi-token", "https://evil.example"], ["/x", null]]) {
  const headers = origin ? { Origin: origin } : {};
  const res = await mod.default.fetch(new Request("https://worker.example" + path, { headers }), env);
  results.push({ status: res.status, cors: res.headers.get("access-control-allow-origin"), body: await res.text() });
}
process.stdout.write(JSON.stringify(results));
"#;

#[test]
fn worker_mints_verifiable_public_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("worker.mjs");
    std::fs::write(&file, code_for(SnippetKind::JwtWorker)).unwrap();
    let out = Command::new("node")
        .args(["--input-type=module", "-e", WORKER_DRIVER])
        .arg(format!("file://{}", file.display()))
        .env("TEST_PRIVATE_KEY", PRIVATE_KEY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results[0]["status"], 200, "{results:?}");
    assert_eq!(results[0]["cors"], "https://acme.com");
    let body: serde_json::Value =
        serde_json::from_str(results[0]["body"].as_str().unwrap()).unwrap();
    let payload = verify_jwt(body["token"].as_str().unwrap(), PRIVATE_KEY);
    assert_public_claims(&payload, 600);
    assert_eq!(results[1]["status"], 403);
    assert_eq!(results[1]["cors"], serde_json::Value::Null);
    assert_eq!(results[2]["status"], 404);
}

/// Stands in for the express package (not installed here): records the middleware and routes
/// so the driver can run the snippet's own handlers.
const FAKE_EXPRESS: &str = r#"
module.exports = function express() {
  return {
    middleware: [], routes: {},
    use(fn) { this.middleware.push(fn); },
    get(path, fn) { this.routes["GET " + path] = fn; },
    listen() {},
  };
};
"#;

const NODE_DRIVER: &str = r#"
const { app } = require(process.argv[1]);
function call(origin) {
  return new Promise((resolve) => {
    const headers = {};
    let status = 200;
    const req = { get: (name) => (name.toLowerCase() === "origin" ? origin : undefined) };
    const res = {
      set(k, v) { headers[k] = v; return res; },
      status(s) { status = s; return res; },
      json(body) { resolve({ status, headers, body }); },
    };
    const chain = [...app.middleware, app.routes["GET /vapi-token"]];
    let i = 0;
    const next = () => chain[i++](req, res, next);
    next();
  });
}
(async () => {
  process.stdout.write(JSON.stringify([await call("https://acme.com"), await call("https://evil.example")]));
})();
"#;

#[test]
fn node_express_endpoint_mints_verifiable_public_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let express = dir.path().join("node_modules/express");
    std::fs::create_dir_all(&express).unwrap();
    std::fs::write(express.join("index.js"), FAKE_EXPRESS).unwrap();
    let file = dir.path().join("vapi-token-server.js");
    std::fs::write(&file, code_for(SnippetKind::JwtNode)).unwrap();
    let out = Command::new("node")
        .args(["-e", NODE_DRIVER])
        .arg(&file)
        .env("VAPI_PRIVATE_KEY", PRIVATE_KEY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(results[0]["status"], 200);
    assert_eq!(
        results[0]["headers"]["Access-Control-Allow-Origin"],
        "https://acme.com"
    );
    let payload = verify_jwt(results[0]["body"]["token"].as_str().unwrap(), PRIVATE_KEY);
    assert_public_claims(&payload, 600);
    assert_eq!(results[1]["status"], 403);
}

/// A one-request-at-a-time stand-in for Vapi that records what the proxy sent.
fn fake_vapi() -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let request = read_request(&mut stream);
            let body =
                r#"{"id":"call-1","type":"webCall","webCallUrl":"https://rooms.example/abc"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            if tx.send(request).is_err() {
                return;
            }
        }
    });
    (port, rx)
}

fn read_request(stream: &mut TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    format!("{head}\r\n{}", String::from_utf8_lossy(&body))
}

fn start_proxy(dir: &Path, upstream: u16) -> (Running, u16) {
    let file = dir.join("vapi-proxy.js");
    std::fs::write(&file, code_for(SnippetKind::Proxy)).unwrap();
    let mut cmd = Command::new("node");
    cmd.arg(&file)
        .env("VAPI_PRIVATE_KEY", PRIVATE_KEY)
        .env("VAPI_API_BASE_URL", format!("http://127.0.0.1:{upstream}"))
        .env("PORT", "0");
    start_server(cmd)
}

#[test]
fn proxy_forwards_only_the_chosen_assistant_with_the_private_key() {
    let (upstream, seen) = fake_vapi();
    let dir = tempfile::tempdir().unwrap();
    let (_proxy, port) = start_proxy(dir.path(), upstream);

    // The page asks for a made-up assistant; the proxy starts the configured one regardless.
    let hostile_body =
        r#"{"assistant":{"model":{"provider":"openai"}},"assistantId":"someone-elses"}"#;
    let reply = http(
        port,
        "POST",
        "/call/web",
        Some("https://acme.com"),
        hostile_body,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert!(reply.body.contains("webCallUrl"));
    assert!(reply
        .head
        .contains("access-control-allow-origin: https://acme.com"));
    let forwarded = seen.recv_timeout(Duration::from_secs(10)).unwrap();
    assert!(forwarded.starts_with("POST /call/web "), "{forwarded}");
    assert!(
        forwarded
            .to_lowercase()
            .contains(&format!("authorization: bearer {PRIVATE_KEY}")),
        "{forwarded}"
    );
    let body: serde_json::Value =
        serde_json::from_str(forwarded.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({ "assistantId": ASSISTANT_ID }));
    assert!(!reply.body.contains(PRIVATE_KEY) && !reply.head.contains(PRIVATE_KEY));
}

#[test]
fn proxy_refuses_other_websites_and_other_paths_without_calling_vapi() {
    let (upstream, seen) = fake_vapi();
    let dir = tempfile::tempdir().unwrap();
    let (_proxy, port) = start_proxy(dir.path(), upstream);

    let refused = http(
        port,
        "POST",
        "/call/web",
        Some("https://evil.example"),
        "{}",
    );
    assert_eq!(refused.status, 403);
    assert!(!refused.head.contains("access-control-allow-origin"));
    assert_eq!(http(port, "POST", "/call/web", None, "{}").status, 403);
    assert_eq!(
        http(port, "POST", "/assistant", Some("https://acme.com"), "{}").status,
        404
    );
    assert_eq!(
        http(port, "GET", "/call/web", Some("https://acme.com"), "").status,
        404
    );
    let preflight = http(
        port,
        "OPTIONS",
        "/call/web",
        Some("https://www.acme.com"),
        "",
    );
    assert_eq!(preflight.status, 204);
    assert!(preflight
        .head
        .contains("access-control-allow-origin: https://www.acme.com"));
    assert!(
        seen.recv_timeout(Duration::from_millis(300)).is_err(),
        "Vapi must not be called"
    );
}
