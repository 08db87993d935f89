// tauri.conf.json sits beside this file, where the Tauri CLI (`make dist`) looks for the app crate.
//
// The app manifest lists our commands so each needs an explicit `allow-<command>` permission in
// capabilities/default.json: a command added but not granted there is unreachable from the page,
// rather than silently exposed to every window. The names come from src/commands/list.rs, the
// list the app registers (tests/bindings.rs checks the capability file against it).

/// Reads only the names out of the list (the app's own `command_list!` also builds the handler).
macro_rules! command_list {
    (
        commands: [$($module:ident :: $command:ident),* $(,)?] $(,)?
    ) => {
        const COMMANDS: &[&str] = &[$(stringify!($command),)*];
    };
}

include!("src/commands/list.rs");

/// The update feed is built in (src/updates/feed.rs reads it with `option_env!`): both variables
/// or neither, and the feed over https, so a release never fetches updates in the clear.
fn update_feed() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| {
        println!("cargo:rerun-if-env-changed={name}");
        std::env::var(name).unwrap_or_default().trim().to_owned()
    };
    let (url, pubkey) = (
        var("AGENCYDESK_UPDATE_URL"),
        var("AGENCYDESK_UPDATE_PUBKEY"),
    );
    if url.is_empty() != pubkey.is_empty() {
        return Err("set both AGENCYDESK_UPDATE_URL (the feed) and AGENCYDESK_UPDATE_PUBKEY (the key its packages are signed with), or neither".into());
    }
    if !url.is_empty() && !url.starts_with("https://") {
        return Err(format!("AGENCYDESK_UPDATE_URL must be an https address, not {url}").into());
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // tauri-build names the files it watches, which turns off Cargo's default of watching all.
    println!("cargo:rerun-if-changed=src/commands/list.rs");
    update_feed()?;
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes)?;
    Ok(())
}
