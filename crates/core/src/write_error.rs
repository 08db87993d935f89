//! A file agencydesk was asked to write (an invoice CSV, a chart) could not be written.
//! A leaf: billing and charts both report it, and the crate error gathers it.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
#[error("Could not write {path}: {reason}. Choose a folder you can write to.")]
pub struct WriteError {
    pub path: String,
    pub reason: String,
}

impl WriteError {
    pub fn new(path: &Path, error: &dyn std::fmt::Display) -> Self {
        Self {
            path: path.display().to_string(),
            reason: error.to_string(),
        }
    }
}
