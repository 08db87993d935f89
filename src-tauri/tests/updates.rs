//! "Check for updates" and "Install" through the window's IPC (Tauri's mock runtime, the app's
//! real config and capabilities, no window) against an update feed on 127.0.0.1, signed with a
//! minisign key made here, in the format the Tauri CLI's signer writes. A signed newer version is
//! offered with its notes and its package checks out; a tampered package, a signature from
//! another key, and an older package passed off as the new version are each refused with a
//! message saying so, before anything is installed. This test binary is no .deb or .rpm
//! install, so even a genuine package is never installed over it (and the test says that too).

use std::net::{Ipv4Addr, SocketAddr};

use axum::routing::get;
use axum::Router;
use base64::Engine;
use minisign::KeyPair;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use agencydesk::updates::{self, feed::UpdateFeed};

const NEW_VERSION: &str = "0.2.0";
const NOTES: &str = "Faster sync.\nInvoices in JPY.";

/// A throwaway update signing key: the public key as the app is built with it, and a signer.
struct SigningKey(KeyPair);

impl SigningKey {
    fn new() -> Self {
        SigningKey(KeyPair::generate_unencrypted_keypair().expect("key pair"))
    }

    /// base64 of the minisign public key file, as `cargo tauri signer generate` prints it.
    fn public(&self) -> String {
        let file = self.0.pk.to_box().expect("public key box").into_string();
        base64::engine::general_purpose::STANDARD.encode(file)
    }

    /// base64 of the `.sig` file the Tauri CLI writes beside a package signed for `version`.
    fn sign(&self, package: &[u8], version: &str) -> String {
        let trusted =
            format!("timestamp:1764547200\tfile:agencydesk_{version}_amd64.deb\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            package,
            Some(&trusted),
            Some("signature from tauri secret key"),
        )
        .expect("signature");
        base64::engine::general_purpose::STANDARD.encode(signature.into_string())
    }
}

/// A feed on 127.0.0.1 announcing `version` with `signature`, and the package it points to.
struct Feed {
    url: String,
    _runtime: tokio::runtime::Runtime,
}

fn serve(version: &str, signature: &str, package: Vec<u8>) -> Feed {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(SocketAddr::from((
            Ipv4Addr::LOCALHOST,
            0,
        ))))
        .expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let platform = format!("linux-{}", std::env::consts::ARCH);
    let manifest = json!({
        "version": version,
        "notes": NOTES,
        "pub_date": "2026-12-01T09:00:00Z",
        "platforms": {
            platform: {
                "url": format!("{base}/agencydesk_{version}_amd64.deb"),
                "signature": signature,
            }
        }
    });
    let app = Router::new()
        .route(
            "/latest.json",
            get(move || {
                let manifest = manifest.clone();
                async move { axum::Json(manifest) }
            }),
        )
        .route(
            &format!("/agencydesk_{version}_amd64.deb"),
            get(move || {
                let package = package.clone();
                async move { package }
            }),
        );
    runtime.spawn(async move { axum::serve(listener, app).await });
    Feed {
        url: format!("{base}/latest.json"),
        _runtime: runtime,
    }
}

/// The app as it is built with `feed` (none: a build without a feed), and its main window.
fn app(feed: Option<UpdateFeed>) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let mut context = tauri::generate_context!();
    let builder = mock_builder().invoke_handler(agencydesk::commands::handler());
    let app = updates::register(builder, &mut context, feed)
        .build(context)
        .expect("app on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("main window");
    (app, window)
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(json!({})),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize().expect("JSON answer"))
}

fn message(error: &Value) -> &str {
    error["message"].as_str().unwrap_or_default()
}

/// Checks `feed` with the app built for `key`; the update it offers must be NEW_VERSION.
fn offered(feed: &Feed, key: &SigningKey) -> (App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let built_in = UpdateFeed::new(&feed.url, &key.public()).expect("feed");
    let (app, window) = app(Some(built_in));
    let check = invoke(&window, "check_for_updates").expect("check answers");
    assert_eq!(
        check["currentVersion"],
        env!("CARGO_PKG_VERSION"),
        "{check}"
    );
    assert_eq!(check["available"]["version"], NEW_VERSION, "{check}");
    (app, window)
}

#[test]
fn a_signed_newer_version_is_offered_with_its_notes_and_checks_out() {
    let key = SigningKey::new();
    let package = b"!<arch>\nthe new agencydesk".to_vec();
    let feed = serve(NEW_VERSION, &key.sign(&package, NEW_VERSION), package);
    let (_app, window) = offered(&feed, &key);
    let check = invoke(&window, "check_for_updates").expect("check answers");
    assert_eq!(check["available"]["notes"], NOTES);
    assert_eq!(check["available"]["date"], "2026-12-01T09:00:00Z");

    // Install downloads it and checks its signature: it is genuine, but a copy that no .deb or
    // .rpm installed (this test binary, `make run`) is never overwritten.
    let error = invoke(&window, "install_update").expect_err("not a package install");
    assert!(message(&error).contains("is genuine"), "{error}");
    assert!(message(&error).contains(NEW_VERSION), "{error}");
    // What a check found is installed once: a second click asks for a new check.
    let again = invoke(&window, "install_update").expect_err("nothing pending");
    assert!(message(&again).contains("Check for updates"), "{again}");
}

fn assert_refused(error: &Value) {
    let text = message(error);
    assert!(
        text.contains(&format!("update to version {NEW_VERSION} was refused")),
        "{error}"
    );
    assert!(text.contains("nothing was installed"), "{error}");
    assert!(!text.contains("genuine"), "{error}");
}

#[test]
fn a_tampered_package_is_refused() {
    let key = SigningKey::new();
    let package = b"!<arch>\nthe new agencydesk".to_vec();
    let signature = key.sign(&package, NEW_VERSION);
    let mut tampered = package;
    tampered.extend_from_slice(b"\nand something else");
    let feed = serve(NEW_VERSION, &signature, tampered);
    let (_app, window) = offered(&feed, &key);
    assert_refused(&invoke(&window, "install_update").expect_err("tampered"));
}

#[test]
fn a_package_signed_with_another_key_is_refused() {
    let key = SigningKey::new();
    let impostor = SigningKey::new();
    let package = b"!<arch>\nsomeone else's agencydesk".to_vec();
    let feed = serve(NEW_VERSION, &impostor.sign(&package, NEW_VERSION), package);
    let (_app, window) = offered(&feed, &key);
    assert_refused(&invoke(&window, "install_update").expect_err("wrong key"));
}

#[test]
fn an_older_signed_package_announced_as_the_new_version_is_refused() {
    let key = SigningKey::new();
    let package = b"!<arch>\nan old agencydesk".to_vec();
    let feed = serve(NEW_VERSION, &key.sign(&package, "0.1.5"), package);
    let (_app, window) = offered(&feed, &key);
    let error = invoke(&window, "install_update").expect_err("version mismatch");
    assert_refused(&error);
    assert!(message(&error).contains("0.1.5"), "{error}");
}

#[test]
fn the_current_version_means_nothing_to_install() {
    let key = SigningKey::new();
    let package = b"!<arch>\nthis agencydesk".to_vec();
    let current = env!("CARGO_PKG_VERSION");
    let feed = serve(current, &key.sign(&package, current), package);
    let built_in = UpdateFeed::new(&feed.url, &key.public()).expect("feed");
    let (_app, window) = app(Some(built_in));
    let check = invoke(&window, "check_for_updates").expect("check answers");
    assert_eq!(check["available"], Value::Null, "{check}");
    let error = invoke(&window, "install_update").expect_err("nothing to install");
    assert!(message(&error).contains("Check for updates"), "{error}");
}

#[test]
fn an_unreachable_feed_is_named() {
    let key = SigningKey::new();
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let url = format!("http://127.0.0.1:{port}/latest.json");
    let (_app, window) = app(Some(UpdateFeed::new(&url, &key.public()).expect("feed")));
    let error = invoke(&window, "check_for_updates").expect_err("no feed there");
    assert_eq!(error["code"], "Network", "{error}");
    assert!(
        message(&error).contains("Could not check for updates at 127.0.0.1"),
        "{error}"
    );
}

#[test]
fn a_build_without_a_feed_never_checks() {
    let (_app, window) = app(None);
    let error = invoke(&window, "check_for_updates").expect_err("no feed");
    assert!(message(&error).contains("checks for no updates"), "{error}");
    let error = invoke(&window, "install_update").expect_err("no feed, nothing found");
    assert!(message(&error).contains("Check for updates"), "{error}");
}
