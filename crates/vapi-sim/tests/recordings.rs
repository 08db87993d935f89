//! `GET /call/{id}/...-recording` and `/call-logs`: a 302 to a short-lived signed storage URL
//! (expired or edited URLs refused), real WAV audio as long as the call, logs as gzipped JSON
//! lines; and `retention_days`: older calls are neither listed nor fetchable.

mod common;

use std::io::Read;

use chrono::{TimeDelta, Utc};
use common::{small_config, start, Env};
use reqwest::redirect::Policy;
use serde_json::Value;
use vapi_sim::{Faults, SimConfig};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn calls(env: &Env, key: &str) -> Vec<Value> {
    let r = env.get("/call?limit=1000", key).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json().as_array().unwrap().clone()
}

/// The `Location` of a 302 from `path`, asked with `key`.
async fn signed(env: &Env, path: &str, key: &str) -> String {
    let r = no_redirects()
        .get(env.url(path))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302, "{path}");
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn fetch(url: &str) -> (u16, Vec<u8>) {
    let r = reqwest::get(url).await.unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

fn le16(b: &[u8], at: usize) -> u32 {
    u32::from(u16::from_le_bytes([b[at], b[at + 1]]))
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn duration_ms(call: &Value) -> i64 {
    let t = |k: &str| {
        chrono::DateTime::parse_from_rfc3339(call[k].as_str().unwrap())
            .unwrap()
            .timestamp_millis()
    };
    t("endedAt") - t("startedAt")
}

#[tokio::test]
async fn recordings_are_wav_files_as_long_as_the_call() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let all = calls(&env, key).await;
    let with: Vec<&Value> = all
        .iter()
        .filter(|c| c["recordingUrl"].is_string())
        .collect();
    assert!(with.len() > 5);
    for call in with.iter().take(3) {
        let id = call["id"].as_str().unwrap();
        for (kind, channels) in [
            ("mono-recording", 1),
            ("stereo-recording", 2),
            ("customer-recording", 1),
            ("assistant-recording", 1),
        ] {
            let url = signed(&env, &format!("/call/{id}/{kind}"), key).await;
            let (status, wav) = fetch(&url).await;
            assert_eq!(status, 200, "{kind}");
            assert_eq!(&wav[0..4], b"RIFF");
            assert_eq!(&wav[8..16], b"WAVEfmt ");
            assert_eq!(le16(&wav, 20), 1, "PCM");
            assert_eq!(le16(&wav, 22), channels, "{kind}");
            let rate = le32(&wav, 24);
            assert_eq!(le16(&wav, 34), 8, "8-bit");
            let data = le32(&wav, 40);
            assert_eq!(wav.len(), 44 + data as usize);
            let ms = i64::from(data / channels) * 1000 / i64::from(rate);
            assert!((ms - duration_ms(call)).abs() <= 1, "{ms} vs {call}");
            // Someone speaks: not all silence.
            assert!(wav[44..].iter().any(|s| *s != 128), "{kind}");
        }
    }
}

#[tokio::test]
async fn calls_without_a_recording_answer_404_and_keys_are_checked() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let all = calls(&env, key).await;
    let silent = all
        .iter()
        .find(|c| c["status"] == "ended" && c["recordingUrl"].is_null())
        .expect("a call where nobody spoke");
    let id = silent["id"].as_str().unwrap();
    let r = env.get(&format!("/call/{id}/mono-recording"), key).await;
    assert_eq!(r.error(404), vec!["Recording not found"]);
    // Its logs still exist.
    signed(&env, &format!("/call/{id}/call-logs"), key).await;

    let id = all[0]["id"].as_str().unwrap();
    let other = &env.m.orgs[1].private_key;
    let r = env.get(&format!("/call/{id}/mono-recording"), other).await;
    assert_eq!(r.error(404), vec!["Call not found"]);
    let r = env
        .req(
            reqwest::Method::GET,
            &format!("/call/{id}/call-logs"),
            None,
            None,
            None,
        )
        .await;
    r.error(401);
    let public = &env.m.orgs[0].public_keys[0].value;
    let r = env.get(&format!("/call/{id}/call-logs"), public).await;
    r.error(401);
}

#[tokio::test]
async fn signed_urls_expire_and_refuse_edits() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let all = calls(&env, key).await;
    let with: Vec<&str> = all
        .iter()
        .filter(|c| c["recordingUrl"].is_string())
        .map(|c| c["id"].as_str().unwrap())
        .take(2)
        .collect();
    let url = signed(&env, &format!("/call/{}/mono-recording", with[0]), key).await;
    assert_eq!(fetch(&url).await.0, 200);

    let (base, sig) = url.split_once("Signature=").unwrap();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    let edited = format!("{base}Signature={flipped}{}", &sig[1..]);
    assert_eq!(fetch(&edited).await.0, 403);
    let other_call = url.replace(with[0], with[1]);
    assert_eq!(fetch(&other_call).await.0, 403);
    let stereo = url.replace("mono.wav", "stereo.wav");
    assert_eq!(fetch(&stereo).await.0, 403);
    let unsigned = url.split_once('?').unwrap().0;
    assert_eq!(fetch(unsigned).await.0, 403);

    // Ten minutes later the same URL is refused.
    env.sim.handle().set_faults(Faults {
        clock_skew_secs: 600,
        ..Faults::default()
    });
    let (status, body) = fetch(&url).await;
    assert_eq!(status, 403);
    assert!(String::from_utf8_lossy(&body).contains("expired"));
}

#[tokio::test]
async fn call_logs_are_gzipped_json_lines_naming_what_was_said() {
    let env = start(small_config()).await;
    let key = &env.m.orgs[0].private_key;
    let all = calls(&env, key).await;
    let call = all.iter().find(|c| c["recordingUrl"].is_string()).unwrap();
    let id = call["id"].as_str().unwrap();
    let url = signed(&env, &format!("/call/{id}/call-logs"), key).await;
    let r = reqwest::get(&url).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/gzip");
    let gz = r.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut text)
        .unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.len() >= 3);
    assert!(lines
        .iter()
        .all(|l| l["time"].is_string() && l["level"].is_string()));
    let last = lines.last().unwrap()["message"].as_str().unwrap();
    assert!(
        last.contains(call["endedReason"].as_str().unwrap()),
        "{last}"
    );
    let transcript = call["transcript"].as_str().unwrap();
    let first_line = transcript.lines().next().unwrap();
    assert!(
        text.contains(first_line.split_once(": ").unwrap().1),
        "{text}"
    );
}

#[tokio::test]
async fn retention_hides_older_calls_and_the_subscription_says_so() {
    let anchor = Utc::now();
    let config = SimConfig {
        orgs: 1,
        days: 10,
        calls_per_day: 10,
        anchor: Some(anchor),
        ..SimConfig::default()
    };
    let full = start(config.clone()).await;
    let kept = start(SimConfig {
        retention_days: Some(3),
        ..config
    })
    .await;
    let key = &full.m.orgs[0].private_key;
    assert_eq!(key, &kept.m.orgs[0].private_key, "same world");
    let everything = calls(&full, key).await;
    let visible = calls(&kept, key).await;
    let cutoff = anchor - TimeDelta::days(3);
    let created =
        |c: &Value| chrono::DateTime::parse_from_rfc3339(c["createdAt"].as_str().unwrap()).unwrap();
    let (young, old): (Vec<&Value>, Vec<&Value>) =
        everything.iter().partition(|c| created(c) >= cutoff);
    assert!(!old.is_empty() && !young.is_empty());
    // A few seconds passed between the two starts: only calls near the cutoff may differ.
    assert!(visible.iter().all(|c| created(c) >= cutoff));
    assert!(
        visible.len() + 2 >= young.len(),
        "{} {}",
        visible.len(),
        young.len()
    );

    let old_id = old[0]["id"].as_str().unwrap();
    for path in [
        format!("/call/{old_id}"),
        format!("/call/{old_id}/mono-recording"),
        format!("/call/{old_id}/call-logs"),
    ] {
        assert_eq!(kept.get(&path, key).await.status, 404, "{path}");
        assert_ne!(full.get(&path, key).await.status, 404, "{path}");
    }
    let young_id = visible[0]["id"].as_str().unwrap();
    assert_eq!(
        kept.get(&format!("/call/{young_id}"), key).await.status,
        200
    );

    let org = kept
        .get(&format!("/org/{}", kept.m.orgs[0].id), key)
        .await
        .json();
    assert_eq!(org["subscription"]["callRetentionDays"], 3);
    let org = full
        .get(&format!("/org/{}", full.m.orgs[0].id), key)
        .await
        .json();
    assert!(org["subscription"].get("callRetentionDays").is_none());
}
