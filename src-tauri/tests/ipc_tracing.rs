//! Every command runs in a tracing span (`#[ipc::command]`), and a span records ids only. This
//! drives the real commands through Tauri's IPC (its mock runtime, the app's real config and
//! capabilities, no window): open a real agency, link a client org with its private key, refresh
//! it, and try a wrong key, with every log line at TRACE captured. The spans must be there, with
//! the client id, and neither key may appear in any line.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use agencydesk::state::{AppState, KeychainOpener};
use agencydesk_core::keychain::{EphemeralKeychain, SecretStore};
use agencydesk_core::paths::DataDir;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};
use tracing_subscriber::fmt::format::FmtSpan;
use vapi_sim::{Sim, SimConfig};

/// Everything the subscriber printed.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

fn invoke(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize().expect("JSON answer"))
}

#[test]
fn commands_log_spans_with_ids_and_never_a_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let runtime = tokio::runtime::Runtime::new().expect("runtime for the simulator");
    let sim = runtime
        .block_on(Sim::start(
            SimConfig {
                orgs: 1,
                days: 1,
                ..SimConfig::default()
            },
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        ))
        .expect("simulator");
    let manifest = sim.manifest();
    let org = &manifest.orgs[0];
    let wrong_key = "sk-not-a-real-key-3f9c2e71-5b0a-4d8e-9c6f-2a1b7e4d0c93";

    let tmp = tempfile::tempdir().expect("temp dir");
    let store: Arc<dyn SecretStore> = Arc::new(EphemeralKeychain::new());
    let keychain: KeychainOpener = Arc::new(move || Ok(Arc::clone(&store)));
    let app = mock_builder()
        .manage(AppState::new(Ok(DataDir::at(tmp.path())), keychain, false))
        .invoke_handler(agencydesk::commands::handler())
        .build(tauri::generate_context!())
        .expect("app on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");

    invoke(&window, "start_real", json!({})).expect("real agency opens");
    let linked = invoke(
        &window,
        "link_client",
        json!({ "baseUrl": manifest.url, "key": org.private_key }),
    )
    .expect("client links");
    assert_eq!(linked["id"], json!(org.id));
    invoke(&window, "refresh_client", json!({ "clientId": org.id })).expect("client refreshes");
    let refused = invoke(
        &window,
        "link_client",
        json!({ "baseUrl": manifest.url, "key": wrong_key }),
    )
    .expect_err("a wrong key is refused");
    assert!(refused["code"].is_string(), "{refused}");

    let logs = captured.text();
    runtime.block_on(sim.shutdown());
    // Not vacuous: the spans and their ids were logged, and so was the refusal.
    assert!(logs.contains("link_client"), "no link_client span:\n{logs}");
    assert!(
        logs.contains(&format!("client_id={}", org.id)),
        "no client id in the refresh_client span:\n{logs}"
    );
    assert!(
        logs.lines()
            .any(|l| l.contains("link_client") && l.contains("error")),
        "the refused link was not logged:\n{logs}"
    );
    for (what, key) in [("linked", org.private_key.as_str()), ("wrong", wrong_key)] {
        let leaks: Vec<&str> = logs.lines().filter(|l| l.contains(key)).collect();
        assert!(leaks.is_empty(), "the {what} key is in the log: {leaks:?}");
    }
}
