//! The JWT-mode page code, actually run in Node against a stand-in for `@vapi-ai/web` that
//! behaves like the real SDK 2.x: a refused start emits `call-start-failed` and `error`, then
//! resolves to null (it does not throw), and an `error` with no listener would throw.

#[path = "snippets_support/mod.rs"]
mod support;

use std::process::Command;

use agencydesk_core::snippets::{generate, PrivateKeyGuard, SnippetKind};
use support::*;

const FAKE_SDK: &str = r#"
import { EventEmitter } from "node:events";
export default class Vapi extends EventEmitter {
  constructor(token, apiBaseUrl) {
    super();
    Vapi.made.push({ token, apiBaseUrl });
  }
  async start(assistantId) {
    if (globalThis.REFUSE) {
      this.emit("call-start-failed", { stage: "unknown", error: "Origin Not Allowed" });
      this.emit("error", { type: "start-method-error" });
      return null;
    }
    return { id: "call-1", assistantId };
  }
  stop() {}
}
Vapi.made = [];
"#;

const DRIVER: &str = r#"
globalThis.document = { querySelectorAll: () => [] };
globalThis.fetch = async () => ({ ok: true, status: 200, json: async () => ({ token: "minted-token" }) });
console.error = () => {};
const page = await import(process.argv[2]);
const { default: Vapi } = await import("@vapi-ai/web");
const out = {};
globalThis.REFUSE = true;
try {
  out.refused = { resolved: await page.startCall() };
} catch (error) {
  out.refused = { rejected: error.message };
}
globalThis.REFUSE = false;
const call = await page.startCall();
out.started = { isSdkInstance: call instanceof Vapi, made: Vapi.made };
process.stdout.write(JSON.stringify(out));
"#;

#[test]
fn jwt_page_code_throws_a_clear_error_when_the_call_is_refused() {
    for kind in [
        SnippetKind::JwtNode,
        SnippetKind::JwtWorker,
        SnippetKind::JwtPython,
    ] {
        let snippet = generate(&request(kind), &PrivateKeyGuard::default()).unwrap();
        let page = snippet
            .companions
            .iter()
            .find(|f| f.filename_hint == "vapi-call.js")
            .unwrap_or_else(|| panic!("{kind} has page code"));
        let dir = tempfile::tempdir().unwrap();
        let sdk = dir.path().join("node_modules/@vapi-ai/web");
        std::fs::create_dir_all(&sdk).unwrap();
        std::fs::write(
            sdk.join("package.json"),
            r#"{"name":"@vapi-ai/web","type":"module","main":"index.js"}"#,
        )
        .unwrap();
        std::fs::write(sdk.join("index.js"), FAKE_SDK).unwrap();
        std::fs::write(dir.path().join("package.json"), r#"{"type":"module"}"#).unwrap();
        let file = dir.path().join("vapi-call.js");
        std::fs::write(&file, &page.code).unwrap();
        let driver = dir.path().join("driver.mjs");
        std::fs::write(&driver, DRIVER).unwrap();

        let out = Command::new("node")
            .arg(&driver)
            .arg(format!("file://{}", file.display()))
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{kind}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            result["refused"]["rejected"], "The call could not start: Origin Not Allowed",
            "{kind}: {result}"
        );
        assert_eq!(result["started"]["isSdkInstance"], true, "{kind}: {result}");
        let made = result["started"]["made"].as_array().unwrap();
        assert_eq!(made.len(), 2, "one SDK instance per call: {result}");
        assert!(
            made.iter().all(|m| m["token"] == "minted-token"),
            "{result}"
        );
    }
}
