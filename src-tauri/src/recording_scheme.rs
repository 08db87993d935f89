//! `recording://localhost/<call id>`: the detail's player streams a call's recording through
//! here. The bytes come from the archive or from Vapi with the org's key, which stays in Rust:
//! the page only ever names a call. The CSP lets media, and nothing else, load from this scheme.

use agencydesk_core::recordings::RecordingSource;
use tauri::http::header::{ACCEPT_RANGES, CACHE_CONTROL, CONTENT_RANGE, CONTENT_TYPE, RANGE};
use tauri::http::{Request, Response, StatusCode};
use tauri::{AppHandle, Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::AppState;

/// The scheme's name (`recording://`; `http://recording.localhost` on Windows).
pub const SCHEME: &str = "recording";

/// Answers each request on its own task: fetching from Vapi must not block the webview.
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    let call_id = request.uri().path().trim_matches('/').to_owned();
    let range = request
        .headers()
        .get(RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    tauri::async_runtime::spawn(async move {
        responder.respond(serve(&app, &call_id, range.as_deref()).await);
    });
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(text.as_bytes().to_vec())
        .unwrap_or_default()
}

async fn serve<R: Runtime>(
    app: &AppHandle<R>,
    call_id: &str,
    range: Option<&str>,
) -> Response<Vec<u8>> {
    let valid = !call_id.is_empty()
        && call_id.len() <= 64
        && call_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return plain(StatusCode::BAD_REQUEST, "not a call id");
    }
    let session = match app.state::<AppState>().session().await {
        Ok(session) => session,
        Err(_) => return plain(StatusCode::SERVICE_UNAVAILABLE, "no agency is open"),
    };
    match session.agency.recording(call_id).await {
        Ok(Some((bytes, source))) => {
            if source == RecordingSource::Vapi {
                tracing::debug!(call_id, "recording streamed from Vapi");
            }
            ranged(bytes, range)
        }
        Ok(None) => plain(StatusCode::NOT_FOUND, "no recording"),
        Err(e) => {
            tracing::warn!(call_id, error = %e, "recording not served");
            plain(
                StatusCode::BAD_GATEWAY,
                "the recording could not be fetched",
            )
        }
    }
}

/// The whole file, or the byte range a media element asks for when it seeks.
fn ranged(bytes: Vec<u8>, range: Option<&str>) -> Response<Vec<u8>> {
    let len = bytes.len();
    let base = Response::builder()
        .header(CONTENT_TYPE, "audio/wav")
        .header(ACCEPT_RANGES, "bytes")
        .header(CACHE_CONTROL, "no-store");
    let Some((start, end)) = range.and_then(|r| parse_range(r, len)) else {
        return base.status(StatusCode::OK).body(bytes).unwrap_or_default();
    };
    base.status(StatusCode::PARTIAL_CONTENT)
        .header(CONTENT_RANGE, format!("bytes {start}-{end}/{len}"))
        .body(bytes[start..=end].to_vec())
        .unwrap_or_default()
}

/// `bytes=START-[END]` within a body of `len` bytes, as an inclusive range.
fn parse_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?;
    let (start, end) = spec.split_once('-')?;
    let start: usize = start.trim().parse().ok()?;
    let end: usize = match end.trim() {
        "" => len.checked_sub(1)?,
        e => e.parse::<usize>().ok()?.min(len.checked_sub(1)?),
    };
    (start <= end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_stay_inside_the_file() {
        assert_eq!(parse_range("bytes=0-", 10), Some((0, 9)));
        assert_eq!(parse_range("bytes=2-4", 10), Some((2, 4)));
        assert_eq!(parse_range("bytes=5-99", 10), Some((5, 9)));
        assert_eq!(parse_range("bytes=9-2", 10), None);
        assert_eq!(parse_range("bytes=0-", 0), None);
        assert_eq!(parse_range("items=0-1", 10), None);
        let r = ranged(vec![1, 2, 3, 4], Some("bytes=1-2"));
        assert_eq!(r.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(r.body(), &vec![2, 3]);
        assert_eq!(r.headers()[CONTENT_RANGE], "bytes 1-2/4");
    }
}
