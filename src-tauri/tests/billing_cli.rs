//! `agencydesk invoice export` and `agencydesk chart` as a user runs them: the real binary with
//! `--demo` (its own simulator on 127.0.0.1, synced first), files checked by parsing them back.

mod billing_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use billing_support::{amount_text, cents, group_by, last_month, read_csv};

fn agencydesk(args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_agencydesk"))
        .args(args)
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .output()
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn month_arg() -> String {
    last_month().from.format("%Y-%m").to_string()
}

/// The id of the demo's first client, as `clients list --json` prints it.
fn first_client(data: &Path) -> (String, String) {
    let listed: serde_json::Value = serde_json::from_str(&ok(&agencydesk(
        &["--demo", "clients", "list", "--json"],
        data,
    )))
    .unwrap();
    let first = &listed[0];
    (
        first["id"].as_str().unwrap().to_owned(),
        first["name"].as_str().unwrap().to_owned(),
    )
}

#[test]
fn invoice_export_writes_what_it_prints() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let month = month_arg();
    let out_dir = out.path().to_str().unwrap();

    let run = agencydesk(
        &[
            "--demo", "invoice", "export", "--month", &month, "--format", "qbo", "--out", out_dir,
        ],
        data.path(),
    );
    let stdout = ok(&run);
    let paths: Vec<PathBuf> = stdout.lines().map(PathBuf::from).collect();
    assert_eq!(
        paths,
        [out.path().join(format!("invoices_{month}_qbo.csv"))],
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("Synced 4 org(s)"), "{stderr}");
    let rows = read_csv(&paths[0]);
    let invoices = group_by(&rows, "InvoiceNo");
    assert_eq!(invoices.len(), 4);
    for (number, lines) in &invoices {
        assert!(
            stderr.contains(number.as_str()),
            "{number} reported: {stderr}"
        );
        let total = amount_text(
            lines
                .iter()
                .map(|l| cents(&l["ItemAmount"]) + cents(&l["ItemTaxAmount"]))
                .sum(),
        );
        let customer = &lines[0]["Customer"];
        let reported = stderr
            .lines()
            .find(|l| l.starts_with(number.as_str()))
            .unwrap();
        assert!(reported.contains(customer.as_str()), "{reported}");
        assert!(
            reported.contains(&format!(" {total} ")),
            "total {total} in {reported:?}"
        );
    }

    let generic = agencydesk(
        &[
            "--demo", "invoice", "export", "--month", &month, "--format", "generic", "--draft",
            "--out", out_dir,
        ],
        data.path(),
    );
    let files: Vec<String> = ok(&generic).lines().map(str::to_owned).collect();
    assert_eq!(files.len(), 4, "one generic file per invoice");
    for file in &files {
        assert!(Path::new(file).is_file(), "{file}");
        assert!(!read_csv(Path::new(file)).is_empty());
    }
}

#[test]
fn invoice_export_refuses_bad_requests_plainly() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let draft_qbo = agencydesk(
        &[
            "--demo", "invoice", "export", "--month", "2026-10", "--format", "qbo", "--draft",
            "--out", out_dir,
        ],
        data.path(),
    );
    assert_eq!(draft_qbo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&draft_qbo.stderr)
        .contains("--draft works with --format generic or pdf only"));

    let bad_month = agencydesk(
        &[
            "--demo", "invoice", "export", "--month", "2026-13", "--format", "qbo", "--out",
            out_dir,
        ],
        data.path(),
    );
    assert_eq!(bad_month.status.code(), Some(2), "clap refuses the month");
    assert!(String::from_utf8_lossy(&bad_month.stderr).contains("is not a month like 2026-10"));

    let unknown = agencydesk(
        &[
            "--demo",
            "invoice",
            "export",
            "--month",
            "2026-10",
            "--client",
            "no-such-org",
            "--format",
            "xero",
            "--out",
            out_dir,
        ],
        data.path(),
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        std::fs::read_dir(out.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn chart_writes_png_of_the_requested_size_and_svg() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (client, name) = first_client(data.path());
    let month = month_arg();
    let png_path = out.path().join("cost.png");
    let printed = ok(&agencydesk(
        &[
            "--demo",
            "chart",
            "--client",
            &client,
            "--month",
            &month,
            "--kind",
            "components",
            "--width",
            "640",
            "--height",
            "360",
            "--out",
            png_path.to_str().unwrap(),
        ],
        data.path(),
    ));
    assert_eq!(printed.trim(), png_path.to_str().unwrap());
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&png_path).unwrap(),
    ));
    let mut reader = decoder.read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (640, 360));
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).unwrap();
    let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(3).collect();
    assert!(distinct.len() > 20, "a drawn chart, not a blank image");

    let svg_path = out.path().join("margin.svg");
    ok(&agencydesk(
        &[
            "--demo",
            "chart",
            "--client",
            &client,
            "--month",
            &month,
            "--kind",
            "margin",
            "--out",
            svg_path.to_str().unwrap(),
        ],
        data.path(),
    ));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg"));
    assert!(svg.contains(r#"width="960" height="540""#));
    assert!(svg.contains(&name), "titled with the client's name");

    let wrong = agencydesk(
        &[
            "--demo",
            "chart",
            "--client",
            &client,
            "--month",
            &month,
            "--out",
            "chart.gif",
        ],
        data.path(),
    );
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains(".png or .svg"));
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext runs (poppler-utils, scripts/install-deps.sh)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pdf_invoices_client_reports_and_the_agency_profile_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let month = month_arg();
    let out_dir = out.path().to_str().unwrap();

    let pdfs = ok(&agencydesk(
        &[
            "--demo", "invoice", "export", "--month", &month, "--format", "pdf", "--out", out_dir,
        ],
        data.path(),
    ));
    let paths: Vec<PathBuf> = pdfs.lines().map(PathBuf::from).collect();
    assert_eq!(paths.len(), 4, "{pdfs}");
    for path in &paths {
        assert_eq!(path.extension().unwrap(), "pdf");
        let text = pdf_text(path);
        let number = path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .split('_')
            .next()
            .unwrap();
        assert!(text.contains(number), "{number} in\n{text}");
        assert!(text.contains("Total due"), "{text}");
    }

    let (id, name) = first_client(data.path());
    let report = out.path().join("report.pdf");
    let written = ok(&agencydesk(
        &[
            "--demo",
            "report",
            "--client",
            &id,
            "--month",
            &month,
            "--out",
            report.to_str().unwrap(),
        ],
        data.path(),
    ));
    assert_eq!(written.trim(), report.to_str().unwrap());
    let text = pdf_text(&report);
    assert!(
        text.contains("MONTHLY REPORT") && text.contains(&name),
        "{text}"
    );
    assert!(!text.to_lowercase().contains("cost"), "{text}");

    let shown = ok(&agencydesk(
        &[
            "--demo",
            "agency",
            "profile",
            "set",
            "--invoice-prefix",
            "ACME-",
            "--email",
            "billing@acme.test",
            "--payment-terms-days",
            "14",
        ],
        data.path(),
    ));
    assert!(shown.contains("billing@acme.test"), "{shown}");
    assert!(shown.contains("ACME-000042"), "{shown}");
    assert!(shown.contains("14 days"), "{shown}");
    let refused = agencydesk(
        &[
            "--demo",
            "agency",
            "profile",
            "set",
            "--invoice-prefix",
            "../x",
        ],
        data.path(),
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("prefix"));
}

#[test]
fn export_options_are_set_shown_and_checked_from_the_command_line() {
    let data = tempfile::tempdir().unwrap();

    let shown = ok(&agencydesk(
        &[
            "--demo",
            "export",
            "options",
            "set",
            "--qbo-date-format",
            "yyyy-mm-dd",
            "--xero-account-code",
            "4100",
            "--xero-untaxed-tax-type",
            "No VAT",
            "--due-days",
            "10",
        ],
        data.path(),
    ));
    assert!(
        shown.contains("YYYY-MM-DD") && shown.contains("4100"),
        "{shown}"
    );
    assert!(shown.contains("10 days after the issue date"), "{shown}");

    // Each `--demo` run opens a fresh demo agency (persistence across opens is checked in
    // crates/core/tests/export_options.rs): a new run shows the defaults, as JSON.
    let fresh: serde_json::Value = serde_json::from_str(&ok(&agencydesk(
        &["--demo", "export", "options", "show", "--json"],
        data.path(),
    )))
    .unwrap();
    assert_eq!(fresh["qboDateFormat"], "month_first");
    assert_eq!(fresh["xeroAccountCode"], "200");
    assert_eq!(fresh["dueDays"], serde_json::Value::Null);

    for (args, word) in [
        (&["--xero-account-code", "=1+1"][..], "account code"),
        (&["--xero-untaxed-tax-type", ""][..], "tax type"),
    ] {
        let refused = agencydesk(
            &[&["--demo", "export", "options", "set"][..], args].concat(),
            data.path(),
        );
        assert_eq!(refused.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains(word), "{stderr}");
    }
    let bad_format = agencydesk(
        &[
            "--demo",
            "export",
            "options",
            "set",
            "--qbo-date-format",
            "DD.MM.YYYY",
        ],
        data.path(),
    );
    assert_eq!(bad_format.status.code(), Some(2), "clap refuses it");
}
