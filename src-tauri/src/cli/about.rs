//! `agencydesk about` and `agencydesk diagnostics`: the About panel and "Copy diagnostics" of
//! the window, for a terminal.

use super::output::{json, table, write_stdout, Align};
use super::session::with_agency;
use crate::about;
use crate::error::AppError;
use crate::updates::feed::UpdateFeed;

pub async fn show(demo: bool, as_json: bool) -> Result<(), AppError> {
    let feed = UpdateFeed::built_in();
    let found = with_agency(demo, |session| async move {
        Ok(about::about(&session, feed.as_ref()))
    })
    .await?;
    if as_json {
        return write_stdout(&json(&found)?);
    }
    let mut text = format!(
        "agencydesk {} ({} build)\ndata folder: {}\nkeychain: {}\nSQLite {}\nupdates: {}\n\nbundled fonts:\n",
        found.version,
        found.build,
        found.data_folder.as_deref().unwrap_or("in memory"),
        found.keychain,
        found.sqlite_version,
        match &found.update_feed {
            Some(host) => format!("from {host}, when asked in Settings → About"),
            None => "none (built without an update feed)".to_owned(),
        }
    );
    for font in &found.fonts {
        let first = font.license.lines().next().unwrap_or_default();
        text.push_str(&format!("  {}: {first}\n", font.name));
    }
    text.push_str(&format!("\n{} crates compiled in:\n", found.crates.len()));
    text.push_str(&table(
        ["CRATE", "VERSION", "LICENSE"],
        [Align::Left, Align::Left, Align::Left],
        found
            .crates
            .iter()
            .map(|c| [c.name.clone(), c.version.clone(), c.license.clone()]),
    ));
    write_stdout(&text)
}

pub async fn diagnostics(demo: bool, as_json: bool) -> Result<(), AppError> {
    let found = with_agency(
        demo,
        |session| async move { about::diagnostics(&session).await },
    )
    .await?;
    write_stdout(&if as_json { json(&found)? } else { found.text })
}
