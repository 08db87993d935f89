//! Charts on the fixed dataset: the aggregated numbers, and PNG/SVG output that is non-trivial.
//!
//! Set `CHARTS_OUT=<dir>` to keep the rendered files for a look.

mod billing_fixture;

use agencydesk_core::billing::Period;
use agencydesk_core::charts::{
    self, chart_data, Bucket, ChartData, ChartError, ChartKind, ChartRequest, ChartScope,
};
use billing_fixture::*;
use chrono::NaiveDate;
use rust_decimal_macros::dec;

fn request(scope: ChartScope, period: Period, bucket: Bucket, kind: ChartKind) -> ChartRequest {
    ChartRequest {
        scope,
        period,
        bucket,
        kind,
    }
}

fn october() -> Period {
    Period::parse_month("2026-10").unwrap()
}

fn data(fx: &Fixture, req: &ChartRequest) -> ChartData {
    fx.store.read(|c| chart_data(c, req)).unwrap()
}

fn october_data(fx: &Fixture, scope: ChartScope, bucket: Bucket, kind: ChartKind) -> ChartData {
    data(fx, &request(scope, october(), bucket, kind))
}

/// Width and height from the PNG header, and the number of distinct colours in the image.
fn decode_png(bytes: &[u8]) -> (u32, u32, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let colours: std::collections::HashSet<&[u8]> =
        pixels[..info.buffer_size()].chunks(3).collect();
    (info.width, info.height, colours.len())
}

fn keep(name: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("CHARTS_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

#[test]
fn daily_cost_of_one_client_sums_to_its_calls() {
    let fx = fixture();
    let d = october_data(
        &fx,
        ChartScope::Client(ACME.into()),
        Bucket::Day,
        ChartKind::Cost,
    );
    assert_eq!(d.rows.len(), 31);
    assert_eq!(d.scope_label, "Acme Dental");
    assert_eq!(d.rows[0].label, "Oct 1");
    // acme-1..5: 0.5 + 0.304 + 0 + 1.6 + 0.123456 USD.
    assert_eq!(d.rows.iter().map(|r| r.cost_micros).sum::<i64>(), 2_527_456);
    assert_eq!(d.total_calls(), 5);
    assert_eq!(d.rows[30].cost_micros, 1_600_000); // 23:59 on the 31st stays in October
    assert_eq!(d.rows[0].components.llm, 200_000);
}

#[test]
fn all_clients_excludes_the_agency_org() {
    let fx = fixture();
    let d = october_data(&fx, ChartScope::AllClients, Bucket::Month, ChartKind::Cost);
    assert_eq!(d.rows.len(), 1);
    // Acme 2.527456 + Bolt 0.65 + Cove 1.75 + Evil 0.7 + NoPlan 0.33; not the agency's 5.00.
    assert_eq!(d.rows[0].cost_micros, 5_957_456);
    assert_eq!(d.rows[0].label, "Oct 2026");
}

#[test]
fn monthly_margin_matches_the_invoices() {
    let fx = fixture();
    let d = october_data(
        &fx,
        ChartScope::Client(BOLT.into()),
        Bucket::Month,
        ChartKind::Margin,
    );
    // Bolt's October invoice subtotal is 49.51 USD.
    assert_eq!(d.rows[0].billed_usd, Some(dec!(49.51)));
    let all = october_data(
        &fx,
        ChartScope::AllClients,
        Bucket::Month,
        ChartKind::Margin,
    );
    // Acme 3.16 + Bolt 49.51 + Cove 99.26 EUR / 0.92 = 107.89 + Evil 0.70 + Dormant 25.00.
    assert_eq!(all.rows[0].billed_usd, Some(dec!(186.26)));
    // No Plan Inc is left out of cost and billed, and the chart says so.
    assert_eq!(all.rows[0].cost_micros, 5_957_456 - 330_000);
    assert!(
        all.notes
            .iter()
            .any(|n| n.contains("1 client(s) without a pricing plan")),
        "{:?}",
        all.notes
    );
}

#[test]
fn daily_margin_bills_usage_only() {
    let fx = fixture();
    let d = october_data(
        &fx,
        ChartScope::Client(BOLT.into()),
        Bucket::Day,
        ChartKind::Margin,
    );
    // Oct 5: 61 s -> 2 min and 59.5 s -> 1 min at 0.125 = 0.375 -> 0.38; no monthly fee per day.
    assert_eq!(d.rows[4].billed_usd, Some(dec!(0.38)));
    assert_eq!(d.rows[0].billed_usd, Some(dec!(0)));
    assert!(d.notes.iter().any(|n| n.contains("usage charges only")));
}

#[test]
fn every_kind_renders_png_and_svg_with_axes_and_legend() {
    let fx = fixture();
    let cases = [
        (
            ChartKind::Cost,
            Bucket::Day,
            vec!["Vapi cost per day", "Vapi cost (USD)", "Day (UTC)", "Oct 1"],
        ),
        (
            ChartKind::CostByComponent,
            Bucket::Day,
            vec![
                "by component",
                "Transport",
                "LLM",
                "Speech-to-text",
                "Vapi platform",
            ],
        ),
        (
            ChartKind::MinutesAndCalls,
            Bucket::Day,
            vec!["Minutes and calls", "Minutes", "Calls"],
        ),
        (
            ChartKind::Margin,
            Bucket::Month,
            vec![
                "Billed, cost and margin",
                "Billed",
                "Vapi cost",
                "Margin",
                "Oct 2026",
            ],
        ),
    ];
    for (kind, bucket, texts) in cases {
        for scope in [ChartScope::Client(ACME.into()), ChartScope::AllClients] {
            let d = data(&fx, &request(scope.clone(), october(), bucket, kind));
            let svg = charts::render_svg(&d, charts::DEFAULT_SIZE).unwrap();
            assert!(svg.starts_with("<svg"), "{kind:?}");
            for text in &texts {
                assert!(
                    svg.contains(text),
                    "{kind:?} {scope:?}: no {text:?} in the SVG"
                );
            }
            assert!(svg.contains("October 2026"));
            assert!(svg.matches("<rect").count() > 3, "{kind:?}: no bars");
            let png = charts::render_png(&d, charts::DEFAULT_SIZE).unwrap();
            let (w, h, colours) = decode_png(&png);
            assert_eq!((w, h), charts::DEFAULT_SIZE);
            // White, black text, grid, and the series colours, antialiased: far more than 10.
            assert!(colours > 10, "{kind:?}: {colours} colours");
            let tag = if scope == ChartScope::AllClients {
                "all"
            } else {
                "acme"
            };
            keep(&format!("{tag}-{kind:?}-{bucket:?}.png"), &png);
            keep(&format!("{tag}-{kind:?}-{bucket:?}.svg"), svg.as_bytes());
        }
    }
}

#[test]
fn an_empty_period_renders_an_explicit_message() {
    let fx = fixture();
    let empty = Period::parse_month("2026-07").unwrap();
    for kind in [
        ChartKind::Cost,
        ChartKind::CostByComponent,
        ChartKind::MinutesAndCalls,
        ChartKind::Margin,
    ] {
        let d = data(
            &fx,
            &request(ChartScope::Client(DORMANT.into()), empty, Bucket::Day, kind),
        );
        assert!(d.is_empty());
        let svg = charts::render_svg(&d, (640, 360)).unwrap();
        assert!(svg.contains("No calls in this period"), "{kind:?}");
        assert!(svg.contains("Dormant LLC"));
        let png = charts::render_png(&d, (640, 360)).unwrap();
        assert_eq!(decode_png(&png).0, 640);
        keep(&format!("empty-{kind:?}.png"), &png);
    }
}

#[test]
fn a_single_day_renders_one_bar() {
    let fx = fixture();
    let day = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let period = Period::range(day, day).unwrap();
    for kind in [
        ChartKind::Cost,
        ChartKind::MinutesAndCalls,
        ChartKind::Margin,
    ] {
        let d = data(
            &fx,
            &request(ChartScope::Client(BOLT.into()), period, Bucket::Day, kind),
        );
        assert_eq!(d.rows.len(), 1);
        assert_eq!(d.rows[0].calls, 2);
        let svg = charts::render_svg(&d, charts::DEFAULT_SIZE).unwrap();
        assert!(svg.contains("Oct 5"), "{kind:?}");
        assert!(svg.contains("2026-10-05 to 2026-10-05"));
        let png = charts::render_png(&d, charts::DEFAULT_SIZE).unwrap();
        keep(&format!("single-day-{kind:?}.png"), &png);
    }
}

#[test]
fn hostile_client_names_are_escaped_in_svg() {
    let fx = fixture();
    let d = october_data(
        &fx,
        ChartScope::Client(EVIL.into()),
        Bucket::Day,
        ChartKind::Cost,
    );
    let svg = charts::render_svg(&d, charts::DEFAULT_SIZE).unwrap();
    // The name's quotes must not end an attribute or open a tag.
    assert!(!svg.contains("HYPERLINK(\"http"), "raw quotes in SVG text");
    assert!(svg.contains("HYPERLINK("));
    let png = charts::render_png(&d, charts::DEFAULT_SIZE).unwrap();
    keep("evil-Cost-Day.png", &png);
}

#[test]
fn absurd_sizes_and_unknown_clients_are_errors() {
    let fx = fixture();
    let d = october_data(
        &fx,
        ChartScope::Client(ACME.into()),
        Bucket::Day,
        ChartKind::Cost,
    );
    for size in [(0, 0), (100, 540), (960, 50), (100_000, 540)] {
        assert!(matches!(
            charts::render_png(&d, size),
            Err(ChartError::InvalidSize { .. })
        ));
        assert!(matches!(
            charts::render_svg(&d, size),
            Err(ChartError::InvalidSize { .. })
        ));
    }
    let missing = request(
        ChartScope::Client("org-nobody".into()),
        october(),
        Bucket::Day,
        ChartKind::Cost,
    );
    assert!(fx.store.read(|c| chart_data(c, &missing)).is_err());
    let no_plan = request(
        ChartScope::Client(NO_PLAN.into()),
        october(),
        Bucket::Month,
        ChartKind::Margin,
    );
    let d = data(&fx, &no_plan);
    assert!(d.notes.iter().any(|n| n.contains("without a pricing plan")));
}

#[test]
fn write_chart_creates_png_or_svg_files() {
    let fx = fixture();
    let d = october_data(
        &fx,
        ChartScope::Client(ACME.into()),
        Bucket::Day,
        ChartKind::Cost,
    );
    let out = fx.dir.path().join("cost.png");
    charts::write_chart(&d, charts::DEFAULT_SIZE, &out).unwrap();
    assert_eq!(decode_png(&std::fs::read(out).unwrap()).0, 960);

    let svg = fx.dir.path().join("cost.SVG");
    charts::write_chart(&d, (640, 360), &svg).unwrap();
    let text = std::fs::read_to_string(svg).unwrap();
    assert!(text.starts_with("<svg"), "{text}");
    assert!(text.contains(r#"width="640" height="360""#));

    let missing = fx.dir.path().join("no-such-folder").join("cost.png");
    let err = charts::write_chart(&d, charts::DEFAULT_SIZE, &missing).unwrap_err();
    assert!(matches!(err, ChartError::Write(_)), "{err:?}");
    assert!(
        err.to_string().contains("Choose a folder you can write to"),
        "{err}"
    );
}
