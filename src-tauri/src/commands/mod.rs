//! Tauri commands: one-line wrappers over [`crate::state::AppState`] and core's `Agency`.
//! Each returns `Result<_, AppError>`, which the UI receives as `{ code, message }`.
//! Every command here must also be listed in build.rs and granted in capabilities/default.json.

pub mod billing;
pub mod calls;
pub mod clients;
pub mod keys;
pub mod onboarding;
pub mod settings;
pub mod snippets;
pub mod sync;

/// The handler for every command, for the builder in `app.rs`.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        onboarding::get_status,
        onboarding::start_demo,
        onboarding::start_real,
        onboarding::close_session,
        clients::list_clients,
        clients::link_client,
        clients::link_agency,
        clients::create_client_org,
        clients::refresh_client,
        clients::unlink_client,
        billing::get_pricing_plan,
        billing::check_pricing_plan,
        billing::save_pricing_plan,
        billing::invoice_preview,
        billing::billing_audit,
        billing::export_invoice_csv,
        billing::export_save_path_override,
        billing::client_chart,
        billing::agency_overview,
        sync::start_sync,
        sync::cancel_sync,
        sync::sync_status,
        calls::list_calls,
        calls::count_calls,
        calls::calls_stats,
        calls::calls_months,
        keys::list_public_keys,
        keys::refresh_public_keys,
        keys::create_public_key,
        keys::update_public_key,
        keys::set_public_key_enabled,
        keys::delete_public_key,
        keys::start_key_rotation,
        keys::finish_key_rotation,
        keys::audit_keys,
        keys::apply_key_fix,
        keys::check_origin,
        snippets::generate_snippet,
        snippets::mint_test_jwt,
        settings::get_settings,
        settings::update_settings,
        settings::set_client_base_url,
        settings::get_environment_info,
    ]
}
