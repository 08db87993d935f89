//! Invoice exports end to end: an agency synced from the simulator (real HTTP on 127.0.0.1, real
//! SQLite in a temp folder), each format written by `Agency::export_invoices` /
//! `export_invoice_file` and parsed back with the csv crate, column by column against the invoice
//! preview; numbering rules.

mod billing_world;

use agencydesk_core::billing::{
    list_invoices, BatchRequest, ExportFormat, ExportRequest, InvoiceStatus,
};
use agencydesk_core::error::Code;
use agencydesk_core::store::clients;
use billing_world::*;
use rust_decimal::Decimal;

fn batch(format: ExportFormat) -> BatchRequest {
    BatchRequest {
        period: last_month(),
        client_id: None,
        format,
        reissue: false,
        allow_unsettled: false,
        draft: false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_format_parses_back_to_the_preview_totals() {
    let world = synced_world().await;
    let period = last_month();
    let out = tempfile::tempdir().unwrap();
    let clients = world.clients();
    assert_eq!(clients.len(), 4);

    // QuickBooks: one file, rows grouped by invoice number, amounts and taxes per line.
    let qbo = world
        .agency
        .export_invoices(batch(ExportFormat::Qbo), out.path().to_path_buf())
        .await
        .unwrap();
    assert!(qbo.failed.is_empty() && qbo.skipped.is_empty(), "{qbo:?}");
    assert_eq!(qbo.files.len(), 1);
    assert!(qbo.files[0].ends_with(format!("invoices_{}_qbo.csv", period.from.format("%Y-%m"))));
    let rows = read_csv(&qbo.files[0]);
    let invoices = group_by(&rows, "InvoiceNo");
    assert_eq!(invoices.len(), clients.len());
    let mut numbers: Vec<String> = invoices.iter().map(|(n, _)| n.clone()).collect();
    numbers.sort();
    assert_eq!(
        numbers,
        ["INV-000001", "INV-000002", "INV-000003", "INV-000004"]
    );
    for (number, lines) in &invoices {
        let name = &lines[0]["Customer"];
        let client = clients.iter().find(|c| &c.name == name).unwrap();
        let preview = world.preview(&client.id, period);
        assert!(!preview.invoice.lines.is_empty(), "{name} bills something");
        assert_eq!(lines.len(), preview.invoice.lines.len(), "{number}");
        let amounts: Decimal = lines.iter().map(|l| dec(&l["ItemAmount"])).sum();
        let taxes: Decimal = lines.iter().map(|l| dec(&l["ItemTaxAmount"])).sum();
        assert_eq!(amounts, preview.invoice.subtotal, "{number} subtotal");
        assert_eq!(taxes, preview.invoice.tax_total, "{number} tax");
        assert_eq!(amounts + taxes, preview.invoice.total, "{number} total");
        for (row, line) in lines.iter().zip(&preview.invoice.lines) {
            assert_eq!(dec(&row["ItemQuantity"]), line.quantity);
            assert_eq!(dec(&row["ItemRate"]), line.unit_price);
            assert_eq!(row["Currency"], preview.invoice.currency);
            assert_eq!(row["Item(Product/Service)"], line.item);
        }
    }

    // Xero: the same invoices, re-used (no new number); Xero recomputes amounts from quantity
    // and unit price, so those must give the preview's subtotal.
    let xero = world
        .agency
        .export_invoices(batch(ExportFormat::Xero), out.path().to_path_buf())
        .await
        .unwrap();
    assert!(
        xero.invoices.iter().all(|b| b.reused),
        "re-used, not renumbered"
    );
    let rows = read_csv(&xero.files[0]);
    let invoices = group_by(&rows, "*InvoiceNumber");
    let mut xero_numbers: Vec<String> = invoices.iter().map(|(n, _)| n.clone()).collect();
    xero_numbers.sort();
    assert_eq!(xero_numbers, numbers);
    for (number, lines) in &invoices {
        let client = clients
            .iter()
            .find(|c| c.name == lines[0]["*ContactName"])
            .unwrap();
        let preview = world.preview(&client.id, period);
        let subtotal: Decimal = lines
            .iter()
            .map(|l| cents(dec(&l["*Quantity"]) * dec(&l["*UnitAmount"])))
            .sum();
        assert_eq!(subtotal, preview.invoice.subtotal, "{number}");
        assert_eq!(lines[0]["Currency"], preview.invoice.currency);
    }

    // Generic: one file per invoice, every field.
    let generic = world
        .agency
        .export_invoices(batch(ExportFormat::Generic), out.path().to_path_buf())
        .await
        .unwrap();
    assert_eq!(generic.files.len(), clients.len());
    for file in &generic.files {
        let rows = read_csv(file);
        let client_id = &rows[0]["ClientId"];
        let preview = world.preview(client_id, period);
        let number = &rows[0]["InvoiceNumber"];
        assert!(
            file.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(number.as_str()),
            "{file:?}"
        );
        let amounts: Decimal = rows.iter().map(|r| dec(&r["Amount"])).sum();
        let totals: Decimal = rows.iter().map(|r| dec(&r["LineTotal"])).sum();
        assert_eq!(amounts, preview.invoice.subtotal);
        assert_eq!(totals, preview.invoice.total);
        assert_eq!(rows[0]["PeriodFrom"], period.from.to_string());
        assert_eq!(rows[0]["PeriodTo"], period.to.to_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_are_reused_until_a_reissue_voids_them() {
    let world = synced_world().await;
    let store = world.agency.store();
    let out = tempfile::tempdir().unwrap();
    let client = world.clients().remove(0);
    let request = ExportRequest {
        client_id: client.id.clone(),
        period: last_month(),
        format: ExportFormat::Generic,
        reissue: false,
        allow_unsettled: false,
    };
    let path = out.path().join("one.csv").display().to_string();

    let first = world
        .agency
        .export_invoice_file(request.clone(), path.clone())
        .await
        .unwrap();
    assert_eq!(first.number, "INV-000001");
    assert!(!first.reused);
    let again = world
        .agency
        .export_invoice_file(request.clone(), path.clone())
        .await
        .unwrap();
    assert_eq!(again.number, "INV-000001", "a re-export burns no number");
    assert!(again.reused);

    let reissue = ExportRequest {
        reissue: true,
        ..request.clone()
    };
    let renewed = world
        .agency
        .export_invoice_file(reissue.clone(), path.clone())
        .await
        .unwrap();
    assert_eq!(renewed.number, "INV-000002");
    assert_eq!(renewed.voided.as_deref(), Some("INV-000001"));
    let rows = read_csv(std::path::Path::new(&renewed.path));
    assert!(rows.iter().all(|r| r["InvoiceNumber"] == "INV-000002"));
    assert_eq!(
        rows.iter().map(|r| dec(&r["LineTotal"])).sum::<Decimal>(),
        dec(&renewed.total)
    );

    // Another client takes the next number: the voided one is never handed out again.
    let other = world.clients().remove(1);
    let next = world
        .agency
        .export_invoice_file(
            ExportRequest {
                client_id: other.id,
                ..request
            },
            path.clone(),
        )
        .await
        .unwrap();
    assert_eq!(next.number, "INV-000003");
    let listed = store.read(|c| list_invoices(c, Some(&client.id))).unwrap();
    let statuses: Vec<(String, InvoiceStatus)> =
        listed.into_iter().map(|i| (i.number, i.status)).collect();
    assert_eq!(
        statuses,
        [
            ("INV-000002".to_owned(), InvoiceStatus::Issued),
            ("INV-000001".to_owned(), InvoiceStatus::Void)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_issue_nothing_and_need_the_generic_format() {
    let world = synced_world().await;
    let store = world.agency.store();
    let out = tempfile::tempdir().unwrap();
    let draft = BatchRequest {
        draft: true,
        ..batch(ExportFormat::Generic)
    };
    let outcome = world
        .agency
        .export_invoices(draft, out.path().to_path_buf())
        .await
        .unwrap();
    assert_eq!(outcome.files.len(), 4);
    for file in &outcome.files {
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with("draft_"), "{name}");
        assert!(read_csv(file).iter().all(|r| r["InvoiceNumber"].is_empty()));
    }
    assert!(store.read(|c| list_invoices(c, None)).unwrap().is_empty());

    let refused = world
        .agency
        .export_invoices(
            BatchRequest {
                draft: true,
                ..batch(ExportFormat::Qbo)
            },
            out.path().to_path_buf(),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidInput);
    assert!(refused.to_string().contains("generic"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_client_names_round_trip_and_stay_out_of_file_names() {
    let world = synced_world().await;
    let store = world.agency.store();
    let hostile = "=HYPERLINK(\"http://x\",\"pay\"), \"Quoted\"\nLine two ü 🚀 ../../etc";
    let mut client = world.clients().remove(0);
    client.name = hostile.to_owned();
    store.read(|c| clients::upsert(c, &client)).unwrap();

    let out = tempfile::tempdir().unwrap();
    let request = BatchRequest {
        client_id: Some(client.id.clone()),
        ..batch(ExportFormat::Generic)
    };
    let outcome = world
        .agency
        .export_invoices(request.clone(), out.path().to_path_buf())
        .await
        .unwrap();
    let file = &outcome.files[0];
    assert_eq!(file.parent().unwrap(), out.path(), "written inside --out");
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
        "{name}"
    );
    let rows = read_csv(file);
    // The formula is neutralised with a leading quote; everything else survives the parser.
    assert_eq!(rows[0]["ClientName"], format!("'{hostile}"));

    for format in [ExportFormat::Qbo, ExportFormat::Xero] {
        let outcome = world
            .agency
            .export_invoices(
                BatchRequest {
                    format,
                    ..request.clone()
                },
                out.path().to_path_buf(),
            )
            .await
            .unwrap();
        let rows = read_csv(&outcome.files[0]);
        let column = if format == ExportFormat::Qbo {
            "Customer"
        } else {
            "*ContactName"
        };
        assert!(rows.iter().all(|r| r[column] == format!("'{hostile}")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_paths_from_the_dialog_are_checked() {
    let world = synced_world().await;
    let out = tempfile::tempdir().unwrap();
    let request = ExportRequest {
        client_id: world.clients().remove(0).id,
        period: last_month(),
        format: ExportFormat::Qbo,
        reissue: false,
        allow_unsettled: false,
    };
    let store = world.agency.store();
    for bad in [
        "invoice.csv".to_owned(),
        format!("{}/x.exe", out.path().display()),
    ] {
        let err = world
            .agency
            .export_invoice_file(request.clone(), bad.clone())
            .await
            .unwrap_err();
        assert_eq!(err.code(), Code::InvalidInput, "{bad}");
    }
    assert!(
        store.read(|c| list_invoices(c, None)).unwrap().is_empty(),
        "a refused path issues nothing"
    );
    let done = world
        .agency
        .export_invoice_file(
            request.clone(),
            format!("{}/no-extension", out.path().display()),
        )
        .await
        .unwrap();
    assert!(done.path.ends_with("no-extension.csv"), "{}", done.path);
    assert!(std::path::Path::new(&done.path).is_file());
}
