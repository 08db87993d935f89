//! The monthly client report as a PDF: what the client's voice agents did in a month, with the
//! agency's letterhead. Built from [`ClientMonth`] alone, which holds counts and durations and no
//! money, so the report cannot show Vapi's cost or the agency's margin.

use super::error::DocumentError;
use super::font::face;
use super::layout::{Ink, Pages, MARGIN, PAGE_W};
use super::letterhead::Letterhead;
use super::logo::Logo;
use super::text::{one_line, wrap};
use crate::charts::daily_calls_svg;
use crate::reports::{ClientMonth, NotableCall, Outcome, Totals};

const RIGHT: f32 = PAGE_W - MARGIN;
const WIDTH: f32 = RIGHT - MARGIN;
const LOGO_MAX: (f32, f32) = (150.0, 56.0);
const CHART_H: f32 = 170.0;

/// The report as PDF bytes.
pub fn report_pdf(month: &ClientMonth, letterhead: &Letterhead) -> Result<Vec<u8>, DocumentError> {
    let face = face()?;
    let mut pages = Pages::new(face);
    let label = month.period.label();
    let client = one_line(&month.client_name);

    // Letterhead left, title right.
    let mut y = MARGIN;
    if let Some(logo) = &letterhead.logo {
        let (w, h) = logo.fit(LOGO_MAX.0, LOGO_MAX.1);
        pages.picture(logo, (MARGIN, y), (w, h));
        y += h + 8.0;
    }
    for line in wrap(face, &letterhead.name, 12.0, 250.0) {
        y += 14.0;
        pages.text_at(MARGIN, y, 12.0, Ink::Muted, &line);
    }
    let mut right_y = MARGIN + 20.0;
    pages.text_right(RIGHT, right_y, 20.0, Ink::Body, "MONTHLY REPORT");
    right_y += 18.0;
    pages.text_right(RIGHT, right_y, 11.0, Ink::Muted, &label);
    for line in wrap(face, &client, 13.0, 240.0) {
        right_y += 17.0;
        pages.text_right(RIGHT, right_y, 13.0, Ink::Body, &line);
    }
    pages.y = y.max(right_y) + 28.0;

    key_figures(&mut pages, month);

    heading(&mut pages, "CALLS PER DAY");
    let days: Vec<_> = month.days.iter().map(|d| (d.day, d.calls)).collect();
    let svg = daily_calls_svg(&days, (1000, 340))
        .map_err(|e| DocumentError::Pdf(format!("the chart could not be drawn: {e}")))?;
    let chart = Logo::parse(svg.into_bytes())?;
    let (w, h) = chart.fit(WIDTH, CHART_H);
    pages.picture(&chart, (MARGIN, pages.y - 6.0), (w, h));
    pages.y += h + 16.0;

    outcomes_and_busiest(&mut pages, month);
    assistants(&mut pages, month);
    notable(&mut pages, "LONGEST CALLS", &month.longest, false);
    notable(
        &mut pages,
        "FAILED CALLS (MOST RECENT)",
        &month.failed,
        true,
    );
    if month.totals.calls == 0 {
        pages.ensure(20.0);
        pages.text_at(
            MARGIN,
            pages.y,
            10.0,
            Ink::Muted,
            "No calls were made this month.",
        );
    }

    let footer = format!("{client} · {label} report");
    pages.finish(&format!("{client}, {label}"), move |page, total| {
        format!("{footer} · page {page} of {total}")
    })
}

fn heading(pages: &mut Pages<'_>, text: &str) {
    pages.ensure(40.0);
    pages.text_at(MARGIN, pages.y, 8.5, Ink::Muted, text);
    pages.y += 16.0;
}

fn key_figures(pages: &mut Pages<'_>, month: &ClientMonth) {
    let t = &month.totals;
    let p = &month.previous;
    let completed = month
        .outcomes
        .iter()
        .find(|(o, _)| *o == Outcome::Completed)
        .map_or(0, |(_, n)| *n);
    let boxes = [
        ("CALLS", grouped(t.calls), change(t.calls, p.calls)),
        (
            "MINUTES",
            minutes(t.duration_ms),
            change(t.duration_ms, p.duration_ms),
        ),
        (
            "AVERAGE CALL",
            average(t),
            format!("last month {}", average(p)),
        ),
        (
            "COMPLETED",
            percent(completed, t.calls),
            format!("{} of {} calls", grouped(completed), grouped(t.calls)),
        ),
    ];
    let gap = 10.0;
    let w = (WIDTH - gap * 3.0) / 4.0;
    let top = pages.y - 12.0;
    for (i, (label, value, note)) in boxes.iter().enumerate() {
        let x = MARGIN + (w + gap) * i as f32;
        pages.band(x, top, w, 62.0, 244);
        pages.text_at(x + 8.0, top + 16.0, 8.0, Ink::Muted, label);
        pages.text_at(x + 8.0, top + 38.0, 17.0, Ink::Body, value);
        pages.text_at(x + 8.0, top + 54.0, 7.5, Ink::Muted, note);
    }
    pages.y = top + 62.0 + 30.0;
}

fn outcomes_and_busiest(pages: &mut Pages<'_>, month: &ClientMonth) {
    let evaluated = month.success.evaluated > 0;
    let rows = (month.outcomes.len() + if evaluated { 3 } else { 0 }).max(4);
    pages.ensure(40.0 + 14.0 * rows as f32);
    let top = pages.y;
    let half = MARGIN + WIDTH / 2.0;
    pages.text_at(MARGIN, top, 8.5, Ink::Muted, "HOW CALLS ENDED");
    let mut y = top + 16.0;
    for (outcome, calls) in &month.outcomes {
        pages.text_at(MARGIN, y, 10.0, Ink::Body, outcome.label());
        pages.text_right(half - 70.0, y, 10.0, Ink::Body, &grouped(*calls));
        pages.text_right(
            half - 20.0,
            y,
            10.0,
            Ink::Muted,
            &percent(*calls, month.totals.calls),
        );
        y += 14.0;
    }
    // Only where the assistants' rubrics give pass/fail verdicts: no rate is better than one
    // made up from scores.
    if evaluated {
        let s = month.success;
        y += 8.0;
        pages.text_at(MARGIN, y, 8.5, Ink::Muted, "SUCCESS EVALUATION");
        y += 16.0;
        pages.text_at(MARGIN, y, 10.0, Ink::Body, "Passed");
        pages.text_right(half - 70.0, y, 10.0, Ink::Body, &grouped(s.passed));
        pages.text_right(
            half - 20.0,
            y,
            10.0,
            Ink::Muted,
            &percent(s.passed, s.evaluated),
        );
        y += 12.0;
        let note = format!("of {} evaluated calls", grouped(s.evaluated));
        pages.text_at(MARGIN, y, 7.5, Ink::Muted, &note);
        y += 14.0;
    }

    pages.text_at(half, top, 8.5, Ink::Muted, "BUSIEST DAYS");
    let mut days: Vec<_> = month.days.iter().filter(|d| d.calls > 0).collect();
    days.sort_by(|a, b| b.calls.cmp(&a.calls).then(a.day.cmp(&b.day)));
    let mut right_y = top + 16.0;
    for d in days.iter().take(3) {
        let day = d.day.format("%A %-d %B").to_string();
        pages.text_at(half, right_y, 10.0, Ink::Body, &day);
        pages.text_right(
            RIGHT,
            right_y,
            10.0,
            Ink::Body,
            &format!("{} calls", grouped(d.calls)),
        );
        right_y += 14.0;
    }
    right_y += 8.0;
    pages.text_at(half, right_y, 8.5, Ink::Muted, "BUSIEST HOURS (UTC)");
    right_y += 16.0;
    let mut hours: Vec<(usize, i64)> = month.hours.iter().copied().enumerate().collect();
    hours.retain(|h| h.1 > 0);
    hours.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (hour, calls) in hours.iter().take(3) {
        let span = format!("{hour:02}:00 to {hour:02}:59");
        pages.text_at(half, right_y, 10.0, Ink::Body, &span);
        pages.text_right(
            RIGHT,
            right_y,
            10.0,
            Ink::Body,
            &format!("{} calls", grouped(*calls)),
        );
        right_y += 14.0;
    }
    pages.y = y.max(right_y) + 18.0;
}

fn assistants(pages: &mut Pages<'_>, month: &ClientMonth) {
    if month.assistants.is_empty() {
        return;
    }
    heading(pages, "BY ASSISTANT");
    let columns = [
        (330.0, "CALLS"),
        (400.0, "MINUTES"),
        (470.0, "AVERAGE"),
        (RIGHT, "FAILED"),
    ];
    let header = |pages: &mut Pages<'_>| {
        pages.band(MARGIN, pages.y - 11.0, WIDTH, 16.0, 238);
        pages.text_at(MARGIN + 4.0, pages.y, 8.0, Ink::Muted, "ASSISTANT");
        for (right, label) in columns {
            pages.text_right(right - 4.0, pages.y, 8.0, Ink::Muted, label);
        }
        pages.y += 18.0;
    };
    header(pages);
    for a in &month.assistants {
        let names = wrap(pages.face, &a.name, 10.0, 230.0);
        if pages.ensure(14.0 * names.len() as f32 + 4.0) {
            header(pages);
        }
        let totals = Totals {
            calls: a.calls,
            duration_ms: a.duration_ms,
        };
        let values = [
            grouped(a.calls),
            minutes(a.duration_ms),
            average(&totals),
            grouped(a.failed),
        ];
        for ((right, _), value) in columns.iter().zip(values) {
            pages.text_right(right - 4.0, pages.y, 10.0, Ink::Body, &value);
        }
        for name in names {
            pages.text_at(MARGIN + 4.0, pages.y, 10.0, Ink::Body, &name);
            pages.y += 14.0;
        }
    }
    pages.y += 14.0;
}

fn notable(pages: &mut Pages<'_>, title: &str, calls: &[NotableCall], reason: bool) {
    if calls.is_empty() {
        return;
    }
    heading(pages, title);
    for call in calls {
        pages.ensure(28.0);
        let started = call
            .started
            .get(..16)
            .unwrap_or(&call.started)
            .replace('T', " ");
        pages.text_at(
            MARGIN + 4.0,
            pages.y,
            9.5,
            Ink::Body,
            &format!("{started} UTC"),
        );
        let assistant = wrap(pages.face, &call.assistant, 9.5, 200.0)
            .into_iter()
            .next()
            .unwrap_or_default();
        pages.text_at(MARGIN + 130.0, pages.y, 9.5, Ink::Body, &assistant);
        pages.text_right(
            RIGHT - 4.0,
            pages.y,
            9.5,
            Ink::Body,
            &clock(call.duration_ms),
        );
        pages.y += 12.0;
        let detail = if reason {
            format!(
                "call {} · ended: {}",
                one_line(&call.id),
                one_line(&call.ended_reason)
            )
        } else {
            format!("call {}", one_line(&call.id))
        };
        pages.text_at(MARGIN + 130.0, pages.y, 7.5, Ink::Muted, &detail);
        pages.y += 14.0;
    }
    pages.y += 8.0;
}

/// `12,345`.
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Whole minutes, grouped: `1,234`.
fn minutes(ms: i64) -> String {
    grouped((ms + 30_000) / 60_000)
}

/// `m:ss`, or `h:mm:ss` from an hour.
fn clock(ms: i64) -> String {
    let s = (ms + 500) / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn average(t: &Totals) -> String {
    if t.calls == 0 {
        "-".to_owned()
    } else {
        clock(t.duration_ms / t.calls)
    }
}

fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{}%", (part * 100 + whole / 2) / whole)
    }
}

/// `+12% on last month`, `-3% on last month`, or why there is no change to show.
fn change(now: i64, before: i64) -> String {
    if before == 0 {
        return if now == 0 {
            "none last month either".to_owned()
        } else {
            "none last month".to_owned()
        };
    }
    let delta = (now - before) as f64 * 100.0 / before as f64;
    format!("{:+.0}% on last month", delta)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_read_as_people_write_them() {
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(grouped(12), "12");
        assert_eq!(grouped(-1000), "-1,000");
        assert_eq!(clock(61_400), "1:01");
        assert_eq!(clock(3_725_000), "1:02:05");
        assert_eq!(minutes(89_000), "1");
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(change(110, 100), "+10% on last month");
        assert_eq!(change(90, 100), "-10% on last month");
        assert_eq!(change(5, 0), "none last month");
    }
}
