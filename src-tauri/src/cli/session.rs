//! The agency a CLI command works on, opened for the command and always closed after it.
//!
//! Closing matters for the demo: it stops the in-process simulator before the process exits, and
//! for the real agency it lets go of the database. Every subcommand goes through
//! [`with_agency`], so no error path can skip the close.

use std::future::Future;
use std::sync::Arc;

use crate::error::AppError;
use crate::state::{AppState, Session};
use crate::status::SessionMode;

/// Opens the demo (fresh, in this process) or the real agency, runs `work` on it, then closes
/// it whatever `work` returned. Failures to open come back as the command's error.
pub(crate) async fn with_agency<T, F, Fut>(demo: bool, work: F) -> Result<T, AppError>
where
    F: FnOnce(Arc<Session>) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    with_agency_in(&AppState::from_env(false), demo, work).await
}

async fn with_agency_in<T, F, Fut>(state: &AppState, demo: bool, work: F) -> Result<T, AppError>
where
    F: FnOnce(Arc<Session>) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let result = match open_in(state, demo).await {
        // `work` owns the session and has let go of it once its future is done, so the close
        // below can stop the demo's simulator at once.
        Ok(session) => work(session).await,
        Err(err) => Err(err),
    };
    state.close_session().await;
    result
}

/// Syncs first in the demo (its cache starts empty on every run) or when asked (`--sync`), for
/// the commands that read the cache (`invoice`, `chart`); what was read goes to standard error.
pub(crate) async fn prepare_cache(
    session: &Session,
    client: Option<&str>,
    sync: bool,
) -> Result<(), AppError> {
    if session.mode == SessionMode::Demo || sync {
        let report = session.agency.sync_before_billing(client).await?;
        let calls: u64 = report.orgs.iter().map(|o| o.calls).sum();
        eprintln!(
            "Synced {} org(s) from {}: {calls} call(s) read.",
            report.orgs.len(),
            if session.mode == SessionMode::Demo {
                "the demo's simulator"
            } else {
                "Vapi"
            }
        );
    }
    Ok(())
}

async fn open_in(state: &AppState, demo: bool) -> Result<Arc<Session>, AppError> {
    if demo {
        state.start_demo().await?;
    } else {
        state.start_real().await?;
    }
    state.session().await
}

#[cfg(test)]
mod tests {
    use agencydesk_core::error::CoreError;
    use agencydesk_core::keychain::{EphemeralKeychain, SecretStore};
    use agencydesk_core::paths::DataDir;

    use super::*;

    fn real_state(dir: &std::path::Path) -> AppState {
        let keychain: Arc<dyn SecretStore> = Arc::new(EphemeralKeychain::new());
        AppState::new(
            Ok(DataDir::at(dir)),
            Arc::new(move || Ok(Arc::clone(&keychain))),
            false,
        )
    }

    #[tokio::test]
    async fn the_agency_is_closed_after_the_work_whether_it_failed_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let state = real_state(dir.path());
        let name = with_agency_in(&state, false, |session| async move {
            Ok(session.agency_name.clone())
        })
        .await
        .unwrap();
        assert_eq!(name, "My agency");
        assert!(matches!(state.session().await, Err(AppError::NoSession)));

        let failed: Result<(), AppError> = with_agency_in(&state, false, |_session| async {
            Err(CoreError::Cancelled.into())
        })
        .await;
        assert!(failed.is_err());
        assert!(matches!(state.session().await, Err(AppError::NoSession)));
    }
}
