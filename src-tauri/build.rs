// tauri.conf.json sits at the repository root (it also names ui/ and icons/), one level up.
//
// The app manifest lists our commands so each needs an explicit `allow-<command>` permission in
// capabilities/default.json: a command added here but not granted there is unreachable from the
// page, rather than silently exposed to every window.
const COMMANDS: &[&str] = &[
    "get_status",
    "start_demo",
    "start_real",
    "close_session",
    "list_clients",
    "link_client",
    "link_agency",
    "create_client_org",
    "refresh_client",
    "unlink_client",
    "get_pricing_plan",
    "check_pricing_plan",
    "save_pricing_plan",
    "invoice_preview",
    "billing_audit",
    "export_invoice_csv",
    "export_save_path_override",
    "client_chart",
    "agency_overview",
    "start_sync",
    "cancel_sync",
    "sync_status",
    "list_calls",
    "count_calls",
    "calls_stats",
    "calls_months",
    "list_public_keys",
    "refresh_public_keys",
    "create_public_key",
    "update_public_key",
    "set_public_key_enabled",
    "delete_public_key",
    "start_key_rotation",
    "finish_key_rotation",
    "audit_keys",
    "apply_key_fix",
    "check_origin",
    "generate_snippet",
    "mint_test_jwt",
    "get_settings",
    "update_settings",
    "set_client_base_url",
    "get_environment_info",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes)?;
    Ok(())
}
