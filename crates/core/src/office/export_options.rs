//! The accountants' export options as Settings and `agencydesk export options` read and save
//! them (checked by `billing::export`, kept in SQLite so the window and the CLI agree).

use crate::agency::Agency;
use crate::billing::export::{options_store, ExportOptions};
use crate::error::CoreError;
use crate::store::time;

impl Agency {
    /// The saved options, or the defaults while none were saved.
    pub fn export_options(&self) -> Result<ExportOptions, CoreError> {
        Ok(self.store().read(options_store::get)?)
    }

    /// Checks and saves every option at once; nothing is saved if one is refused. Returns the
    /// options as stored (trimmed).
    pub fn update_export_options(
        &self,
        options: &ExportOptions,
    ) -> Result<ExportOptions, CoreError> {
        let checked = options.checked()?;
        let now = time::now();
        self.store().write(|tx| {
            options_store::set(tx, &checked, &now)?;
            Ok::<_, CoreError>(options_store::get(tx)?)
        })
    }
}
