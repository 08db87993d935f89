//! The client report read from its rollup and the notable calls' queries equals the month
//! recounted call by call from `calls`, for every client of a synced agency, this month and last.

mod billing_world;

use std::collections::HashMap;

use agencydesk_core::billing::Period;
use agencydesk_core::reports::{client_month, ClientMonth, Outcome};
use agencydesk_core::store::StoreError;
use billing_world::*;

struct Call {
    id: String,
    assistant: Option<String>,
    reason: Option<String>,
    created: String,
    ms: i64,
    success: Option<bool>,
}

fn month_calls(world: &World, client_id: &str, month: &Period) -> Vec<Call> {
    world
        .agency
        .store()
        .read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, assistant_id, ended_reason,
                     strftime('%Y-%m-%dT%H:%M:%fZ', created_ms / 1000.0, 'unixepoch'),
                     COALESCE(MAX(0, CAST(ROUND(duration_seconds * 1000.0) AS INTEGER)),
                         MAX(0, ended_ms - started_ms), 0), success
                 FROM calls WHERE org_id = ?1 AND created_ms >= ?2 AND created_ms < ?3",
            )?;
            let rows = stmt.query_map((client_id, month.start_ms(), month.end_ms()), |r| {
                Ok(Call {
                    id: r.get(0)?,
                    assistant: r.get(1)?,
                    reason: r.get(2)?,
                    created: r.get(3)?,
                    ms: r.get(4)?,
                    success: r.get(5)?,
                })
            })?;
            Ok::<_, StoreError>(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .unwrap()
}

/// The report's figures recounted from `calls` and compared with `report`.
fn assert_recounted(report: &ClientMonth, calls: &[Call]) {
    assert_eq!(report.totals.calls, calls.len() as i64);
    assert_eq!(
        report.totals.duration_ms,
        calls.iter().map(|c| c.ms).sum::<i64>()
    );
    let evaluated: Vec<bool> = calls.iter().filter_map(|c| c.success).collect();
    assert_eq!(report.success.evaluated, evaluated.len() as i64);
    assert_eq!(
        report.success.passed,
        evaluated.iter().filter(|p| **p).count() as i64
    );
    for day in &report.days {
        let of_day: Vec<&Call> = calls
            .iter()
            .filter(|c| c.created.starts_with(&day.day.to_string()))
            .collect();
        assert_eq!(day.calls, of_day.len() as i64, "{}", day.day);
        assert_eq!(day.duration_ms, of_day.iter().map(|c| c.ms).sum::<i64>());
    }
    for (hour, count) in report.hours.iter().enumerate() {
        let of_hour = calls
            .iter()
            .filter(|c| c.created.get(11..13) == Some(format!("{hour:02}").as_str()))
            .count();
        assert_eq!(*count, of_hour as i64, "hour {hour}");
    }
    let mut outcomes: HashMap<Outcome, i64> = HashMap::new();
    let mut assistants: HashMap<Option<String>, (i64, i64, i64)> = HashMap::new();
    for c in calls {
        let outcome = Outcome::of(c.reason.as_deref());
        *outcomes.entry(outcome).or_default() += 1;
        let a = assistants.entry(c.assistant.clone()).or_default();
        a.0 += 1;
        a.1 += c.ms;
        a.2 += i64::from(outcome == Outcome::Failed);
    }
    assert_eq!(
        report.outcomes.iter().copied().collect::<HashMap<_, _>>(),
        outcomes
    );
    let mut figures: Vec<(i64, i64, i64)> = report
        .assistants
        .iter()
        .map(|a| (a.calls, a.duration_ms, a.failed))
        .collect();
    let mut expected: Vec<(i64, i64, i64)> = assistants.into_values().collect();
    figures.sort_unstable();
    expected.sort_unstable();
    assert_eq!(figures, expected);

    let mut longest: Vec<&Call> = calls.iter().collect();
    longest.sort_by(|a, b| b.ms.cmp(&a.ms).then(a.id.cmp(&b.id)));
    let ids = |list: &[&Call]| {
        list.iter()
            .take(5)
            .map(|c| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        report
            .longest
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        ids(&longest)
    );
    for (shown, call) in report.longest.iter().zip(&longest) {
        assert_eq!(
            (
                shown.duration_ms,
                &shown.started,
                shown.ended_reason.as_str()
            ),
            (call.ms, &call.created, call.reason.as_deref().unwrap_or(""))
        );
    }
    let mut failed: Vec<&Call> = calls
        .iter()
        .filter(|c| Outcome::of(c.reason.as_deref()) == Outcome::Failed)
        .collect();
    failed.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    assert_eq!(
        report
            .failed
            .iter()
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        ids(&failed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_equals_a_recount_of_the_months_calls() {
    let world = synced_world().await;
    let last = last_month();
    let this = Period::month_of(last.to.succ_opt().unwrap()).unwrap();
    let mut failed_seen = 0;
    for client in world.clients() {
        for month in [last, this] {
            let calls = month_calls(&world, &client.id, &month);
            let report = world
                .agency
                .store()
                .read(|c| client_month(c, &client.id, &month))
                .unwrap();
            assert_recounted(&report, &calls);
            failed_seen += report.failed.len();
        }
    }
    assert!(failed_seen > 0, "no month had a failed call to check");
}
