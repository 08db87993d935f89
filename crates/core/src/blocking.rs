//! The one way agencydesk moves blocking work (SQLite, drawing, platform keychains) off the
//! async runtime, so a long read or a keychain waiting to be unlocked never stalls other tasks.

use tokio::task::JoinError;

use crate::error::CoreError;

/// Runs `work` on tokio's blocking pool and hands back its result. The caller's error type only
/// needs to take a [`CoreError`]: the app's commands use it with their own error.
pub async fn blocking<T, E>(work: impl FnOnce() -> Result<T, E> + Send + 'static) -> Result<T, E>
where
    T: Send + 'static,
    E: From<CoreError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result,
        Err(e) => Err(stopped(e).into()),
    }
}

/// A task that ended without an answer: the runtime shutting down (the app quitting) cancels it;
/// anything else is a panic, reported rather than re-raised so a command still answers.
fn stopped(error: JoinError) -> CoreError {
    if error.is_cancelled() {
        CoreError::Cancelled
    } else {
        CoreError::Internal(join_failure(&error))
    }
}

/// Why a task gave no answer, without its panic message: `JoinError`'s own text quotes the
/// payload, which may hold whatever the panicking code formatted (a key it had exposed, a
/// call's JSON), and this text reaches the page and the terminal.
pub(crate) fn join_failure(error: &JoinError) -> String {
    if error.is_cancelled() {
        "the task was cancelled".to_owned()
    } else {
        "the task panicked".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    #[tokio::test]
    async fn results_and_panics_come_back_as_values() {
        let fine: Result<u8, CoreError> = blocking(|| Ok(7)).await;
        assert_eq!(fine.unwrap(), 7);
        let refused: Result<u8, CoreError> =
            blocking(|| Err(CoreError::InvalidInput("no".into()))).await;
        assert_eq!(refused.unwrap_err().code(), Code::InvalidInput);
        let panicked: Result<u8, CoreError> = blocking(|| panic!("boom")).await;
        let error = panicked.unwrap_err();
        assert!(matches!(error, CoreError::Internal(_)), "{error:?}");
        assert!(error.to_string().contains("Try again"), "{error}");
    }

    /// A panic in work that holds a key (here one that formats the exposed key into its message,
    /// the worst case) comes back as an error that neither quotes the panic nor the key: that
    /// text goes to the page, the CLI's stderr and the logs.
    #[tokio::test]
    async fn a_panic_holding_a_key_answers_without_the_key() {
        let key = crate::sensitive::SecretKey::new("pk-leak-9f3c2e71-panic".to_owned());
        let held = crate::sensitive::SecretKey::new(key.expose().clone());
        let panicked: Result<u8, CoreError> = blocking(move || {
            // The key's own formatting is redacted; exposing it is how a panic could carry it.
            panic!("request for {held:?} failed: {}", held.expose())
        })
        .await;
        let error = panicked.unwrap_err();
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(key.expose().as_str()), "key in {text}");
            assert!(!text.contains("request for"), "panic message in {text}");
        }
        assert!(matches!(error, CoreError::Internal(_)), "{error:?}");
    }
}
