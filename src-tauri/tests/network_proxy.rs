//! Offices reach the internet through a proxy: the app and the CLI honour `HTTP_PROXY` /
//! `HTTPS_PROXY` / `ALL_PROXY` and `NO_PROXY`, as curl does. Tested with the real CLI and a
//! forwarding proxy served by this test on 127.0.0.1 (`--demo` runs its simulator there too).

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A plain HTTP forwarding proxy: logs the request line of each connection, connects to the
/// address in its absolute-form URL and relays both ways.
async fn forwarding_proxy() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(relay(client, Arc::clone(&log)));
        }
    });
    (addr, seen)
}

async fn relay(mut client: TcpStream, log: Arc<Mutex<Vec<String>>>) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match client.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    log.lock().unwrap().push(line.clone());
    let Some(target) = line.split(' ').nth(1).and_then(|u| url::Url::parse(u).ok()) else {
        return;
    };
    let (Some(host), Some(port)) = (target.host_str(), target.port_or_known_default()) else {
        return;
    };
    let Ok(mut upstream) = TcpStream::connect((host, port)).await else {
        return;
    };
    if upstream.write_all(&head).await.is_ok() {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    }
}

fn demo_sync(data_dir: &Path, env: &[(&str, String)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agencydesk"));
    cmd.args(["--demo", "sync", "--json"])
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .stdin(Stdio::null());
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn assert_synced(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["ok"], true, "{summary}");
}

// Multi-threaded: the proxy must keep relaying while this thread waits for the CLI.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_go_through_the_proxy_unless_no_proxy_names_the_host() {
    let (proxy, seen) = forwarding_proxy().await;
    let proxy_url = format!("http://{proxy}");

    let data = tempfile::tempdir().unwrap();
    assert_synced(&demo_sync(
        data.path(),
        &[("HTTP_PROXY", proxy_url.clone())],
    ));
    let through = seen.lock().unwrap().clone();
    assert!(!through.is_empty(), "nothing went through the proxy");
    for line in &through {
        assert!(
            line.contains(" http://127.0.0.1:") && line.ends_with(" HTTP/1.1"),
            "not a forwarded request to the demo's Vapi: {line}"
        );
    }
    assert!(
        through
            .iter()
            .any(|l| l.starts_with("GET ") && l.contains("/call")),
        "the call pages did not go through the proxy: {through:?}"
    );

    // The lower-case spelling too, and NO_PROXY wins for the hosts it names.
    let before = seen.lock().unwrap().len();
    let data = tempfile::tempdir().unwrap();
    assert_synced(&demo_sync(
        data.path(),
        &[
            ("http_proxy", proxy_url.clone()),
            ("NO_PROXY", "127.0.0.1".to_owned()),
        ],
    ));
    assert_eq!(seen.lock().unwrap().len(), before, "NO_PROXY was ignored");
}
