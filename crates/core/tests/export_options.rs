//! The accountants' export options through `Agency`, on a real SQLite file: defaults until
//! saved, kept across a reopen (what the CLI and the window share), refused values change
//! nothing, and the QuickBooks and Xero files an export writes follow the saved options.

mod billing_fixture;

use std::sync::Arc;

use agencydesk_core::agency::Agency;
use agencydesk_core::billing::{BatchRequest, DateFormat, ExportFormat, ExportOptions, Period};
use agencydesk_core::error::Code;
use agencydesk_core::keychain::EphemeralKeychain;
use billing_fixture::{fixture, Fixture};

fn open(dir: &std::path::Path) -> Agency {
    Agency::open(dir, Arc::new(EphemeralKeychain::new())).unwrap()
}

fn rows(path: &std::path::Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saved_options_persist_and_shape_the_exported_files() {
    let Fixture { dir, store } = fixture();
    drop(store);
    let agency = open(dir.path());
    assert_eq!(agency.export_options().unwrap(), ExportOptions::default());

    let wanted = ExportOptions {
        qbo_date_format: DateFormat::Iso,
        xero_date_format: DateFormat::MonthFirst,
        xero_account_code: " 4100 ".into(),
        xero_taxed_tax_type: String::new(),
        xero_untaxed_tax_type: "No VAT".into(),
        qbo_untaxed_tax_code: "NON".into(),
        due_days: Some(10),
    };
    let saved = agency.update_export_options(&wanted).unwrap();
    assert_eq!(saved.xero_account_code, "4100", "trimmed");
    let refused = agency
        .update_export_options(&ExportOptions {
            xero_account_code: "=HYPERLINK(1)".into(),
            ..saved.clone()
        })
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidInput, "{refused}");
    drop(agency);

    let agency = open(dir.path());
    assert_eq!(
        agency.export_options().unwrap(),
        saved,
        "kept across a reopen"
    );

    let out = tempfile::tempdir().unwrap();
    let batch = |format| BatchRequest {
        period: Period::parse_month("2026-10").unwrap(),
        client_id: None,
        format,
        reissue: false,
        allow_unsettled: true,
        draft: false,
    };
    let qbo = agency
        .export_invoices(batch(ExportFormat::Qbo), out.path().to_path_buf())
        .await
        .unwrap();
    assert!(!qbo.invoices.is_empty());
    let issue = qbo.invoices[0].invoice.issue_date;
    let due = issue + chrono::Days::new(10);
    for row in rows(&qbo.files[0]) {
        assert_eq!(&row[2], issue.format("%Y-%m-%d").to_string(), "{row:?}");
        assert_eq!(&row[3], due.format("%Y-%m-%d").to_string(), "{row:?}");
        assert_eq!(&row[4], "Net 10");
    }
    let xero = agency
        .export_invoices(batch(ExportFormat::Xero), out.path().to_path_buf())
        .await
        .unwrap();
    let xero_rows = rows(&xero.files[0]);
    assert!(!xero_rows.is_empty());
    for row in &xero_rows {
        assert_eq!(&row[12], issue.format("%m/%d/%Y").to_string());
        assert_eq!(&row[13], due.format("%m/%d/%Y").to_string());
        assert_eq!(&row[19], "4100");
    }
    assert!(
        xero_rows.iter().any(|r| &r[20] == "No VAT"),
        "an untaxed client"
    );
    assert!(
        xero_rows.iter().any(|r| &r[20] == "TAX"),
        "a taxed client keeps its code"
    );
}
