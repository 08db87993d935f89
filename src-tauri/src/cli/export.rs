//! `agencydesk export options show|set`: the QuickBooks Online and Xero files' options (date
//! formats, Xero account code and tax types, due days), the same ones Settings edits.

use agencydesk_core::billing::{DateFormat, ExportOptions};

use super::args;
use super::output::write_stdout;
use super::session::with_agency;
use crate::error::AppError;

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// How the QuickBooks Online and Xero invoice files are written.
    #[command(subcommand)]
    Options(OptionsCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum OptionsCommand {
    /// Print the options the next exports use.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change some options; the others stay as they are. Nothing is saved if one is refused.
    Set(OptionsSetArgs),
}

#[derive(Debug, clap::Args)]
pub struct OptionsSetArgs {
    /// QuickBooks dates: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD (as its import dialog is set).
    #[arg(long, value_name = "FORMAT", value_parser = args::date_format)]
    qbo_date_format: Option<DateFormat>,
    /// Xero dates: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD (as the organisation's region reads).
    #[arg(long, value_name = "FORMAT", value_parser = args::date_format)]
    xero_date_format: Option<DateFormat>,
    /// Xero revenue account code, e.g. 200.
    #[arg(long, value_name = "CODE")]
    xero_account_code: Option<String>,
    /// Xero tax rate for taxed lines; "" uses each pricing plan's tax code.
    #[arg(long, value_name = "NAME")]
    xero_taxed_tax_type: Option<String>,
    /// Xero tax rate for untaxed lines, e.g. "Tax Exempt".
    #[arg(long, value_name = "NAME")]
    xero_untaxed_tax_type: Option<String>,
    /// QuickBooks tax code for untaxed lines; "" leaves the column blank.
    #[arg(long, value_name = "CODE")]
    qbo_untaxed_tax_code: Option<String>,
    /// Every exported invoice is due this many days after its issue date (0 to 365).
    #[arg(long, value_name = "DAYS", conflicts_with = "own_terms")]
    due_days: Option<u16>,
    /// Each invoice is due as its pricing plan's terms say (as its PDF prints).
    #[arg(long)]
    own_terms: bool,
}

pub async fn run(demo: bool, command: ExportCommand) -> Result<(), AppError> {
    let ExportCommand::Options(command) = command;
    let (options, json) = with_agency(demo, |session| async move {
        match command {
            OptionsCommand::Show { json } => Ok((session.agency.export_options()?, json)),
            OptionsCommand::Set(args) => {
                let current = session.agency.export_options()?;
                Ok((
                    session.agency.update_export_options(&args.apply(current))?,
                    false,
                ))
            }
        }
    })
    .await?;
    if json {
        write_stdout(&super::output::json(&options)?)
    } else {
        write_stdout(&describe(&options))
    }
}

impl OptionsSetArgs {
    fn apply(self, mut options: ExportOptions) -> ExportOptions {
        let replace = |field: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *field = value;
            }
        };
        if let Some(f) = self.qbo_date_format {
            options.qbo_date_format = f;
        }
        if let Some(f) = self.xero_date_format {
            options.xero_date_format = f;
        }
        replace(&mut options.xero_account_code, self.xero_account_code);
        replace(&mut options.xero_taxed_tax_type, self.xero_taxed_tax_type);
        replace(
            &mut options.xero_untaxed_tax_type,
            self.xero_untaxed_tax_type,
        );
        replace(&mut options.qbo_untaxed_tax_code, self.qbo_untaxed_tax_code);
        if self.own_terms {
            options.due_days = None;
        } else if let Some(days) = self.due_days {
            options.due_days = Some(days);
        }
        options
    }
}

fn describe(o: &ExportOptions) -> String {
    let or = |text: &str, empty: &str| {
        if text.is_empty() {
            empty.to_owned()
        } else {
            text.to_owned()
        }
    };
    let due = match o.due_days {
        Some(days) => format!("{days} days after the issue date"),
        None => "each invoice's own terms (its pricing plan's)".to_owned(),
    };
    format!(
        "QuickBooks dates            {}\nQuickBooks untaxed tax code {}\nXero dates                  {}\n\
         Xero account code           {}\nXero taxed tax type         {}\nXero untaxed tax type       {}\n\
         due                         {due}\n",
        o.qbo_date_format.pattern(),
        or(&o.qbo_untaxed_tax_code, "- (blank)"),
        o.xero_date_format.pattern(),
        o.xero_account_code,
        or(&o.xero_taxed_tax_type, "- (the pricing plan's tax code)"),
        o.xero_untaxed_tax_type,
    )
}
