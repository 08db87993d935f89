//! Test build only (feature `e2e`): every command's answer, as the window receives it, appended
//! as one JSON line to the file named by `AGENCYDESK_E2E_IPC_LOG`, so the real-window suite's leak
//! scan reads everything the page was ever sent. `#[ipc::command]` calls [`answered`] after every
//! command; in the shipped app it is an empty function and nothing is recorded.

#[cfg(feature = "e2e")]
mod recorder {
    use std::fs::OpenOptions;
    use std::io::Write;
    use std::sync::Mutex;

    use serde::Serialize;

    const E2E_IPC_LOG_ENV: &str = "AGENCYDESK_E2E_IPC_LOG";

    /// One writer at a time, so concurrent commands never interleave their lines.
    static FILE_LOCK: Mutex<()> = Mutex::new(());

    #[derive(Serialize)]
    struct Line<'a, T: ?Sized> {
        command: &'a str,
        answer: &'a T,
    }

    pub fn answered<T: Serialize + ?Sized>(command: &str, answer: &T) {
        let Some(path) = std::env::var_os(E2E_IPC_LOG_ENV).filter(|p| !p.is_empty()) else {
            return;
        };
        let mut line = match serde_json::to_string(&Line { command, answer }) {
            Ok(line) => line,
            Err(e) => {
                tracing::warn!(command, "an IPC answer could not be recorded: {e}");
                return;
            }
        };
        line.push('\n');
        let _guard = FILE_LOCK
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let written = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(e) = written {
            tracing::warn!(command, "the IPC answer log could not be written: {e}");
        }
    }
}

#[cfg(feature = "e2e")]
pub use recorder::answered;

/// The shipped app records no answer.
#[cfg(not(feature = "e2e"))]
#[inline(always)]
pub fn answered<T: ?Sized>(_command: &str, _answer: &T) {}
