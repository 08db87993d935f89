//! Where archived recordings go, and whether a file there is still the one archived.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::billing::file_names::slug;
use crate::store::recordings::ArchivedFile;

/// The archive folder's name inside the data folder.
pub const ARCHIVE_DIR: &str = "archive";

pub fn archive_root(data_dir: &Path) -> PathBuf {
    data_dir.join(ARCHIVE_DIR)
}

/// `<client>/<yyyy-mm>/<call id>.wav`, relative to the archive folder: the client's name made
/// safe plus the start of its org id (two clients may share a name); `None` when the call id or
/// date could escape their folder (Vapi's ids are UUIDs).
pub fn relative_path(
    org_id: &str,
    org_name: &str,
    created_at: &str,
    call_id: &str,
) -> Option<String> {
    let safe_id = |s: &str| {
        !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let month = created_at.get(0..7)?;
    let month_ok = month.len() == 7
        && month
            .char_indices()
            .all(|(i, c)| if i == 4 { c == '-' } else { c.is_ascii_digit() });
    let org_short: String = org_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    if !safe_id(call_id) || !month_ok || org_short.is_empty() {
        return None;
    }
    let client = format!("{}-{org_short}", slug(org_name, "client"));
    Some(format!("{client}/{month}/{call_id}.wav"))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the archived file is on disk, whole and unchanged (size and SHA-256).
pub(crate) fn verified(root: &Path, file: &ArchivedFile) -> bool {
    let path = root.join(&file.path);
    let Ok(meta) = std::fs::metadata(&path) else {
        return false;
    };
    if meta.len() != file.bytes {
        return false;
    }
    let Ok(mut f) = std::fs::File::open(&path) else {
        return false;
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buf[..n]),
            Err(_) => return false,
        }
    }
    hex(&hasher.finalize()) == file.sha256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_archive() {
        assert_eq!(
            relative_path(
                "3f2a9c1b-0000",
                "Acme Dental",
                "2026-11-05T10:00:00Z",
                "ab-12"
            )
            .as_deref(),
            Some("acme-dental-3f2a9c1b/2026-11/ab-12.wav")
        );
        assert_eq!(relative_path("o", "x", "2026-11-05", "../etc"), None);
        assert_eq!(relative_path("o", "x", "20/6-11-05", "a"), None);
        assert_eq!(relative_path("../", "x", "2026-11-05", "a"), None);
        assert_eq!(
            relative_path("o1", "../../", "2026-11-05", "a").as_deref(),
            Some("client-o1/2026-11/a.wav")
        );
    }
}
