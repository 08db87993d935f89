//! `agencydesk agency ...`: the agency's own Vapi org, whose key creates new client orgs, and the
//! agency's details that invoices print (`agency profile show|set`).

use agencydesk_core::agency::AgencyDetailsView;
use agencydesk_core::documents::LogoKind;

use super::args;
use super::output::write_stdout;
use super::session::with_agency;
use crate::error::AppError;

/// Links (or relinks) the agency's own org with its private key from standard input or a hidden
/// prompt. Prints only the org and the key's fingerprint.
pub async fn link(demo: bool, address: &args::VapiAddressArgs) -> Result<(), AppError> {
    // An address that may not receive the key fails before the key is asked for.
    let confirmer = address.confirmer()?;
    let key = args::read_private_key("your agency's own org")?;
    let linked = with_agency(demo, |session| async move {
        Ok(session
            .agency
            .link_agency(Some(&address.base_url), key, &confirmer)
            .await?)
    })
    .await?;
    write_stdout(&format!(
        "Linked your agency's own org {} ({}) with key {}. Create client orgs with: \
         agencydesk clients create --name NAME\n",
        linked.name,
        linked.id,
        linked.key_fingerprint.as_deref().unwrap_or("-"),
    ))
}

#[derive(Debug, clap::Subcommand)]
pub enum ProfileCommand {
    /// Print the agency's details as invoices print them.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change some details; the others stay as they are. Multi-line values (address, payment
    /// details) take real line breaks, e.g. --address $'1 Main St\nSpringfield'.
    Set(ProfileSetArgs),
}

#[derive(Debug, clap::Args)]
pub struct ProfileSetArgs {
    #[arg(long)]
    name: Option<String>,
    #[arg(long)]
    address: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    tax_id: Option<String>,
    /// Days from issue to due date that new pricing plans start with.
    #[arg(long)]
    payment_terms_days: Option<u16>,
    /// Bank, IBAN, payment link: printed under the invoice total.
    #[arg(long)]
    payment_details: Option<String>,
    /// Invoice numbers are this prefix and 6 digits, e.g. ACME- gives ACME-000042.
    #[arg(long)]
    invoice_prefix: Option<String>,
    /// A PNG or SVG file; agencydesk keeps a copy in its data folder.
    #[arg(long, conflicts_with = "no_logo")]
    logo: Option<std::path::PathBuf>,
    /// Remove the logo.
    #[arg(long)]
    no_logo: bool,
}

pub async fn profile(demo: bool, command: ProfileCommand) -> Result<(), AppError> {
    let (view, json) = with_agency(demo, |session| async move {
        match command {
            ProfileCommand::Show { json } => Ok((session.agency.agency_details()?, json)),
            ProfileCommand::Set(args) => Ok((set(&session.agency, args).await?, false)),
        }
    })
    .await?;
    if json {
        write_stdout(&super::output::json(&view)?)
    } else {
        write_stdout(&describe(&view))
    }
}

async fn set(
    agency: &agencydesk_core::agency::Agency,
    args: ProfileSetArgs,
) -> Result<AgencyDetailsView, AppError> {
    let current = agency.agency_details()?;
    let mut details = current.details;
    let replace = |field: &mut String, value: Option<String>| {
        if let Some(value) = value {
            *field = value;
        }
    };
    replace(&mut details.address, args.address);
    replace(&mut details.email, args.email);
    replace(&mut details.tax_id, args.tax_id);
    replace(&mut details.payment_details, args.payment_details);
    replace(&mut details.invoice_prefix, args.invoice_prefix);
    if let Some(days) = args.payment_terms_days {
        details.payment_terms_days = days;
    }
    let name = args.name.unwrap_or(current.name);
    let mut view = agency.update_agency_details(&name, &details)?;
    if let Some(logo) = args.logo {
        view = agency.set_agency_logo(logo).await?;
    } else if args.no_logo {
        view = agency.remove_agency_logo()?;
    }
    Ok(view)
}

fn describe(view: &AgencyDetailsView) -> String {
    let d = &view.details;
    let logo = match view.logo {
        Some(LogoKind::Png) => "PNG",
        Some(LogoKind::Svg) => "SVG",
        None => "-",
    };
    let multi = |text: &str| {
        if text.is_empty() {
            "-".to_owned()
        } else {
            text.replace('\n', "\n                    ")
        }
    };
    let or_dash = |text: &str| if text.is_empty() { "-" } else { text }.to_owned();
    format!(
        "name                {}\naddress             {}\nemail               {}\ntax ID              {}\n\
         logo                {logo}\npayment terms       {} days\npayment details     {}\n\
         invoice prefix      {} (next numbers look like {}000042)\n",
        view.name,
        multi(&d.address),
        or_dash(&d.email),
        or_dash(&d.tax_id),
        d.payment_terms_days,
        multi(&d.payment_details),
        or_dash(&d.invoice_prefix),
        d.invoice_prefix,
    )
}
