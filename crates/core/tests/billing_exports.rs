//! CSV exports: golden files, every column parsed back with the csv crate, hostile names, credits.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite the files under `tests/golden/billing/` after a deliberate
//! format change (and review the diff).

mod billing_fixture;

use std::path::PathBuf;

use agencydesk_core::billing::{
    self, Adjustment, AuditOptions, BillingError, DateFormat, ExportFormat, ExportOptions, Invoice,
    InvoiceRequest, Period,
};
use billing_fixture::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn issue_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
}

/// Acme (with a credit), Cove (EUR, taxed) and the hostile client (with hostile adjustments),
/// issued in that order: INV-000001..3.
fn issued_invoices(fx: &Fixture) -> Vec<Invoice> {
    let october = Period::parse_month("2026-10").unwrap();
    let mut acme = InvoiceRequest::new(ACME, october, issue_date());
    acme.adjustments = vec![Adjustment {
        description: "Goodwill credit, \"October\" outage".into(),
        amount: dec!(-2.00),
    }];
    let cove = InvoiceRequest::new(COVE, october, issue_date());
    let mut evil = InvoiceRequest::new(EVIL, october, issue_date());
    evil.adjustments = vec![
        Adjustment {
            description: "-5 loyalty credit".into(),
            amount: dec!(-5.00),
        },
        Adjustment {
            description: "=2+3 manual fee".into(),
            amount: dec!(1.50),
        },
    ];
    [acme, cove, evil]
        .iter()
        .map(|r| {
            fx.store
                .write(|tx| billing::issue_invoice(tx, r, &AuditOptions::at(now()), false))
                .unwrap()
                .invoice
        })
        .collect()
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/billing")
        .join(name)
}

fn check_golden(name: &str, bytes: &[u8]) {
    let path = golden(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1 once)", path.display()));
    assert!(
        expected == bytes,
        "{name} differs from its golden file:\n{}",
        String::from_utf8_lossy(bytes)
    );
}

fn parse(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// What a text cell must read as: the value, with `'` in front if it could start a formula.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn money(value: Decimal) -> String {
    let mut v = value;
    v.rescale(2);
    v.to_string()
}

/// Every (invoice, line) pair in file order.
fn flat(invoices: &[Invoice]) -> Vec<(&Invoice, usize)> {
    invoices
        .iter()
        .flat_map(|inv| (0..inv.lines.len()).map(move |i| (inv, i)))
        .collect()
}

#[test]
fn generic_export_matches_its_golden_file_and_every_column() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let bytes = billing::export_to_vec(ExportFormat::Generic, &invoices, &ExportOptions::default())
        .unwrap();
    check_golden("generic.csv", &bytes);
    let (header, rows) = parse(&bytes);
    assert_eq!(
        header,
        [
            "InvoiceNumber",
            "ClientId",
            "ClientName",
            "PeriodFrom",
            "PeriodTo",
            "IssueDate",
            "DueDate",
            "Currency",
            "LineNumber",
            "LineKind",
            "Item",
            "Description",
            "Quantity",
            "Unit",
            "UnitPrice",
            "Amount",
            "TaxCode",
            "TaxAmount",
            "LineTotal"
        ]
    );
    let expected = flat(&invoices);
    assert_eq!(rows.len(), expected.len());
    for (row, (inv, i)) in rows.iter().zip(&expected) {
        let line = &inv.lines[*i];
        assert_eq!(row[0], inv.number.clone().unwrap());
        assert_eq!(row[1], inv.client_id);
        assert_eq!(row[2], cell(&inv.client_name));
        assert_eq!(
            (row[3].as_str(), row[4].as_str()),
            ("2026-10-01", "2026-10-31")
        );
        assert_eq!(row[5], "2026-11-16");
        assert_eq!(row[6], inv.due_date.to_string());
        assert_eq!(row[7], inv.currency);
        assert_eq!(row[8], (i + 1).to_string());
        assert_eq!(row[10], line.item);
        assert_eq!(row[11], cell(&line.description));
        assert_eq!(row[12].parse::<Decimal>().unwrap(), line.quantity);
        assert_eq!(row[14].parse::<Decimal>().unwrap(), line.unit_price);
        assert_eq!(row[15], money(line.amount));
        assert_eq!(
            row[16],
            inv.tax_rule.as_ref().map_or("", |t| t.code.as_str())
        );
        assert_eq!(row[17], money(line.tax_amount));
        assert_eq!(row[18], money(line.amount + line.tax_amount));
    }
    // The rows of each invoice add up to its total.
    for inv in &invoices {
        let sum: Decimal = rows
            .iter()
            .filter(|r| Some(&r[0]) == inv.number.as_ref())
            .map(|r| r[18].parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(sum, inv.total, "{:?}", inv.number);
    }
}

#[test]
fn quickbooks_export_matches_its_golden_file_and_every_column() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let bytes =
        billing::export_to_vec(ExportFormat::Qbo, &invoices, &ExportOptions::default()).unwrap();
    check_golden("qbo.csv", &bytes);
    let (header, rows) = parse(&bytes);
    assert_eq!(
        header,
        [
            "InvoiceNo",
            "Customer",
            "InvoiceDate",
            "DueDate",
            "Terms",
            "Memo",
            "Item(Product/Service)",
            "ItemDescription",
            "ItemQuantity",
            "ItemRate",
            "ItemAmount",
            "ItemTaxCode",
            "ItemTaxAmount",
            "Currency",
            "ServiceDate"
        ]
    );
    let expected = flat(&invoices);
    assert_eq!(rows.len(), expected.len());
    for (row, (inv, i)) in rows.iter().zip(&expected) {
        let line = &inv.lines[*i];
        assert_eq!(row[0], inv.number.clone().unwrap());
        assert_eq!(row[1], cell(&inv.client_name));
        // Month first: 11/16/2026 and the due date 30 days later.
        assert_eq!(row[2], "11/16/2026");
        assert_eq!(row[3], "12/16/2026");
        assert_eq!(row[4], "Net 30");
        assert_eq!(row[5], "Voice AI services, October 2026");
        assert_eq!(row[6], line.item);
        assert_eq!(row[7], cell(&line.description));
        let (qty, rate, amount) = (
            row[8].parse::<Decimal>().unwrap(),
            row[9].parse::<Decimal>().unwrap(),
            row[10].parse::<Decimal>().unwrap(),
        );
        assert_eq!(
            (qty, rate, amount),
            (line.quantity, line.unit_price, line.amount)
        );
        // What QuickBooks recomputes from quantity and rate is what we bill.
        assert_eq!(billing::money::round_cents(qty * rate), amount);
        assert_eq!(
            row[11],
            inv.tax_rule.as_ref().map_or("", |t| t.code.as_str())
        );
        assert_eq!(row[12], money(line.tax_amount));
        assert_eq!(row[13], inv.currency);
        assert_eq!(row[14], "10/31/2026");
    }
}

#[test]
fn xero_export_matches_its_golden_file_and_every_column() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let bytes =
        billing::export_to_vec(ExportFormat::Xero, &invoices, &ExportOptions::default()).unwrap();
    check_golden("xero.csv", &bytes);
    let (header, rows) = parse(&bytes);
    assert_eq!(header.len(), 27);
    assert_eq!(&header[..2], ["*ContactName", "EmailAddress"]);
    assert_eq!(
        &header[10..21],
        [
            "*InvoiceNumber",
            "Reference",
            "*InvoiceDate",
            "*DueDate",
            "InventoryItemCode",
            "*Description",
            "*Quantity",
            "*UnitAmount",
            "Discount",
            "*AccountCode",
            "*TaxType"
        ]
    );
    assert_eq!(&header[25..], ["Currency", "BrandingTheme"]);
    let expected = flat(&invoices);
    assert_eq!(rows.len(), expected.len());
    for (row, (inv, i)) in rows.iter().zip(&expected) {
        let line = &inv.lines[*i];
        assert_eq!(row[0], cell(&inv.client_name));
        // The invoice number is repeated on every line of the invoice.
        assert_eq!(row[10], inv.number.clone().unwrap());
        assert_eq!(row[11], "Voice AI services, October 2026");
        // Day first: 16/11/2026.
        assert_eq!(row[12], "16/11/2026");
        assert_eq!(row[13], "16/12/2026");
        assert_eq!(row[15], format!("{}: {}", line.item, line.description));
        let (qty, unit) = (
            row[16].parse::<Decimal>().unwrap(),
            row[17].parse::<Decimal>().unwrap(),
        );
        // Xero has no amount column: it computes quantity x unit amount, which must be our amount.
        assert_eq!(billing::money::round_cents(qty * unit), line.amount);
        assert_eq!(row[19], "200");
        let tax_type = inv
            .tax_rule
            .as_ref()
            .map_or("Tax Exempt", |t| t.code.as_str());
        assert_eq!(row[20], tax_type);
        assert_eq!(row[25], inv.currency);
        for empty in [1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 18, 21, 22, 23, 24, 26] {
            assert_eq!(row[empty], "", "column {}", header[empty]);
        }
    }
}

#[test]
fn hostile_names_are_neutralised_and_round_trip_in_every_format() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let evil = &invoices[2];
    for format in [ExportFormat::Generic, ExportFormat::Qbo, ExportFormat::Xero] {
        let bytes = billing::export_to_vec(format, &invoices, &ExportOptions::default()).unwrap();
        let (header, rows) = parse(&bytes);
        let name_col = header
            .iter()
            .position(|h| h == "ClientName" || h == "Customer" || h == "*ContactName")
            .unwrap();
        let evil_rows: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r.contains(evil.number.as_ref().unwrap()))
            .collect();
        assert_eq!(evil_rows.len(), evil.lines.len(), "{format:?}");
        for row in &evil_rows {
            // Commas, quotes, the newline and the emoji survive; the leading '=' is defused.
            assert_eq!(row[name_col], format!("'{EVIL_NAME}"), "{format:?}");
        }
        // No cell anywhere starts a formula, except plain numbers like the -5.00 credit.
        for row in &rows {
            for (i, value) in row.iter().enumerate() {
                let numeric = value.parse::<Decimal>().is_ok()
                    && value
                        .trim_start_matches('-')
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.');
                assert!(
                    numeric || !value.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']),
                    "{format:?} column {}: {value:?}",
                    header[i]
                );
            }
        }
        let all = String::from_utf8(bytes).unwrap();
        let (_, rows) = parse(all.as_bytes());
        for (_, assistant) in EVIL_ASSISTANTS {
            // Every hostile assistant name is present in full (quoted and escaped as needed);
            // names are trimmed on invoices, so "\tTabbed" reads "Tabbed".
            assert!(
                rows.iter().flatten().any(|c| c.contains(assistant.trim())),
                "{format:?}: {assistant:?}"
            );
        }
    }
    // Descriptions that start with a trigger get the prefix in the generic and QBO files.
    let descriptions: Vec<String> = evil.lines.iter().map(|l| l.description.clone()).collect();
    assert!(descriptions.contains(&"=cmd|' /C calc'!A0: 1 call".to_owned()));
    assert!(descriptions.contains(&"-5 loyalty credit".to_owned()));
    let (_, rows) = parse(
        &billing::export_to_vec(ExportFormat::Qbo, &invoices, &ExportOptions::default()).unwrap(),
    );
    let qbo_descriptions: Vec<&str> = rows.iter().map(|r| r[7].as_str()).collect();
    for defused in [
        "'=cmd|' /C calc'!A0: 1 call",
        "'+SUM(1,2): 1 call",
        "'@import: 1 call",
        "'-10: 1 call",
        "'-5 loyalty credit",
        "'=2+3 manual fee",
    ] {
        assert!(
            qbo_descriptions.contains(&defused),
            "{defused:?} in {qbo_descriptions:?}"
        );
    }
    assert!(qbo_descriptions.contains(&"Quote \"me\", please\nsecond line: 1 call"));
}

#[test]
fn tab_and_carriage_return_at_the_start_of_a_name_are_defused() {
    let fx = fixture();
    let mut invoice = issued_invoices(&fx).remove(0);
    invoice.client_name = "\t\r=Tabbed Co".into();
    invoice.lines[0].description = "\rCR first".into();
    for format in [ExportFormat::Generic, ExportFormat::Qbo, ExportFormat::Xero] {
        let bytes = billing::export_to_vec(
            format,
            std::slice::from_ref(&invoice),
            &ExportOptions::default(),
        )
        .unwrap();
        let (_, rows) = parse(&bytes);
        let cells: Vec<&String> = rows.iter().flatten().collect();
        assert!(cells.iter().any(|c| *c == "'\t\r=Tabbed Co"), "{format:?}");
        assert!(
            cells
                .iter()
                .any(|c| c.ends_with("\rCR first") && !c.starts_with('\r')),
            "{format:?}"
        );
    }
}

#[test]
fn credits_stay_negative_numbers() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let (_, rows) = parse(
        &billing::export_to_vec(ExportFormat::Qbo, &invoices, &ExportOptions::default()).unwrap(),
    );
    let credit = rows.iter().find(|r| r[7] == "'-5 loyalty credit").unwrap();
    assert_eq!(
        (credit[8].as_str(), credit[9].as_str(), credit[10].as_str()),
        ("1", "-5.00", "-5.00")
    );
    let acme_credit = rows
        .iter()
        .find(|r| r[7] == "Goodwill credit, \"October\" outage")
        .unwrap();
    // -2.00 at 8.25 % tax: -0.165 -> -0.17.
    assert_eq!(
        (acme_credit[10].as_str(), acme_credit[12].as_str()),
        ("-2.00", "-0.17")
    );
}

#[test]
fn owner_figures_never_reach_a_file() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    for format in [ExportFormat::Generic, ExportFormat::Qbo, ExportFormat::Xero] {
        let text = String::from_utf8(
            billing::export_to_vec(format, &invoices, &ExportOptions::default()).unwrap(),
        )
        .unwrap();
        // Acme's Vapi cost (2.527456 USD, 2.53) and Cove's (1.75 USD) appear nowhere.
        for secret in ["2.527456", "2.53", "1.75", "margin", "Vapi cost"] {
            assert!(!text.contains(secret), "{format:?} contains {secret}");
        }
    }
}

#[test]
fn the_files_follow_every_export_option() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let options = ExportOptions {
        qbo_date_format: DateFormat::DayFirst,
        xero_date_format: DateFormat::Iso,
        xero_account_code: "4000".into(),
        xero_taxed_tax_type: "Tax on Sales".into(),
        xero_untaxed_tax_type: "No VAT".into(),
        qbo_untaxed_tax_code: "NON".into(),
        due_days: Some(7),
    };
    let checked = options.checked().unwrap();
    assert_eq!(checked, options);
    let by_number = |rows: &[Vec<String>], col: usize, number: &str| -> Vec<Vec<String>> {
        rows.iter().filter(|r| r[col] == number).cloned().collect()
    };
    let taxed = invoices[0].number.clone().unwrap(); // Acme, tax code "TAX"
    let untaxed = invoices[2].number.clone().unwrap(); // the hostile client, no tax
    assert!(invoices[0].tax_rule.is_some() && invoices[2].tax_rule.is_none());

    let (_, qbo) = parse(&billing::export_to_vec(ExportFormat::Qbo, &invoices, &options).unwrap());
    for row in &qbo {
        // Issued 16 November; due 7 days later whatever the plans say (Acme's says 30).
        assert_eq!((&row[2][..], &row[3][..]), ("16/11/2026", "23/11/2026"));
        assert_eq!(row[4], "Net 7");
        assert_eq!(row[14], "31/10/2026");
    }
    assert!(by_number(&qbo, 0, &taxed).iter().all(|r| r[11] == "TAX"));
    assert!(by_number(&qbo, 0, &untaxed).iter().all(|r| r[11] == "NON"));

    let (_, xero) =
        parse(&billing::export_to_vec(ExportFormat::Xero, &invoices, &options).unwrap());
    for row in &xero {
        assert_eq!((&row[12][..], &row[13][..]), ("2026-11-16", "2026-11-23"));
        assert_eq!(row[19], "4000");
    }
    assert!(by_number(&xero, 10, &taxed)
        .iter()
        .all(|r| r[20] == "Tax on Sales"));
    assert!(by_number(&xero, 10, &untaxed)
        .iter()
        .all(|r| r[20] == "No VAT"));

    // Without an override each invoice keeps its own terms and the plan's tax code.
    let own = ExportOptions {
        due_days: None,
        xero_taxed_tax_type: String::new(),
        ..options
    };
    let (_, xero) = parse(&billing::export_to_vec(ExportFormat::Xero, &invoices, &own).unwrap());
    assert!(by_number(&xero, 10, &taxed)
        .iter()
        .all(|r| r[13] == "2026-12-16" && r[20] == "TAX"));
    let due_on_receipt = ExportOptions {
        due_days: Some(0),
        ..own
    };
    let (_, qbo) =
        parse(&billing::export_to_vec(ExportFormat::Qbo, &invoices, &due_on_receipt).unwrap());
    assert!(qbo
        .iter()
        .all(|r| r[3] == "16/11/2026" && r[4] == "Due on receipt"));
}

#[test]
fn export_options_out_of_their_lists_are_refused() {
    let good = ExportOptions::default();
    let padded = ExportOptions {
        xero_account_code: " 200 ".into(),
        xero_untaxed_tax_type: " Tax Exempt ".into(),
        ..good.clone()
    };
    assert_eq!(padded.checked().unwrap(), good);
    let bad = [
        ExportOptions {
            xero_account_code: String::new(),
            ..good.clone()
        },
        ExportOptions {
            xero_account_code: "12345678901".into(),
            ..good.clone()
        },
        ExportOptions {
            xero_account_code: "=1+1".into(),
            ..good.clone()
        },
        ExportOptions {
            xero_account_code: "2 00".into(),
            ..good.clone()
        },
        ExportOptions {
            xero_untaxed_tax_type: String::new(),
            ..good.clone()
        },
        ExportOptions {
            xero_untaxed_tax_type: "@SUM(A1)".into(),
            ..good.clone()
        },
        ExportOptions {
            xero_taxed_tax_type: "-VAT".into(),
            ..good.clone()
        },
        ExportOptions {
            xero_taxed_tax_type: "x".repeat(51),
            ..good.clone()
        },
        ExportOptions {
            qbo_untaxed_tax_code: "a\nb".into(),
            ..good.clone()
        },
        ExportOptions {
            due_days: Some(366),
            ..good.clone()
        },
    ];
    for options in bad {
        let err = options.checked().unwrap_err();
        assert!(
            matches!(err, BillingError::Refused(_)),
            "{options:?}: {err:?}"
        );
    }
    // The date formats are a closed list: anything else does not even parse.
    assert!(serde_json::from_value::<DateFormat>(serde_json::json!("YYYY/DD/MM")).is_err());
    assert_eq!(DateFormat::parse("yyyy-mm-dd"), Some(DateFormat::Iso));
}

#[test]
fn drafts_export_only_in_the_generic_format() {
    let fx = fixture();
    let request = InvoiceRequest::new(ACME, Period::parse_month("2026-10").unwrap(), issue_date());
    let draft = fx
        .store
        .read(|c| billing::preview_invoice(c, &request, &AuditOptions::at(now())))
        .unwrap()
        .invoice;
    for format in [ExportFormat::Qbo, ExportFormat::Xero] {
        assert!(matches!(
            billing::export_to_vec(
                format,
                std::slice::from_ref(&draft),
                &ExportOptions::default()
            ),
            Err(BillingError::DraftNotExportable { .. })
        ));
    }
    let bytes =
        billing::export_to_vec(ExportFormat::Generic, &[draft], &ExportOptions::default()).unwrap();
    let (_, rows) = parse(&bytes);
    assert_eq!(rows[0][0], "");
}

#[test]
fn export_to_file_writes_whole_files_only() {
    let fx = fixture();
    let invoices = issued_invoices(&fx);
    let out = fx.dir.path().join("october.csv");
    billing::export_to_file(
        &out,
        ExportFormat::Xero,
        &invoices,
        &ExportOptions::default(),
    )
    .unwrap();
    let written = std::fs::read(&out).unwrap();
    assert_eq!(
        written,
        billing::export_to_vec(ExportFormat::Xero, &invoices, &ExportOptions::default()).unwrap()
    );
    assert!(written.ends_with(b"\r\n"));
    let leftovers: Vec<_> = std::fs::read_dir(fx.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
    let nowhere = fx.dir.path().join("missing-dir").join("x.csv");
    assert!(matches!(
        billing::export_to_file(
            &nowhere,
            ExportFormat::Qbo,
            &invoices,
            &ExportOptions::default()
        ),
        Err(BillingError::Io(_))
    ));
    assert!(!nowhere.exists());
}
