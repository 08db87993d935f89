//! The About panel and "Copy diagnostics": this build's version, where its data and keys live,
//! and the licenses of what it bundles (the chart font, every crate compiled in). The crate list,
//! `licenses/crates.tsv`, is generated from `cargo metadata` by `tests/licenses.rs` and checked
//! for drift by `make test`, so it names exactly what Cargo.lock builds.

use agencydesk_core::agency::{AppFacts, Diagnostics};
use agencydesk_core::charts::font;
use serde::Serialize;
use ts_rs::TS;

use crate::error::AppError;
use crate::state::Session;
use crate::status::SessionMode;
use crate::updates::feed::UpdateFeed;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// name, version, license (SPDX expression, or "see its repository"), tab-separated.
const CRATES_TSV: &str = include_str!("../licenses/crates.tsv");

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct About {
    pub version: String,
    /// "debug" or "release".
    pub build: String,
    /// The folder holding agencydesk.sqlite; `null` for an in-memory database.
    pub data_folder: Option<String>,
    /// Where keys are kept, e.g. "Secret Service".
    pub keychain: String,
    pub sqlite_version: String,
    /// The host of the update feed built in; `null`: this build checks for no updates.
    pub update_feed: Option<String>,
    pub fonts: Vec<FontLicense>,
    pub crates: Vec<CrateLicense>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct FontLicense {
    pub name: String,
    pub license: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CrateLicense {
    pub name: String,
    pub version: String,
    pub license: String,
}

pub fn build() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

/// Every crate compiled into the app, with its license.
pub fn crates() -> Vec<CrateLicense> {
    CRATES_TSV
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('\t');
            Some(CrateLicense {
                name: cells.next()?.to_owned(),
                version: cells.next()?.to_owned(),
                license: cells.next()?.to_owned(),
            })
        })
        .collect()
}

pub fn about(session: &Session, update_feed: Option<&UpdateFeed>) -> About {
    About {
        version: VERSION.to_owned(),
        build: build().to_owned(),
        data_folder: session
            .agency
            .store()
            .data_dir()
            .map(|d| d.display().to_string()),
        keychain: session.agency.keychain_description().to_owned(),
        sqlite_version: agencydesk_core::store::sqlite_version().to_owned(),
        update_feed: update_feed.map(UpdateFeed::host),
        fonts: vec![FontLicense {
            name: font::NAME.to_owned(),
            license: font::LICENSE.to_owned(),
        }],
        crates: crates(),
    }
}

pub async fn diagnostics(session: &Session) -> Result<Diagnostics, AppError> {
    let facts = AppFacts {
        app: format!("agencydesk {VERSION}"),
        build: build().to_owned(),
        mode: match session.mode {
            SessionMode::Demo => "demo",
            SessionMode::Real => "live",
        }
        .to_owned(),
        recent_errors: crate::logging::recent_errors(),
    };
    Ok(session.agency.diagnostics(facts).await?)
}
