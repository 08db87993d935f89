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
        CoreError::Internal(error.to_string())
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
}
