//! The monthly client report end to end: an agency synced from the simulator, each client's month
//! written as a PDF and read back with poppler: the client, the month, a call count equal to the
//! cache's, an outcome per group, and no cost or margin figure anywhere.

mod billing_world;
mod pdf_tools;

use agencydesk_core::billing::Period;
use agencydesk_core::store::agency_profile::AgencyMode;
use billing_world::*;

fn cached_calls(world: &World, client_id: &str, month: &Period) -> i64 {
    world
        .agency
        .store()
        .read(|c| {
            c.query_row(
                "SELECT COUNT(*) FROM calls WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3",
                (client_id, month.start_ms(), month.end_ms()),
                |r| r.get::<_, i64>(0),
            )
            .map_err(agencydesk_core::store::StoreError::from)
        })
        .unwrap()
}

fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_client_report_tells_the_month_without_money() {
    let world = synced_world().await;
    world
        .agency
        .set_profile("Northwind Voice", AgencyMode::Live)
        .unwrap();
    let month = last_month();
    let out = tempfile::tempdir().unwrap();
    let files = world
        .agency
        .write_client_reports(month, out.path().to_path_buf())
        .await
        .unwrap();
    let clients = world.clients();
    assert_eq!(files.len(), clients.len());
    for client in &clients {
        let file = files
            .iter()
            .find(|f| {
                let text = pdf_tools::text(f);
                pdf_tools::squeezed(&text).contains(&pdf_tools::squeezed(&client.name))
            })
            .unwrap_or_else(|| panic!("a report for {}", client.name));
        let text = pdf_tools::text(file);
        assert!(text.contains("MONTHLY REPORT"), "{text}");
        assert!(text.contains(&month.label()), "{text}");
        assert!(text.contains("Northwind Voice"));
        let calls = cached_calls(&world, &client.id, &month);
        assert!(calls > 0, "{} has calls", client.name);
        let calls_box = text
            .lines()
            .skip_while(|l| !(l.contains("CALLS") && l.contains("MINUTES")))
            .skip(1)
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        assert!(
            calls_box.trim_start().starts_with(&grouped(calls)),
            "{calls} calls in {calls_box:?}\n{text}"
        );
        for word in [
            "Completed",
            "HOW CALLS ENDED",
            "BUSIEST DAYS",
            "BY ASSISTANT",
            "LONGEST CALLS",
        ] {
            assert!(text.contains(word), "{word} in\n{text}");
        }
        let lower = text.to_lowercase();
        for money in ["$", "usd", "cost", "margin", "price", "€", "eur "] {
            assert!(
                !lower.contains(money),
                "{money:?} in a client report:\n{text}"
            );
        }
        let pages = pdf_tools::pages(file);
        assert!((1..=3).contains(&pages), "{pages} pages");
        assert_eq!(pdf_tools::images(file), 0, "the chart is vectors");
    }
    let png = pdf_tools::first_page_png(&files[0], &out.path().join("report"));
    assert!(std::fs::metadata(png).unwrap().len() > 1_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_for_one_calendar_month_of_a_client() {
    let world = synced_world().await;
    let client = world.clients().remove(0);
    let out = tempfile::tempdir().unwrap();
    let range = Period::range(last_month().from, last_month().from).unwrap();
    let err = world
        .agency
        .write_client_report(&client.id, range, out.path().join("r.pdf"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("calendar month"), "{err}");
    let err = world
        .agency
        .write_client_report("no-such-org", last_month(), out.path().join("r.pdf"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no-such-org"), "{err}");
    let written = world
        .agency
        .write_client_report(&client.id, last_month(), out.path().join("acme"))
        .await
        .unwrap();
    assert!(written.ends_with("acme.pdf"));
    assert!(pdf_tools::text(&written).contains("MONTHLY REPORT"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_print_as_text_in_reports() {
    let world = synced_world().await;
    let mut client = world.clients().remove(0);
    client.name = ") Tj ET <script>alert(1)</script> =cmd|' /C calc'!A0".to_owned();
    world
        .agency
        .store()
        .write(|tx| agencydesk_core::store::clients::upsert(tx, &client))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let path = world
        .agency
        .write_client_report(&client.id, last_month(), out.path().join("hostile.pdf"))
        .await
        .unwrap();
    let text = pdf_tools::text(&path);
    assert!(
        pdf_tools::squeezed(&text).contains(&pdf_tools::squeezed(&client.name)),
        "{text}"
    );
    assert!(pdf_tools::pages(&path) >= 1);
}

/// (passed, evaluated) of the client's month, read again from each call's JSON: a check that
/// does not go through the column the sync fills.
fn verdicts_from_json(world: &World, client_id: &str, month: &Period) -> (i64, i64) {
    world
        .agency
        .store()
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT raw FROM calls WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3",
            )?;
            let raws: Vec<Vec<u8>> = stmt
                .query_map((client_id, month.start_ms(), month.end_ms()), |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            let mut counts = (0, 0);
            for raw in raws {
                let call = agencydesk_core::sync::raw::decode_json_in(c, &raw).unwrap();
                let verdict = match call.pointer("/analysis/successEvaluation") {
                    Some(serde_json::Value::Bool(b)) => Some(*b),
                    Some(serde_json::Value::String(s)) if s == "true" => Some(true),
                    Some(serde_json::Value::String(s)) if s == "false" => Some(false),
                    _ => None,
                };
                if let Some(passed) = verdict {
                    counts.0 += i64::from(passed);
                    counts.1 += 1;
                }
            }
            Ok::<_, agencydesk_core::store::StoreError>(counts)
        })
        .unwrap()
}

fn percent(part: i64, whole: i64) -> String {
    format!("{}%", (part * 100 + whole / 2) / whole)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_success_rate_is_printed_where_calls_were_evaluated() {
    let world = synced_world().await;
    let month = last_month();
    let client = world.clients().remove(0);
    let (passed, evaluated) = verdicts_from_json(&world, &client.id, &month);
    assert!(evaluated > 0 && passed > 0, "the simulator evaluates calls");
    let out = tempfile::tempdir().unwrap();
    let path = world
        .agency
        .write_client_report(&client.id, month, out.path().join("rate.pdf"))
        .await
        .unwrap();
    let text = pdf_tools::text(&path);
    assert!(text.contains("SUCCESS EVALUATION"), "{text}");
    let passed_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("Passed"))
        .unwrap_or_else(|| panic!("a Passed line in\n{text}"));
    assert!(
        passed_line.contains(&grouped(passed)) && passed_line.contains(&percent(passed, evaluated)),
        "{passed} of {evaluated} in {passed_line:?}"
    );
    assert!(
        text.contains(&format!("of {} evaluated calls", grouped(evaluated))),
        "{text}"
    );

    // A cache from before the column: the verdicts are read back from the calls' JSON when the
    // report is written, the same figures again.
    world
        .agency
        .store()
        .write(|tx| {
            tx.execute_batch(
                "UPDATE calls SET success = NULL;
                 INSERT INTO call_success_backfill (next_rowid) VALUES (1);",
            )
            .map_err(agencydesk_core::store::StoreError::from)
        })
        .unwrap();
    let again = world
        .agency
        .write_client_report(&client.id, month, out.path().join("again.pdf"))
        .await
        .unwrap();
    let text = pdf_tools::text(&again);
    assert!(
        text.contains(&format!("of {} evaluated calls", grouped(evaluated))),
        "{text}"
    );

    // No verdict at all (only scores, or no evaluation): no rate, rather than a made-up one.
    world
        .agency
        .store()
        .write(|tx| {
            tx.execute("UPDATE calls SET success = NULL", [])
                .map_err(agencydesk_core::store::StoreError::from)
        })
        .unwrap();
    let none = world
        .agency
        .write_client_report(&client.id, month, out.path().join("none.pdf"))
        .await
        .unwrap();
    let text = pdf_tools::text(&none);
    assert!(!text.contains("SUCCESS EVALUATION"), "{text}");
    assert!(text.contains("HOW CALLS ENDED"));
}
