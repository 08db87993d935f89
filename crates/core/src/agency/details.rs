//! The agency's details for the documents its clients receive (name, address, email, tax ID,
//! logo, payment terms and details, invoice number prefix), in the `agency` row so the window
//! and the CLI print the same letterhead.
//!
//! The logo is copied into the data folder (`branding/logo.png` or `branding/logo.svg`, names
//! fixed here) after it was read whole and checked; the caller only names the file to copy from.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use super::Agency;
use crate::blocking::blocking;
use crate::documents::{Letterhead, Logo, LogoKind, MAX_LOGO_BYTES};
use crate::error::CoreError;
use crate::store::agency_profile::{self, AgencyDetails};
use crate::store::{files, Store};
use crate::write_error::WriteError;

const BRANDING_DIR: &str = "branding";
const MAX_NAME_CHARS: usize = 80;
const MAX_TERMS_DAYS: u16 = 365;
const MAX_PREFIX_CHARS: usize = 12;

/// The agency's details as Settings and `agencydesk agency profile show` present them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct AgencyDetailsView {
    pub name: String,
    pub details: AgencyDetails,
    /// The logo kept in the data folder, if any.
    pub logo: Option<LogoKind>,
}

impl Agency {
    pub fn agency_details(&self) -> Result<AgencyDetailsView, CoreError> {
        view(&self.store)
    }

    /// Checks and saves the name and details together; nothing is saved if any is refused.
    pub fn update_agency_details(
        &self,
        name: &str,
        details: &AgencyDetails,
    ) -> Result<AgencyDetailsView, CoreError> {
        let name = check_name(name)?;
        let details = check_details(details)?;
        let saved = self.store.write(|tx| {
            Ok::<_, crate::store::StoreError>(
                agency_profile::set_name(tx, &name)? && agency_profile::set_details(tx, &details)?,
            )
        })?;
        if !saved {
            return Err(no_agency());
        }
        view(&self.store)
    }

    /// Reads the PNG or SVG at `source`, checks it draws, and keeps a copy in the data folder as
    /// the logo (replacing the previous one).
    pub async fn set_agency_logo(&self, source: PathBuf) -> Result<AgencyDetailsView, CoreError> {
        let store = Arc::clone(&self.store);
        blocking(move || {
            let logo = Logo::parse(read_limited(&source)?)?;
            let dir = branding_dir(&store)?;
            files::create_private_dir(&dir)?;
            let target = dir.join(logo.kind().file_name());
            crate::atomic_file::write(&target, logo.bytes())
                .map_err(|e| WriteError::new(&target, &e))?;
            if !store
                .write(|tx| agency_profile::set_logo_file(tx, Some(logo.kind().file_name())))?
            {
                let _ = std::fs::remove_file(&target);
                return Err(no_agency());
            }
            remove_other_logos(&dir, logo.kind());
            view(&store)
        })
        .await
    }

    /// Forgets the logo and deletes its copy.
    pub fn remove_agency_logo(&self) -> Result<AgencyDetailsView, CoreError> {
        self.store
            .write(|tx| agency_profile::set_logo_file(tx, None))?;
        if let Ok(dir) = branding_dir(&self.store) {
            for kind in [LogoKind::Png, LogoKind::Svg] {
                let _ = std::fs::remove_file(dir.join(kind.file_name()));
            }
        }
        view(&self.store)
    }

    /// The default payment terms of a new pricing plan.
    pub(crate) fn default_payment_terms(store: &Store) -> Result<u16, CoreError> {
        Ok(store
            .read(agency_profile::get_details)?
            .0
            .payment_terms_days)
    }
}

/// What documents print for the agency. A logo file that went missing or no longer reads is
/// left out (with a warning in the log) rather than stopping an invoice.
pub(crate) fn letterhead(store: &Store) -> Result<Letterhead, CoreError> {
    let name = store
        .read(agency_profile::get)?
        .map(|p| p.name)
        .unwrap_or_default();
    let (details, logo_file) = store.read(agency_profile::get_details)?;
    let logo = logo_file.as_deref().and_then(|file| load_logo(store, file));
    Ok(Letterhead {
        name,
        address: details.address,
        email: details.email,
        tax_id: details.tax_id,
        payment_details: details.payment_details,
        logo,
    })
}

fn load_logo(store: &Store, file: &str) -> Option<Logo> {
    LogoKind::from_file_name(file)?;
    let path = branding_dir(store).ok()?.join(file);
    match read_limited(&path).map(Logo::parse) {
        Ok(Ok(logo)) => Some(logo),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "the agency logo no longer reads; printed without it");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "the agency logo could not be read; printed without it");
            None
        }
    }
}

fn view(store: &Store) -> Result<AgencyDetailsView, CoreError> {
    let name = store
        .read(agency_profile::get)?
        .map(|p| p.name)
        .unwrap_or_default();
    let (details, logo_file) = store.read(agency_profile::get_details)?;
    Ok(AgencyDetailsView {
        name,
        details,
        logo: logo_file.as_deref().and_then(LogoKind::from_file_name),
    })
}

fn branding_dir(store: &Store) -> Result<PathBuf, CoreError> {
    store
        .data_dir()
        .map(|dir| dir.join(BRANDING_DIR))
        .ok_or_else(|| {
            CoreError::InvalidInput(
                "This agency keeps no data folder (in-memory database): it cannot keep a logo."
                    .to_owned(),
            )
        })
}

fn remove_other_logos(dir: &Path, kept: LogoKind) {
    for kind in [LogoKind::Png, LogoKind::Svg] {
        if kind != kept {
            let _ = std::fs::remove_file(dir.join(kind.file_name()));
        }
    }
}

/// The file's bytes, refusing one larger than a logo may be without reading it all.
fn read_limited(path: &Path) -> Result<Vec<u8>, CoreError> {
    let cannot = |e: std::io::Error| {
        CoreError::InvalidInput(format!("The logo {} cannot be read: {e}.", path.display()))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_LOGO_BYTES).unwrap_or(u64::MAX) + 1;
    file.take(limit).read_to_end(&mut bytes).map_err(cannot)?;
    Ok(bytes)
}

fn no_agency() -> CoreError {
    CoreError::InvalidInput(
        "There is no agency in this data folder yet: open the app once to create it.".to_owned(),
    )
}

/// The agency name: 1 to 80 characters on one line.
pub(super) fn check_name(name: &str) -> Result<String, CoreError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(CoreError::InvalidInput(format!(
            "The agency name needs between 1 and {MAX_NAME_CHARS} characters on one line."
        )));
    }
    Ok(name.to_owned())
}

/// Trimmed text with `\n` line ends and no other control character, within the limits.
fn text_field(
    label: &str,
    text: &str,
    max_chars: usize,
    max_lines: usize,
) -> Result<String, CoreError> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    let joined = lines.join("\n");
    if joined.chars().count() > max_chars
        || lines.len() > max_lines
        || joined.chars().any(|c| c.is_control() && c != '\n')
    {
        let shape = if max_lines == 1 {
            "one line".to_owned()
        } else {
            format!("at most {max_lines} lines")
        };
        return Err(CoreError::InvalidInput(format!(
            "The {label} must be {shape} of at most {max_chars} characters in all."
        )));
    }
    Ok(joined)
}

fn check_details(details: &AgencyDetails) -> Result<AgencyDetails, CoreError> {
    let email = text_field("email", &details.email, 254, 1)?;
    if !email.is_empty() && (!email.contains('@') || email.contains(' ')) {
        return Err(CoreError::InvalidInput(format!(
            "{email:?} is not an email address."
        )));
    }
    if details.payment_terms_days > MAX_TERMS_DAYS {
        return Err(CoreError::InvalidInput(format!(
            "Payment terms are 0 to {MAX_TERMS_DAYS} days; {} is not.",
            details.payment_terms_days
        )));
    }
    let prefix = details.invoice_prefix.trim();
    // Numbers name files and fill CSV cells: only characters safe in both, starting with one
    // that no spreadsheet reads as a formula.
    let prefix_ok = prefix.chars().count() <= MAX_PREFIX_CHARS
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && prefix
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_alphanumeric());
    if !prefix_ok {
        return Err(CoreError::InvalidInput(format!(
            "The invoice number prefix is at most {MAX_PREFIX_CHARS} letters, digits, '-', '_' \
             or '.', starting with a letter or digit (like INV- or ACME-2026-); {prefix:?} is not."
        )));
    }
    Ok(AgencyDetails {
        address: text_field("address", &details.address, 500, 8)?,
        email,
        tax_id: text_field("tax ID", &details.tax_id, 64, 1)?,
        payment_terms_days: details.payment_terms_days,
        payment_details: text_field("payment details", &details.payment_details, 1000, 12)?,
        invoice_prefix: prefix.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> AgencyDetails {
        AgencyDetails {
            address: " 1 Main St\r\nSpringfield \n".into(),
            email: "billing@agency.test".into(),
            tax_id: "DE123".into(),
            payment_terms_days: 14,
            payment_details: "IBAN DE00 1234".into(),
            invoice_prefix: "ACME-".into(),
        }
    }

    #[test]
    fn details_are_trimmed_and_checked() {
        let ok = check_details(&details()).unwrap();
        assert_eq!(ok.address, "1 Main St\nSpringfield");
        for bad in [
            AgencyDetails {
                invoice_prefix: "../x".into(),
                ..details()
            },
            AgencyDetails {
                invoice_prefix: "=1+1".into(),
                ..details()
            },
            AgencyDetails {
                invoice_prefix: "-INV".into(),
                ..details()
            },
            AgencyDetails {
                email: "not an email".into(),
                ..details()
            },
            AgencyDetails {
                tax_id: "a\nb".into(),
                ..details()
            },
            AgencyDetails {
                address: "x\u{0}".into(),
                ..details()
            },
            AgencyDetails {
                payment_terms_days: 366,
                ..details()
            },
        ] {
            assert!(check_details(&bad).is_err(), "{bad:?}");
        }
        assert!(check_name("  ").is_err());
        assert!(check_name("a\nb").is_err());
        assert_eq!(check_name(" Acme ").unwrap(), "Acme");
    }
}
