//! Shared helpers: start a simulator on 127.0.0.1:0 and talk real HTTP to it.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use vapi_sim::{Manifest, Sim, SimConfig};

pub fn anchor() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-10-03T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A small pinned world: 4 client orgs, 10 days, 20 calls a day.
pub fn small_config() -> SimConfig {
    SimConfig {
        days: 10,
        anchor: Some(anchor()),
        ..SimConfig::default()
    }
}

pub struct Env {
    pub sim: Sim,
    pub m: Manifest,
    pub http: reqwest::Client,
}

pub async fn start(config: SimConfig) -> Env {
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let m = sim.manifest();
    Env {
        sim,
        m,
        http: reqwest::Client::new(),
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    /// Asserts Vapi's NestJS error shape and returns the messages.
    pub fn error(&self, status: u16) -> Vec<String> {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        let v = self.json();
        assert_eq!(v["statusCode"], status, "{v}");
        assert_eq!(
            v["error"].as_str().unwrap(),
            self.status.canonical_reason().unwrap(),
            "{v}"
        );
        match &v["message"] {
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a.iter().map(|m| m.as_str().unwrap().to_owned()).collect(),
            other => panic!("message is neither string nor array: {other}"),
        }
    }
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sim.url())
    }

    pub async fn req(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
        origin: Option<&str>,
    ) -> Resp {
        let mut r = self.http.request(method, self.url(path));
        if let Some(k) = key {
            r = r.bearer_auth(k);
        }
        if let Some(b) = body {
            r = r.json(b);
        }
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        let resp = r.send().await.unwrap();
        Resp {
            status: resp.status(),
            headers: resp.headers().clone(),
            text: resp.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str, key: &str) -> Resp {
        self.req(Method::GET, path, Some(key), None, None).await
    }

    pub async fn post(&self, path: &str, key: &str, body: &Value) -> Resp {
        self.req(Method::POST, path, Some(key), Some(body), None)
            .await
    }

    pub async fn web_call(&self, key: &str, body: &Value, origin: Option<&str>) -> Resp {
        self.req(Method::POST, "/call/web", Some(key), Some(body), origin)
            .await
    }

    /// The org's tokens as `GET /token` returns them.
    pub async fn tokens(&self, private_key: &str) -> Vec<Value> {
        let r = self.get("/token?limit=1000", private_key).await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.json().as_array().unwrap().clone()
    }
}

pub fn ids(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}
