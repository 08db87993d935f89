//! What a panic prints. Rust's default hook writes the panic message verbatim to stderr, where a
//! terminal, a log collector or a bug report picks it up; a message that ever formatted a key (a
//! bug, but a panic is a bug) would print it. This hook prints the same report with every
//! key-shaped value masked (`agencydesk_core::key_shapes`), through stderr only.

use std::io::Write;
use std::panic::PanicHookInfo;

use agencydesk_core::key_shapes::mask_key_shapes;

/// Replaces the default panic hook. Called first thing in `main`.
pub fn install() {
    std::panic::set_hook(Box::new(report));
}

fn report(info: &PanicHookInfo<'_>) {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("Box<dyn Any>");
    let location = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("<unnamed>");
    // `capture` honours RUST_BACKTRACE / RUST_LIB_BACKTRACE as the default hook does.
    let backtrace = match std::backtrace::Backtrace::capture() {
        b if b.status() == std::backtrace::BacktraceStatus::Captured => format!("{b}\n"),
        _ => String::new(),
    };
    let text = format!(
        "agencydesk panicked in thread '{name}'{location}:\n{}\n{backtrace}",
        mask_key_shapes(message)
    );
    // Nothing else can be done if stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Test build only (feature `e2e`): panics with the value of `AGENCYDESK_E2E_PANIC_WITH` in its
/// message, so `tests/panic/run.sh` can check that a key inside a panic never reaches stderr.
#[cfg(feature = "e2e")]
pub fn e2e_panic_if_asked() {
    if let Some(value) = std::env::var("AGENCYDESK_E2E_PANIC_WITH")
        .ok()
        .filter(|v| !v.is_empty())
    {
        panic!("test panic carrying a key: {value}");
    }
}

/// The shipped app never panics on request.
#[cfg(not(feature = "e2e"))]
pub fn e2e_panic_if_asked() {}
