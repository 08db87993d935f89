//! A test site on 127.0.0.1 for the site exposure scan: fixed routes (pages, scripts, redirects,
//! a slow answer) and a record of every request head it received, to prove what the scan sent.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone)]
pub enum Route {
    Body(&'static str, String),
    Redirect(String),
    /// Answers after this long (longer than the scan may wait).
    Slow(Duration, String),
}

pub struct TestSite {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl TestSite {
    /// Listens on 127.0.0.1 at once (so pages can name the port), serving routes set later.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, q) = (Arc::clone(&routes), Arc::clone(&requests));
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let (r, q) = (Arc::clone(&r), Arc::clone(&q));
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    q.lock().unwrap().push(head.clone());
                    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let route = r.lock().unwrap().get(&path).cloned();
                    let answer = match route {
                        Some(Route::Body(ctype, body)) => ok(ctype, &body),
                        Some(Route::Redirect(to)) => format!(
                            "HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        ),
                        Some(Route::Slow(wait, body)) => {
                            tokio::time::sleep(wait).await;
                            ok("text/javascript", &body)
                        }
                        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned(),
                    };
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Self {
            port,
            routes,
            requests,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The same server under another host name: another site as far as the scan is concerned.
    pub fn other_site_url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.port)
    }

    pub fn route(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_owned(), route);
    }

    pub fn page(&self, path: &str, html: &str) {
        self.route(path, Route::Body("text/html", html.to_owned()));
    }

    pub fn script(&self, path: &str, js: &str) {
        self.route(path, Route::Body("text/javascript", js.to_owned()));
    }

    /// Every request head received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// The paths requested, in order.
    pub fn paths(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|h| h.split_whitespace().nth(1).unwrap_or("").to_owned())
            .collect()
    }

    /// Panics if any request carried credentials or one of `secrets`.
    pub fn assert_no_credentials_sent(&self, secrets: &[&str]) {
        for head in self.requests() {
            let lower = head.to_ascii_lowercase();
            assert!(!lower.contains("\nauthorization:"), "{head}");
            assert!(!lower.contains("\ncookie:"), "{head}");
            for secret in secrets {
                assert!(!head.contains(secret), "a key was sent: {head}");
            }
        }
    }
}

fn ok(ctype: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}
