//! One client's month of calls, as the client report tells it: counts and minutes, outcomes,
//! busiest days and hours, per-assistant figures, the change from the month before and notable
//! calls. Counted from the report rollup (`report_hours`, `report_endings`: migration
//! `report_rollup`), kept by triggers in the sync's transaction, so a month over a large cache
//! reads about a thousand small rows instead of each call's row; only the notable calls read
//! `calls` (see `notable`). No cost column is read, so no cost or margin can reach the report.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};
use rusqlite::Connection;

use super::notable;
use super::outcome::Outcome;
use crate::billing::error::BillingError;
use crate::billing::period::Period;
use crate::store::{assistants, clients};

/// Notable calls kept per kind.
const NOTABLE: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub calls: i64,
    pub duration_ms: i64,
}

/// The calls whose success evaluation is a pass/fail verdict (see `vapi::success`: scores are
/// no verdict), and how many of those passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuccessRate {
    pub evaluated: i64,
    pub passed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub calls: i64,
    pub duration_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistantFigures {
    pub name: String,
    pub calls: i64,
    pub duration_ms: i64,
    /// Calls that ended in an error.
    pub failed: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotableCall {
    pub id: String,
    pub started: String,
    pub assistant: String,
    pub duration_ms: i64,
    /// Vapi's `endedReason`, as recorded.
    pub ended_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientMonth {
    pub client_name: String,
    pub period: Period,
    pub totals: Totals,
    /// The month before, for the change.
    pub previous: Totals,
    /// Outcome groups with their counts, largest first; empty groups left out.
    pub outcomes: Vec<(Outcome, i64)>,
    /// `evaluated` is 0 when no call of the month had a pass/fail evaluation.
    pub success: SuccessRate,
    /// Every day of the month, in order.
    pub days: Vec<DayFigures>,
    /// Calls started per hour of the day (UTC), 0 to 23.
    pub hours: [i64; 24],
    /// By calls, most first.
    pub assistants: Vec<AssistantFigures>,
    pub longest: Vec<NotableCall>,
    /// The most recent failed calls, newest first.
    pub failed: Vec<NotableCall>,
}

/// The month `period` (a calendar month) of `client_id`.
pub fn client_month(
    conn: &Connection,
    client_id: &str,
    period: &Period,
) -> Result<ClientMonth, BillingError> {
    let period = period.validated()?;
    let client = clients::get(conn, client_id)?.ok_or_else(|| BillingError::ClientNotFound {
        client_id: client_id.to_owned(),
    })?;
    let names: HashMap<String, String> = assistants::list_for_org(conn, client_id)?
        .into_iter()
        .filter_map(|a| Some((a.id, a.name?)))
        .collect();
    let assistant_name = |id: &Option<String>| match id {
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.clone()),
        None => "No assistant".to_owned(),
    };

    let mut days: Vec<DayFigures> = period
        .each_day()
        .map(|day| DayFigures {
            day,
            calls: 0,
            duration_ms: 0,
        })
        .collect();
    let mut hours = [0i64; 24];
    let mut totals = Totals::default();
    let mut success = SuccessRate::default();
    let last_hour = format!("{}T99", period.to);
    let mut stmt = conn.prepare_cached(
        "SELECT hour, calls, duration_ms, evaluated, passed FROM report_hours
         WHERE org_id = ?1 AND hour >= ?2 AND hour <= ?3",
    )?;
    let mut rows = stmt.query((client_id, period.from.to_string(), &last_hour))?;
    while let Some(row) = rows.next()? {
        let hour: String = row.get(0)?;
        let calls: i64 = row.get(1)?;
        let ms: i64 = row.get(2)?;
        success.evaluated += row.get::<_, i64>(3)?;
        success.passed += row.get::<_, i64>(4)?;
        totals.calls += calls;
        totals.duration_ms += ms;
        if let Some(day) = parse_day(&hour) {
            let index = (day - period.from).num_days();
            if let Some(figures) = usize::try_from(index).ok().and_then(|i| days.get_mut(i)) {
                figures.calls += calls;
                figures.duration_ms += ms;
            }
        }
        if let Some(hour) = hour.get(11..13).and_then(|h| h.parse::<usize>().ok()) {
            if let Some(slot) = hours.get_mut(hour) {
                *slot += calls;
            }
        }
    }

    let mut outcomes: HashMap<Outcome, i64> = HashMap::new();
    let mut by_assistant: HashMap<Option<String>, AssistantFigures> = HashMap::new();
    // Days with failed calls, for the notable failed calls.
    let mut failed_days: Vec<NaiveDate> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT day, assistant_id, ended_reason, calls, duration_ms FROM report_endings
         WHERE org_id = ?1 AND day >= ?2 AND day <= ?3",
    )?;
    let mut rows = stmt.query((client_id, period.from.to_string(), period.to.to_string()))?;
    while let Some(row) = rows.next()? {
        let day: String = row.get(0)?;
        let assistant = Some(row.get::<_, String>(1)?).filter(|a| !a.is_empty());
        let reason: String = row.get(2)?;
        let calls: i64 = row.get(3)?;
        let ms: i64 = row.get(4)?;
        let outcome = Outcome::of(Some(reason.as_str()).filter(|r| !r.is_empty()));
        *outcomes.entry(outcome).or_default() += calls;
        let figures = by_assistant
            .entry(assistant.clone())
            .or_insert_with(|| AssistantFigures {
                name: assistant_name(&assistant),
                calls: 0,
                duration_ms: 0,
                failed: 0,
            });
        figures.calls += calls;
        figures.duration_ms += ms;
        if outcome == Outcome::Failed {
            figures.failed += calls;
            failed_days.extend(parse_day(&day));
        }
    }
    failed_days.sort_unstable_by(|a, b| b.cmp(a));
    failed_days.dedup();
    let longest = notable::longest(conn, client_id, &period, NOTABLE, &assistant_name)?;
    let failed = notable::failed(conn, client_id, &failed_days, NOTABLE, &assistant_name)?;

    let mut outcomes: Vec<(Outcome, i64)> = outcomes.into_iter().collect();
    outcomes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut assistants: Vec<AssistantFigures> = by_assistant.into_values().collect();
    assistants.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.name.cmp(&b.name)));
    Ok(ClientMonth {
        client_name: client.name,
        period,
        previous: previous_totals(conn, client_id, &period)?,
        totals,
        outcomes,
        success,
        days,
        hours,
        assistants,
        longest,
        failed,
    })
}

/// The day of a rollup key (`YYYY-MM-DD`, or an hour `YYYY-MM-DDTHH`).
fn parse_day(key: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(key.get(..10)?, "%Y-%m-%d").ok()
}

/// The calendar month before `period`, from the daily rollup.
fn previous_totals(
    conn: &Connection,
    client_id: &str,
    period: &Period,
) -> Result<Totals, BillingError> {
    let Some(first) = period
        .from
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(1)))
    else {
        return Ok(Totals::default());
    };
    let previous = Period::month_of(first)?;
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(duration_ms), 0) FROM calls_daily
             WHERE org_id = ?1 AND day >= ?2 AND day <= ?3",
        (
            client_id,
            previous.from.to_string(),
            previous.to.to_string(),
        ),
        |row| {
            Ok(Totals {
                calls: row.get(0)?,
                duration_ms: row.get(1)?,
            })
        },
    )?)
}
