//! The agency a CLI command works on, opened for the command and always closed after it.
//!
//! Closing matters for the demo: it stops the in-process simulator before the process exits, and
//! for the real agency it lets go of the database. Every subcommand goes through
//! [`with_agency`], so no error path can skip the close.

use std::future::Future;
use std::sync::Arc;

use crate::error::AppError;
use crate::state::{AppState, Session};

/// Opens the demo (fresh, in this process) or the real agency, runs `work` on it, then closes
/// it whatever `work` returned. Failures to open come back as the command's error.
pub(crate) async fn with_agency<T, F, Fut>(demo: bool, work: F) -> Result<T, AppError>
where
    F: FnOnce(Arc<Session>) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let state = AppState::from_env(false);
    let result = match open_in(&state, demo).await {
        // `work` owns the session and has let go of it once its future is done, so the close
        // below can stop the demo's simulator at once.
        Ok(session) => work(session).await,
        Err(err) => Err(err),
    };
    state.close_session().await;
    result
}

/// Opens the agency without the guard: the caller must call `close_session` on the state.
/// Kept only for `invoice`, `chart` and `calls` until they move to [`with_agency`].
pub(crate) async fn open(demo: bool) -> Result<(AppState, Arc<Session>), AppError> {
    let state = AppState::from_env(false);
    match open_in(&state, demo).await {
        Ok(session) => Ok((state, session)),
        Err(err) => {
            state.close_session().await;
            Err(err)
        }
    }
}

async fn open_in(state: &AppState, demo: bool) -> Result<Arc<Session>, AppError> {
    if demo {
        state.start_demo().await?;
    } else {
        state.start_real().await?;
    }
    state.session().await
}
