//! Drawing a [`ChartData`] with plotters, on any backend (SVG for the UI, bitmap for PNG).
//!
//! Layout: a title and a subtitle (period, notes) on top, the plot on the left, a legend panel on
//! the right so it never hides a bar. Bars sit in one slot per day or month; the x axis labels
//! at most about one slot in `LABEL_SPACING` pixels. Amounts become `f64` here only to be turned
//! into pixel positions.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::data::{Bucket, ChartData, ChartKind};
use super::error::ChartError;
use super::font::FAMILY;
use super::size::{MAX_SIDE, MIN_HEIGHT, MIN_WIDTH};
use crate::billing::money::usd_from_micros;

const LEGEND_WIDTH: u32 = 170;
const LABEL_SPACING: u32 = 64;
const MAX_TITLE_CHARS: usize = 60;

const BLUE: RGBColor = RGBColor(0x4E, 0x79, 0xA7);
const ORANGE: RGBColor = RGBColor(0xF2, 0x8E, 0x2B);
const GREEN: RGBColor = RGBColor(0x59, 0xA1, 0x4F);
const RED: RGBColor = RGBColor(0xE1, 0x57, 0x59);
const TEAL: RGBColor = RGBColor(0x76, 0xB7, 0xB2);
const YELLOW: RGBColor = RGBColor(0xED, 0xC9, 0x48);
const GREY: RGBColor = RGBColor(0x88, 0x88, 0x88);
const COMPONENT_COLORS: [RGBColor; 6] = [BLUE, ORANGE, GREEN, RED, TEAL, YELLOW];

type Coord = Cartesian2d<Axis, Axis>;

/// A linear f64 axis whose ticks are exactly the given points. (plotters' own `WithKeyPoints`
/// loses the f64 label formatter, so mesh drawing is unavailable with it.)
#[derive(Clone)]
struct Axis {
    linear: RangedCoordf64,
    points: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.points.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.linear.range()
    }
}

fn axis(range: Range<f64>, points: Vec<f64>) -> Axis {
    Axis {
        linear: range.into(),
        points,
    }
}

/// Refuses sizes nobody can read (or that would allocate gigabytes).
pub fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    if width < MIN_WIDTH || height < MIN_HEIGHT || width > MAX_SIDE || height > MAX_SIDE {
        return Err(ChartError::InvalidSize { width, height });
    }
    Ok(())
}

/// Draws the whole chart on `root`.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
) -> Result<(), ChartError> {
    root.fill(&WHITE)?;
    let root = root.margin(8, 0, 0, 0);
    let (width, _) = root.dim_in_pixel();
    // A client name may hold newlines or tabs (it comes from Vapi): one line in a title.
    let scope: String = data
        .scope_label
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let title = truncate(
        &format!("{} — {}", kind_title(data), scope),
        MAX_TITLE_CHARS,
    );
    let area = root.titled(&title, (FAMILY, 24).into_font().color(&BLACK))?;

    let mut subtitle = vec![format!(
        "{}  ·  {}",
        data.request.period.label(),
        unit_note(data.request.kind)
    )];
    subtitle.extend(data.notes.iter().cloned());
    let line_height = 20;
    let (head, body) = area.split_vertically(line_height * subtitle.len() as u32 + 8);
    let sub_style = (FAMILY, 15)
        .into_font()
        .color(&RGBColor(0x44, 0x44, 0x44))
        .pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in subtitle.iter().enumerate() {
        let y = (line_height as usize * i) as i32;
        head.draw(&Text::new(
            line.clone(),
            (width as i32 / 2, y),
            sub_style.clone(),
        ))?;
    }

    if data.is_empty() {
        return draw_empty(&body);
    }
    let (plot, legend) = body.split_horizontally(width.saturating_sub(LEGEND_WIDTH));
    let entries = match data.request.kind {
        ChartKind::Cost => draw_cost(&plot, data)?,
        ChartKind::CostByComponent => draw_components(&plot, data)?,
        ChartKind::MinutesAndCalls => draw_minutes_and_calls(&plot, data)?,
        ChartKind::Margin => draw_margin(&plot, data)?,
    };
    draw_legend(&legend, &entries)
}

fn kind_title(data: &ChartData) -> String {
    let per = match data.request.bucket {
        Bucket::Day => "per day",
        Bucket::Month => "per month",
    };
    match data.request.kind {
        ChartKind::Cost => format!("Vapi cost {per}"),
        ChartKind::CostByComponent => format!("Vapi cost by component {per}"),
        ChartKind::MinutesAndCalls => format!("Minutes and calls {per}"),
        ChartKind::Margin => format!("Billed, cost and margin {per}"),
    }
}

fn unit_note(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Cost | ChartKind::CostByComponent => "amounts in USD",
        ChartKind::MinutesAndCalls => "call minutes and number of calls",
        ChartKind::Margin => "amounts in USD, before tax",
    }
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}

fn draw_empty<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    area.draw(&Rectangle::new(
        [(24, 12), (w - 24, h - 24)],
        ShapeStyle::from(&GREY).stroke_width(1),
    ))?;
    let center = Pos::new(HPos::Center, VPos::Center);
    area.draw(&Text::new(
        "No calls in this period",
        (w / 2, h / 2 - 14),
        (FAMILY, 28).into_font().color(&BLACK).pos(center),
    ))?;
    area.draw(&Text::new(
        "Nothing to chart: no call was made between these dates",
        (w / 2, h / 2 + 20),
        (FAMILY, 15).into_font().color(&GREY).pos(center),
    ))?;
    Ok(())
}

/// A legend entry: name, colour, drawn as a filled square (bars) or a line (series).
struct Entry {
    name: String,
    color: RGBColor,
    line: bool,
}

fn entry(name: &str, color: RGBColor, line: bool) -> Entry {
    Entry {
        name: name.to_owned(),
        color,
        line,
    }
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
) -> Result<(), ChartError> {
    let style = (FAMILY, 15)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (i, e) in entries.iter().enumerate() {
        let y = 32 + 26 * i as i32;
        if e.line {
            area.draw(&PathElement::new(
                vec![(12, y), (32, y)],
                e.color.stroke_width(3),
            ))?;
            area.draw(&Circle::new((22, y), 4, e.color.filled()))?;
        } else {
            area.draw(&Rectangle::new(
                [(14, y - 8), (30, y + 8)],
                e.color.filled(),
            ))?;
        }
        area.draw(&Text::new(e.name.clone(), (40, y), style.clone()))?;
    }
    Ok(())
}

/// Axis ticks: a "nice" step (1, 2 or 5 times a power of ten) giving about `target` ticks.
struct Ticks {
    top: f64,
    bottom: f64,
    step: f64,
    points: Vec<f64>,
}

fn ticks(min: f64, max: f64, target: usize, integer: bool) -> Ticks {
    let (lo, hi) = (min.min(0.0), max.max(0.0));
    let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if integer {
        step = step.max(1.0).ceil();
    }
    // One step of headroom above the tallest bar, and below the lowest negative one.
    let bottom = if lo < 0.0 {
        (lo / step).floor() * step
    } else {
        0.0
    };
    let top = (hi / step).floor() * step + step;
    let count = ((top - bottom) / step).round() as usize;
    let points = (0..=count).map(|i| bottom + step * i as f64).collect();
    Ticks {
        top,
        bottom,
        step,
        points,
    }
}

impl Ticks {
    fn decimals(&self) -> usize {
        if self.step >= 1.0 {
            0
        } else {
            (-self.step.log10().floor()) as usize
        }
    }

    fn axis(&self) -> Axis {
        axis(self.bottom..self.top, self.points.clone())
    }
}

/// The x axis: one unit per bucket, labels at bucket centres, thinned to fit.
fn x_axis(n: usize, plot_width: u32) -> Axis {
    let max_labels = (plot_width / LABEL_SPACING).max(1) as usize;
    let step = n.div_ceil(max_labels).max(1);
    let centers = (0..n).step_by(step).map(|i| i as f64 + 0.5).collect();
    axis(0.0..n as f64, centers)
}

fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    n: usize,
    y: &Ticks,
    right_axis: bool,
) -> Result<ChartContext<'a, DB, Coord>, ChartError> {
    let (w, _) = area.dim_in_pixel();
    let chart = ChartBuilder::on(area)
        .margin(12)
        .x_label_area_size(48)
        .y_label_area_size(76)
        .right_y_label_area_size(if right_axis { 64 } else { 0 })
        .build_cartesian_2d(x_axis(n, w), y.axis())?;
    Ok(chart)
}

fn mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coord>,
    data: &ChartData,
    y: &Ticks,
    y_desc: &str,
) -> Result<(), ChartError> {
    let labels: Vec<String> = data.rows.iter().map(|r| r.label.clone()).collect();
    let x_desc = match data.request.bucket {
        Bucket::Day => "Day (UTC)",
        Bucket::Month => "Month (UTC)",
    };
    let decimals = y.decimals();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_label_formatter(&|x| {
            let i = x.floor().max(0.0) as usize;
            labels.get(i).cloned().unwrap_or_default()
        })
        .y_label_formatter(&|v| format!("{v:.decimals$}"))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FAMILY, 13))
        .axis_desc_style((FAMILY, 15))
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(0xE4, 0xE4, 0xE4))
        .draw()?;
    Ok(())
}

fn usd(micros: i64) -> f64 {
    to_f64(usd_from_micros(micros))
}

fn to_f64(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// Where bars go in their slots: 70 % of a slot, but never wider than `MAX_BAR_PX` (a single
/// day would otherwise be one huge block).
#[derive(Clone, Copy)]
struct Slots {
    half: f64,
}

const MAX_BAR_PX: f64 = 72.0;

impl Slots {
    fn new(n: usize, plot_px: u32) -> Self {
        let slot_px = f64::from(plot_px.max(1)) / n.max(1) as f64;
        Self {
            half: (MAX_BAR_PX / 2.0 / slot_px).min(0.35),
        }
    }

    /// Bar `part` of `parts` side by side in slot `i`, from `from` to `to` on the y axis.
    fn bar(
        &self,
        i: usize,
        (part, parts): (usize, usize),
        (from, to): (f64, f64),
        color: RGBColor,
    ) -> Rectangle<(f64, f64)> {
        let width = 2.0 * self.half / parts as f64;
        let left = i as f64 + 0.5 - self.half + width * part as f64;
        Rectangle::new([(left, from), (left + width, to)], color.filled())
    }
}

/// Pixels across the plot: the area less the label areas and margins set in [`build`].
fn plot_width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, right_axis: bool) -> u32 {
    let (w, _) = area.dim_in_pixel();
    w.saturating_sub(76 + 24 + if right_axis { 64 } else { 0 })
}

fn draw_cost<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
) -> Result<Vec<Entry>, ChartError> {
    let values: Vec<f64> = data.rows.iter().map(|r| usd(r.cost_micros)).collect();
    let y = ticks(0.0, values.iter().copied().fold(0.0, f64::max), 6, false);
    let mut chart = build(area, values.len(), &y, false)?;
    mesh(&mut chart, data, &y, "Vapi cost (USD)")?;
    let slots = Slots::new(values.len(), plot_width(area, false));
    chart.draw_series(
        values
            .iter()
            .enumerate()
            .map(|(i, v)| slots.bar(i, (0, 1), (0.0, *v), BLUE)),
    )?;
    Ok(vec![entry("Vapi cost", BLUE, false)])
}

fn draw_components<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
) -> Result<Vec<Entry>, ChartError> {
    // Per row: each component, then what Vapi's total has beyond the itemised components
    // (calls synced without a breakdown). Zero over the whole period stays out of the legend.
    let values: Vec<[i64; 7]> = data
        .rows
        .iter()
        .map(|r| {
            let named = r.components.named();
            let itemised: i64 = named.iter().map(|(_, v)| v).sum();
            let mut v = [0; 7];
            for (slot, (_, value)) in v.iter_mut().zip(named) {
                *slot = value;
            }
            v[6] = (r.cost_micros - itemised).max(0);
            v
        })
        .collect();
    let shown: Vec<usize> = (0..7)
        .filter(|&c| values.iter().any(|v| v[c] != 0))
        .collect();
    let tops: Vec<f64> = values
        .iter()
        .map(|v| shown.iter().map(|&c| usd(v[c])).sum())
        .collect();
    let y = ticks(0.0, tops.iter().copied().fold(0.0, f64::max), 6, false);
    let mut chart = build(area, data.rows.len(), &y, false)?;
    mesh(&mut chart, data, &y, "Vapi cost (USD)")?;
    let slots = Slots::new(data.rows.len(), plot_width(area, false));
    let mut base = vec![0.0; data.rows.len()];
    let mut entries = Vec::new();
    for &c in &shown {
        let color = COMPONENT_COLORS.get(c).copied().unwrap_or(GREY);
        let mut bars = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let value = usd(v[c]);
            bars.push(slots.bar(i, (0, 1), (base[i], base[i] + value), color));
            base[i] += value;
        }
        chart.draw_series(bars)?;
        entries.push(entry(component_name(c), color, false));
    }
    Ok(entries)
}

fn component_name(index: usize) -> &'static str {
    match index {
        0 => "Transport",
        1 => "Speech-to-text",
        2 => "LLM",
        3 => "Text-to-speech",
        4 => "Vapi platform",
        5 => "Chat",
        _ => "Not itemised",
    }
}

fn draw_minutes_and_calls<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
) -> Result<Vec<Entry>, ChartError> {
    let minutes: Vec<f64> = data
        .rows
        .iter()
        .map(|r| r.duration_millis as f64 / 60_000.0)
        .collect();
    let calls: Vec<f64> = data.rows.iter().map(|r| r.calls as f64).collect();
    let y = ticks(0.0, minutes.iter().copied().fold(0.0, f64::max), 6, false);
    let y2 = ticks(0.0, calls.iter().copied().fold(0.0, f64::max), 6, true);
    let (w, _) = area.dim_in_pixel();
    let mut chart = build(area, minutes.len(), &y, true)?
        .set_secondary_coord(x_axis(minutes.len(), w), y2.axis());
    mesh(&mut chart, data, &y, "Minutes")?;
    chart
        .configure_secondary_axes()
        .y_desc("Calls")
        .label_style((FAMILY, 13))
        .axis_desc_style((FAMILY, 15))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .draw()?;
    let slots = Slots::new(minutes.len(), plot_width(area, true));
    chart.draw_series(
        minutes
            .iter()
            .enumerate()
            .map(|(i, v)| slots.bar(i, (0, 1), (0.0, *v), BLUE)),
    )?;
    let points: Vec<(f64, f64)> = calls
        .iter()
        .enumerate()
        .map(|(i, c)| (i as f64 + 0.5, *c))
        .collect();
    chart.draw_secondary_series(LineSeries::new(points.clone(), RED.stroke_width(2)))?;
    chart.draw_secondary_series(points.into_iter().map(|p| Circle::new(p, 4, RED.filled())))?;
    Ok(vec![
        entry("Minutes", BLUE, false),
        entry("Calls", RED, true),
    ])
}

fn draw_margin<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
) -> Result<Vec<Entry>, ChartError> {
    let billed: Vec<f64> = data
        .rows
        .iter()
        .map(|r| to_f64(r.billed_usd.unwrap_or_default()))
        .collect();
    let cost: Vec<f64> = data.rows.iter().map(|r| usd(r.cost_micros)).collect();
    let margin: Vec<f64> = data
        .rows
        .iter()
        .map(|r| to_f64(r.billed_usd.unwrap_or_default() - usd_from_micros(r.cost_micros)))
        .collect();
    let all = billed.iter().chain(&cost).chain(&margin).copied();
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let y = ticks(lo, hi, 6, false);
    let mut chart = build(area, data.rows.len(), &y, false)?;
    mesh(&mut chart, data, &y, "USD")?;
    // Three bars per slot: billed, cost, and the margin between them (red when negative).
    let slots = Slots::new(data.rows.len(), plot_width(area, false));
    let mut bars = Vec::new();
    for i in 0..data.rows.len() {
        bars.push(slots.bar(i, (0, 3), (0.0, billed[i]), BLUE));
        bars.push(slots.bar(i, (1, 3), (0.0, cost[i]), ORANGE));
        let color = if margin[i] < 0.0 { RED } else { GREEN };
        bars.push(slots.bar(i, (2, 3), (0.0, margin[i]), color));
    }
    chart.draw_series(bars)?;
    if lo < 0.0 {
        chart.draw_series(LineSeries::new(
            vec![(0.0, 0.0), (data.rows.len() as f64, 0.0)],
            BLACK.stroke_width(1),
        ))?;
    }
    let mut entries = vec![
        entry("Billed", BLUE, false),
        entry("Vapi cost", ORANGE, false),
        entry("Margin", GREEN, false),
    ];
    if margin.iter().any(|m| *m < 0.0) {
        entries.push(entry("Negative margin", RED, false));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_cover_the_data_with_nice_steps() {
        let t = ticks(0.0, 7.3, 6, false);
        assert_eq!(t.step, 2.0);
        assert_eq!(t.top, 8.0);
        assert_eq!(t.points.first(), Some(&0.0));
        let t = ticks(0.0, 0.0, 6, false);
        assert!(t.top > 0.0);
        let t = ticks(-3.0, 10.0, 6, false);
        assert!(t.bottom <= -3.0 && t.top >= 10.0);
        let t = ticks(0.0, 1.0, 6, true);
        assert_eq!(t.step, 1.0);
        assert_eq!(t.decimals(), 0);
        assert_eq!(ticks(0.0, 0.07, 6, false).decimals(), 2);
    }

    #[test]
    fn long_titles_are_cut() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
    }
}
