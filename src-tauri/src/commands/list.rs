// Every Tauri command, once. Included by commands/mod.rs (handler, names, IPC contract) and by
// build.rs (the `allow-<command>` permissions), so none of them can miss a command;
// capabilities/default.json is checked against it by tests/bindings.rs.
//
// Each is declared with `#[ipc::command]` on its function (a `SecretKey` argument also needs
// `#[ts(type = "string")]`). After adding one here, grant `allow-<name>` in
// capabilities/default.json, run `cargo test -p agencydesk --test bindings` and commit
// ui/src/lib/bindings.
command_list! {
    commands: [
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
        backups::list_backups,
        backups::create_backup,
        backups::restore_backup,
        backups::rebuild_call_cache,
        billing::get_pricing_plan,
        billing::check_pricing_plan,
        billing::save_pricing_plan,
        billing::invoice_preview,
        billing::billing_audit,
        billing::export_invoice_csv,
        billing::client_chart,
        billing::agency_overview,
        calls::list_calls,
        calls::count_calls,
        calls::calls_stats,
        calls::calls_months,
        sync::start_sync,
        sync::cancel_sync,
        sync::sync_status,
    ],
}
