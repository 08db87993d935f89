//! PDF invoices end to end: an agency synced from the simulator, its details and logo set through
//! `Agency`, every client's invoice written as CSV and as PDF, and each PDF read back with
//! poppler as a client's viewer would: the number, the client, a total equal to the CSV's, the
//! embedded font, the page count, hostile names as plain text, amounts without decimals in JPY.

mod billing_world;
mod pdf_tools;

use std::path::Path;

use agencydesk_core::billing::money::format_money;
use agencydesk_core::billing::plan::PricingPlan;
use agencydesk_core::billing::{
    delete_plan, save_plan, BatchRequest, ExportFormat, ExportRequest, Invoice, InvoiceLine,
    LineKind, LineUnit, Period,
};
use agencydesk_core::documents::{invoice_pdf, Letterhead, LogoKind};
use agencydesk_core::error::Code;
use agencydesk_core::store::agency_profile::{AgencyDetails, AgencyMode};
use agencydesk_core::store::clients;
use billing_world::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn batch(format: ExportFormat, client_id: Option<&str>) -> BatchRequest {
    BatchRequest {
        period: last_month(),
        client_id: client_id.map(str::to_owned),
        format,
        reissue: false,
        allow_unsettled: true,
        draft: false,
    }
}

fn details() -> AgencyDetails {
    AgencyDetails {
        address: "12 Harbour Road\nPortsmouth PO1 2AB\nUnited Kingdom".into(),
        email: "billing@northwind-voice.test".into(),
        tax_id: "GB 123 4567 89".into(),
        payment_terms_days: 21,
        payment_details: "Bank transfer to Northwind Voice Ltd\nIBAN GB29 NWBK 6016 1331 9268 19"
            .into(),
        invoice_prefix: "NWV-".into(),
    }
}

/// A 120 x 40 PNG logo: a dark bar with a lighter square.
fn png_logo(path: &Path) {
    let (w, h) = (120u32, 40u32);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let inside = (8..32).contains(&y) && (8..32).contains(&x);
            pixels.extend_from_slice(if inside {
                &[90, 180, 250]
            } else {
                &[20, 40, 80]
            });
        }
    }
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(file, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
}

async fn branded_world(logo: &Path) -> World {
    let world = synced_world().await;
    world
        .agency
        .set_profile("Northwind Voice Ltd", AgencyMode::Live)
        .unwrap();
    world
        .agency
        .update_agency_details("Northwind Voice Ltd", &details())
        .unwrap();
    world
        .agency
        .set_agency_logo(logo.to_path_buf())
        .await
        .unwrap();
    world
}

fn sum_column(rows: &[std::collections::BTreeMap<String, String>], column: &str) -> Decimal {
    rows.iter().map(|r| dec(&r[column])).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pdf_invoice_shows_the_csv_figures_as_searchable_text() {
    let scratch = tempfile::tempdir().unwrap();
    let logo = scratch.path().join("my logo.png");
    png_logo(&logo);
    let world = branded_world(&logo).await;
    let data_logo = world._data.path().join("branding/logo.png");
    assert_eq!(
        std::fs::read(&data_logo).unwrap(),
        std::fs::read(&logo).unwrap()
    );
    std::fs::remove_file(&logo).unwrap(); // the copy is what prints

    let out = tempfile::tempdir().unwrap();
    let csv = world
        .agency
        .export_invoices(batch(ExportFormat::Generic, None), out.path().to_path_buf())
        .await
        .unwrap();
    let pdf = world
        .agency
        .export_invoices(batch(ExportFormat::Pdf, None), out.path().to_path_buf())
        .await
        .unwrap();
    assert!(pdf.failed.is_empty(), "{:?}", pdf.failed);
    assert_eq!(pdf.files.len(), world.clients().len());
    assert!(pdf.invoices.iter().all(|b| b.reused), "the CSVs' numbers");

    for (csv_file, pdf_file) in csv.files.iter().zip(&pdf.files) {
        assert_eq!(csv_file.with_extension("pdf"), *pdf_file);
        let rows = read_csv(csv_file);
        let number = &rows[0]["InvoiceNumber"];
        let currency = &rows[0]["Currency"];
        assert!(number.starts_with("NWV-"), "{number}");
        let total = format_money(sum_column(&rows, "LineTotal"), currency);
        let subtotal = format_money(sum_column(&rows, "Amount"), currency);

        let text = pdf_tools::text(pdf_file);
        assert!(text.contains(number.as_str()), "{number} in\n{text}");
        assert!(text.contains(&rows[0]["ClientName"]), "client in\n{text}");
        let total_line = text
            .lines()
            .find(|l| l.contains("Total due"))
            .unwrap_or_else(|| panic!("no total in\n{text}"));
        assert!(
            total_line
                .trim_end()
                .ends_with(&format!("{currency} {total}")),
            "{total_line:?} vs the CSV's {currency} {total}"
        );
        let subtotal_line = text.lines().find(|l| l.contains("Subtotal")).unwrap();
        assert!(
            subtotal_line.trim_end().ends_with(&subtotal),
            "{subtotal_line}"
        );
        for row in &rows {
            assert!(
                text.contains(&row["Amount"]),
                "line amount {}",
                row["Amount"]
            );
        }
        for expected in [
            "Northwind Voice Ltd",
            "12 Harbour Road",
            "billing@northwind-voice.test",
            "Tax ID GB 123 4567 89",
            "IBAN GB29 NWBK 6016 1331 9268 19",
            &format!("Payment due by {}", rows[0]["DueDate"]),
            &format!("Issue date {}", rows[0]["IssueDate"]).replace(' ', ""),
        ] {
            assert!(
                text.contains(expected) || pdf_tools::squeezed(&text).contains(expected),
                "{expected:?} in\n{text}"
            );
        }
        assert_eq!(pdf_tools::pages(pdf_file), 1);
        let fonts = pdf_tools::fonts(pdf_file);
        assert!(
            !fonts.is_empty() && fonts.iter().all(|(_, embedded)| *embedded),
            "{fonts:?}"
        );
        assert_eq!(pdf_tools::images(pdf_file), 1, "the logo");
        let bytes = std::fs::read(pdf_file).unwrap();
        assert!(
            bytes.len() < 200_000,
            "a subset font, not the whole: {} bytes",
            bytes.len()
        );
    }
    let png = pdf_tools::first_page_png(&pdf.files[0], &out.path().join("page"));
    assert!(std::fs::metadata(png).unwrap().len() > 1_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_client_names_print_as_their_characters() {
    let world = synced_world().await;
    world
        .agency
        .set_profile("Agency <b>bold</b> ) Tj (", AgencyMode::Live)
        .unwrap();
    let client = world.clients().remove(0);
    let names = [
        "<script>alert('x')</script> & Co",
        ") Tj ET BT /F1 99 Tf (pwned",
        "=HYPERLINK(\"http://evil.test\",\"pay\")",
        "Zoë & Søn — Ünïcødé Ltd",
        "\u{202E}fdp.exe Ltd",
        &"Very Long Client Name Incorporated ".repeat(8),
    ];
    let out = tempfile::tempdir().unwrap();
    for (i, name) in names.iter().enumerate() {
        let mut row = client.clone();
        row.name = (*name).to_owned();
        world
            .agency
            .store()
            .write(|tx| clients::upsert(tx, &row))
            .unwrap();
        let request = ExportRequest {
            client_id: client.id.clone(),
            period: last_month(),
            format: ExportFormat::Pdf,
            reissue: i > 0,
            allow_unsettled: true,
        };
        let path = out.path().join(format!("hostile-{i}.pdf"));
        let outcome = world
            .agency
            .export_invoice_file(request, path.display().to_string())
            .await
            .unwrap();
        let text = pdf_tools::text(&path);
        let shown = name.replace('\u{202E}', "");
        assert!(
            pdf_tools::squeezed(&text).contains(&pdf_tools::squeezed(&shown)),
            "{shown:?} in\n{text}"
        );
        assert!(text.contains(&outcome.number), "{text}");
        assert!(pdf_tools::squeezed(&text).contains("Agency<b>bold</b>)Tj("));
        assert_eq!(pdf_tools::pages(&path), 1, "{name}");
    }
}

fn line(i: usize) -> InvoiceLine {
    InvoiceLine {
        kind: LineKind::Adjustment,
        item: format!("Item {i}"),
        description: format!("Assistant number {i}: a description long enough to wrap onto a second line of the table"),
        quantity: Decimal::ONE,
        unit: LineUnit::Each,
        unit_price: dec!(10.25),
        amount: dec!(10.25),
        tax_amount: Decimal::ZERO,
    }
}

#[test]
fn long_invoices_continue_on_pages_that_repeat_the_table_header() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
    let lines: Vec<InvoiceLine> = (1..=60).map(line).collect();
    let subtotal: Decimal = lines.iter().map(|l| l.amount).sum();
    let invoice = Invoice {
        number: Some("INV-000777".into()),
        client_id: "org-1".into(),
        client_name: "Acme Dental".into(),
        period: Period::month(2026, 10).unwrap(),
        issue_date: day,
        due_date: day,
        payment_terms_days: 0,
        currency: "EUR".into(),
        tax_rule: None,
        lines,
        subtotal,
        tax_total: Decimal::ZERO,
        total: subtotal,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(
        &path,
        invoice_pdf(&invoice, &Letterhead::default()).unwrap(),
    )
    .unwrap();
    let pages = pdf_tools::pages(&path);
    assert!(pages >= 3, "{pages} pages");
    for page in 1..=pages {
        let text = pdf_tools::page_text(&path, page);
        assert!(text.contains(&format!("page {page} of {pages}")), "{text}");
        if page < pages {
            assert!(text.contains("DESCRIPTION"), "page {page}: {text}");
        }
    }
    let all = pdf_tools::text(&path);
    for i in 1..=60 {
        assert!(
            all.contains(&format!("Item {i}\n")) || all.contains(&format!("Item {i} ")),
            "Item {i}"
        );
    }
    assert!(all.contains("EUR 615.00"), "{all}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yen_amounts_have_no_decimals_in_the_csvs_and_the_pdf() {
    let world = synced_world().await;
    let client = world.clients().remove(0);
    let plan = PricingPlan {
        currency: "JPY".into(),
        usd_exchange_rate: Some(dec!(151.37)),
        markup_percent: Some(dec!(35)),
        per_minute_rate: None,
        monthly_fee: Some(dec!(15000)),
        ..PricingPlan::default()
    };
    world
        .agency
        .store()
        .write(|tx| save_plan(tx, &client.id, &plan))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let id = Some(client.id.as_str());
    for format in [ExportFormat::Generic, ExportFormat::Qbo, ExportFormat::Pdf] {
        world
            .agency
            .export_invoices(batch(format, id), out.path().to_path_buf())
            .await
            .unwrap();
    }
    let files: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let generic = files
        .iter()
        .find(|p| p.extension().unwrap() == "csv" && !p.to_str().unwrap().contains("qbo"))
        .unwrap();
    let rows = read_csv(generic);
    assert_eq!(rows[0]["Currency"], "JPY");
    for row in &rows {
        for column in ["Amount", "TaxAmount", "LineTotal"] {
            assert!(!row[column].contains('.'), "{column} {}", row[column]);
        }
    }
    let qbo = files
        .iter()
        .find(|p| p.to_str().unwrap().contains("qbo"))
        .unwrap();
    for row in read_csv(qbo) {
        assert!(!row["ItemAmount"].contains('.'), "{}", row["ItemAmount"]);
    }
    let total = sum_column(&rows, "LineTotal");
    let pdf = files
        .iter()
        .find(|p| p.extension().unwrap() == "pdf")
        .unwrap();
    let text = pdf_tools::text(pdf);
    let total_line = text.lines().find(|l| l.contains("Total due")).unwrap();
    assert!(
        total_line.trim_end().ends_with(&format!("JPY {total}")),
        "{total_line}"
    );
    assert!(!total.to_string().contains('.'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_are_checked_and_logos_must_be_images() {
    let world = linked_world().await;
    let refused = world
        .agency
        .update_agency_details("Agency", &details())
        .unwrap_err();
    assert!(refused.to_string().contains("no agency"), "{refused}");
    world
        .agency
        .set_profile("Agency", AgencyMode::Live)
        .unwrap();
    let view = world
        .agency
        .update_agency_details(" Renamed Agency ", &details())
        .unwrap();
    assert_eq!(view.name, "Renamed Agency");
    assert_eq!(view.details.address, details().address);
    assert_eq!(world.agency.agency_details().unwrap(), view);
    let bad_prefix = AgencyDetails {
        invoice_prefix: "../".into(),
        ..details()
    };
    let err = world
        .agency
        .update_agency_details("Agency", &bad_prefix)
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput);
    assert_eq!(
        world.agency.agency_details().unwrap(),
        view,
        "nothing saved"
    );

    let dir = tempfile::tempdir().unwrap();
    let not_image = dir.path().join("logo.png");
    std::fs::write(&not_image, b"#!/bin/sh\necho not a picture\n").unwrap();
    let err = world.agency.set_agency_logo(not_image).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidInput, "{err}");
    let huge = dir.path().join("huge.svg");
    std::fs::write(&huge, vec![b' '; 3 * 1024 * 1024]).unwrap();
    assert!(world.agency.set_agency_logo(huge).await.is_err());

    // An SVG that points at a local file draws without it.
    let svg = dir.path().join("logo.svg");
    std::fs::write(
        &svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60">
             <rect width="200" height="60" fill="#123456"/>
             <image xlink:href="/etc/hostname" width="10" height="10"/>
             <text x="10" y="40" font-size="24" fill="#fff">Northwind</text>
           </svg>"##,
    )
    .unwrap();
    let view = world.agency.set_agency_logo(svg).await.unwrap();
    assert_eq!(view.logo, Some(LogoKind::Svg));
    let branding = world._data.path().join("branding");
    assert!(branding.join("logo.svg").exists());
    assert!(!branding.join("logo.png").exists());
    let view = world.agency.remove_agency_logo().unwrap();
    assert_eq!(view.logo, None);
    assert!(!branding.join("logo.svg").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_svg_logo_is_drawn_as_vectors_and_new_plans_take_the_agency_terms() {
    let world = synced_world().await;
    world
        .agency
        .set_profile("Agency", AgencyMode::Live)
        .unwrap();
    world
        .agency
        .update_agency_details("Agency", &details())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("logo.svg");
    std::fs::write(
        &svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">
             <rect width="200" height="60" rx="8" fill="#0b5394"/>
             <circle cx="30" cy="30" r="18" fill="#9fc5e8"/>
           </svg>"##,
    )
    .unwrap();
    world.agency.set_agency_logo(svg).await.unwrap();
    let client = world.clients().remove(0);
    let path = dir.path().join("invoice.pdf");
    world
        .agency
        .export_invoice_file(
            ExportRequest {
                client_id: client.id.clone(),
                period: last_month(),
                format: ExportFormat::Pdf,
                reissue: false,
                allow_unsettled: true,
            },
            path.display().to_string(),
        )
        .await
        .unwrap();
    assert_eq!(pdf_tools::images(&path), 0, "vectors, not an image");
    assert!(pdf_tools::text(&path).contains("NWV-000001"));

    // A client without a plan starts from the agency's payment terms.
    world
        .agency
        .store()
        .write(|tx| delete_plan(tx, &client.id))
        .unwrap();
    let plan = world.agency.pricing_plan(&client.id).await.unwrap();
    assert!(!plan.saved);
    assert_eq!(plan.form.payment_terms_days, "21");
}
