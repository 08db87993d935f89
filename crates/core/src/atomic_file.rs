//! Files agencydesk writes for the person (exports, documents) appear whole or not at all: the
//! bytes go to `<name>.partial` first, which replaces the file only once it is complete.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path`; on failure nothing is left behind and the old file (if any) stays.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = Path::new(&partial);
    let written = fs::File::create(partial).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(partial, path)) {
        // Best effort: the original error is the one worth reporting.
        let _ = fs::remove_file(partial);
        return Err(e);
    }
    Ok(())
}
