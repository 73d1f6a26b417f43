//! Charts as inline SVG for the HTML writer.
//!
//! A chart is drawn 360 units wide with 12-unit text, so that on a 390 px phone (358 px
//! of content) its text is still 11.9 px; the page caps its width on a large screen.
//! Colours come from CSS variables (`--k0`…`--k7`) that the page switches for dark mode
//! and print, and each series' colour, marker and dash are derived from its name alone
//! ([`look`]), so a unit keeps its look when another unit is added. Series are told
//! apart by a marker shape and a dash pattern as well as by colour.

use std::fmt::Write as _;

use super::{Chart, ChartKind, Lang};
use crate::report::escape::html as esc;

/// The chart's width in SVG units (its viewBox).
pub const WIDTH: f64 = 360.0;
/// The size of every text in the chart, in SVG units.
const FONT: f64 = 12.0;
/// What a text's width is guessed at, per character, for layout (generous for a
/// system sans-serif at [`FONT`]).
const CHAR: f64 = 6.9;
/// How many colours the palette has (the page's `--k0`…`--k7`).
pub const COLOURS: usize = 8;

/// A marker's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Down,
}

const MARKERS: [Marker; 5] = [
    Marker::Circle,
    Marker::Square,
    Marker::Triangle,
    Marker::Diamond,
    Marker::Down,
];

/// The dash patterns of lines (solid, dashed, dotted).
const DASHES: [&str; 3] = ["", "6 3", "1.5 3"];

/// How one series is drawn: its colour (an index into the page's palette), marker and
/// dash pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub colour: usize,
    pub marker: Marker,
    pub dash: usize,
}

/// The look of the series called `name`: from a hash of the name alone, never from its
/// place among other series, so adding a series changes no other series' look. Colour,
/// marker and dash are taken from one number below 120 (8 × 5 × 3), so two names that
/// share a colour mostly differ in marker or dash.
pub fn look(name: &str) -> Look {
    // FNV-1a: small, stable across platforms and releases.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let i = (h ^ (h >> 29)) % 120;
    Look {
        colour: (i % 8) as usize,
        marker: MARKERS[(i % 5) as usize],
        dash: (i % 3) as usize,
    }
}

/// The chart drawn as an `<svg>` element.
pub fn draw(c: &Chart, lang: Lang) -> String {
    let has_values = c.series.iter().flat_map(|s| &s.values).any(Option::is_some);
    if c.categories.is_empty() || !has_values {
        return empty(c, lang);
    }
    match c.kind {
        ChartKind::Bars => bars(c, lang),
        ChartKind::Lines | ChartKind::Stacked => columns(c, lang),
    }
}

/// A number as SVG writes it: at most one decimal, no trailing zero.
fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The width a text is guessed to take.
fn text_width(s: &str) -> f64 {
    crate::document::text::display_width(s) as f64 * CHAR
}

/// `s` cut (with "…") to at most `chars` characters.
fn shorten(s: &str, chars: usize) -> String {
    crate::document::text::cut(s, chars.max(2))
}

/// The opening of the `<svg>` element and its title. The chart is only ever drawn inline
/// in HTML, whose parser puts `<svg>` in the SVG namespace: no `xmlns`, so a report
/// names no URL at all.
fn open(c: &Chart, height: f64) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" \
width=\"{w}\" height=\"{h}\" font-size=\"{FONT}\" role=\"img\" aria-label=\"{t}\">\
<title>{t}</title>\n",
        w = n(WIDTH),
        h = n(height),
        t = esc(&c.title)
    )
}

fn empty(c: &Chart, lang: Lang) -> String {
    let mut out = open(c, 40.0);
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"24\" text-anchor=\"middle\">{}</text>",
        n(WIDTH / 2.0),
        esc(lang.text("common.no_data"))
    );
    out.push_str("</svg>\n");
    out
}

/// The value axis: round steps (1, 2 or 5 × 10ⁿ) from `lo` to `hi`, about `target` of
/// them, and the decimals their labels need.
#[derive(Debug, Clone, PartialEq)]
struct Axis {
    lo: f64,
    hi: f64,
    step: f64,
    decimals: usize,
}

impl Axis {
    fn new(min: f64, max: f64, target: usize) -> Axis {
        let (min, max) = (min.min(0.0), max.max(0.0));
        let span = if max - min > 0.0 { max - min } else { 1.0 };
        let raw = span / target.max(1) as f64;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw * 0.999_999)
            .unwrap_or(10.0 * mag);
        let decimals = if step >= 1.0 {
            0
        } else {
            (-step.log10()).ceil() as usize
        };
        Axis {
            lo: (min / step + 1e-9).floor() * step,
            hi: ((max / step - 1e-9).ceil() * step).max(step),
            step,
            decimals,
        }
    }

    fn ticks(&self) -> Vec<f64> {
        let count = ((self.hi - self.lo) / self.step).round() as i64;
        (0..=count)
            .map(|i| self.lo + i as f64 * self.step)
            .collect()
    }

    /// Where `v` falls between `from` (at `lo`) and `to` (at `hi`).
    fn at(&self, v: f64, from: f64, to: f64) -> f64 {
        from + (v - self.lo) / (self.hi - self.lo) * (to - from)
    }

    fn label(&self, v: f64, lang: Lang) -> String {
        lang.decimal(v, self.decimals)
    }
}

/// A value as a label: whole numbers without decimals, others with one.
fn value_label(v: f64, lang: Lang) -> String {
    if v.fract() == 0.0 {
        lang.decimal(v, 0)
    } else {
        lang.decimal(v, 1)
    }
}

fn value(c: &Chart, s: usize, i: usize) -> Option<f64> {
    c.series[s]
        .values
        .get(i)
        .copied()
        .flatten()
        .filter(|v| v.is_finite())
}

/// A marker of `look` at (`x`, `y`), in the series' colour or (`knockout`) in the page's
/// background colour, to be seen on top of a bar of the series' colour.
fn marker(out: &mut String, look: Look, x: f64, y: f64, r: f64, knockout: bool) {
    let class = if knockout {
        "class=\"bg\"".to_string()
    } else {
        format!("class=\"m k{}\"", look.colour)
    };
    let _ = match look.marker {
        Marker::Circle => write!(
            out,
            "<circle {class} cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            n(x),
            n(y),
            n(r)
        ),
        Marker::Square => {
            let a = r * 0.9;
            write!(
                out,
                "<rect {class} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                n(x - a),
                n(y - a),
                n(2.0 * a),
                n(2.0 * a)
            )
        }
        Marker::Triangle => write!(
            out,
            "<path {class} d=\"M{} {}L{} {}L{} {}Z\"/>",
            n(x),
            n(y - r * 1.2),
            n(x + r * 1.1),
            n(y + r * 0.8),
            n(x - r * 1.1),
            n(y + r * 0.8)
        ),
        Marker::Down => write!(
            out,
            "<path {class} d=\"M{} {}L{} {}L{} {}Z\"/>",
            n(x),
            n(y + r * 1.2),
            n(x + r * 1.1),
            n(y - r * 0.8),
            n(x - r * 1.1),
            n(y - r * 0.8)
        ),
        Marker::Diamond => write!(
            out,
            "<path {class} d=\"M{} {}L{} {}L{} {}L{} {}Z\"/>",
            n(x),
            n(y - r * 1.25),
            n(x + r * 1.25),
            n(y),
            n(x),
            n(y + r * 1.25),
            n(x - r * 1.25),
            n(y)
        ),
    };
}

/// The legend: each series' swatch (a short line with its dash for a line chart, a
/// block for bars) and marker, then its name, in rows across the chart. Returns the
/// height used.
fn legend(out: &mut String, c: &Chart, top: f64) -> f64 {
    if c.series.len() < 2 {
        return 0.0;
    }
    let (mut x, mut y) = (8.0, top + 12.0);
    let max_chars = ((WIDTH - 40.0) / CHAR) as usize;
    for s in &c.series {
        let name = shorten(&s.name, max_chars);
        let w = 30.0 + text_width(&name) + 14.0;
        if x > 8.0 && x + w > WIDTH {
            x = 8.0;
            y += 20.0;
        }
        let l = look(&s.name);
        if c.kind == ChartKind::Lines {
            let _ = write!(
                out,
                "<path class=\"ln k{}\"{} d=\"M{} {}h22\"/>",
                l.colour,
                dash_attr(l),
                n(x),
                n(y - 4.0)
            );
            marker(out, l, x + 11.0, y - 4.0, 4.0, false);
        } else {
            let _ = write!(
                out,
                "<rect class=\"k{}\" x=\"{}\" y=\"{}\" width=\"22\" height=\"12\"/>",
                l.colour,
                n(x),
                n(y - 10.0)
            );
            marker(out, l, x + 11.0, y - 4.0, 3.5, true);
        }
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            n(x + 28.0),
            n(y),
            esc(&name)
        );
        x += w;
    }
    y - top + 8.0
}

fn dash_attr(l: Look) -> String {
    match DASHES[l.dash] {
        "" => String::new(),
        d => format!(" stroke-dasharray=\"{d}\""),
    }
}

/// Horizontal bars, a row per category (a funnel); with several series, a bar per
/// series in each row.
fn bars(c: &Chart, lang: Lang) -> String {
    let nseries = c.series.len().max(1);
    let thick = if nseries == 1 {
        16.0
    } else {
        (30.0 / nseries as f64).clamp(6.0, 12.0)
    };
    let band = thick * nseries as f64 + 10.0;
    let max_label = ((WIDTH * 0.38) / CHAR) as usize;
    let labels: Vec<String> = c.categories.iter().map(|l| shorten(l, max_label)).collect();
    let label_w = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let values = (0..c.series.len())
        .flat_map(|s| (0..c.categories.len()).filter_map(move |i| value(c, s, i)));
    let (min, max) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let axis = Axis::new(min, max, 4);
    let left = (label_w + 10.0).max(24.0);
    // Room at the right for the longest value label after its bar.
    let longest = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .map(|v| text_width(&value_label(*v, lang)))
        .fold(0.0, f64::max);
    let right = WIDTH - (longest + 8.0).max(14.0);
    let top = 8.0;
    let bottom = top + band * c.categories.len() as f64;
    let mut body = String::new();
    // Gridlines and the value axis below.
    for t in axis.ticks() {
        let x = axis.at(t, left, right);
        let _ = writeln!(
            body,
            "<path class=\"grid\" d=\"M{} {}V{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            n(x),
            n(top),
            n(bottom),
            n(x),
            n(bottom + 16.0),
            esc(&axis.label(t, lang))
        );
    }
    let zero = axis.at(0.0, left, right);
    let _ = writeln!(
        body,
        "<path class=\"axis\" d=\"M{} {}V{}\"/>",
        n(zero),
        n(top),
        n(bottom)
    );
    let _ = writeln!(
        body,
        "<text class=\"unit\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        n(right),
        n(bottom + 32.0),
        esc(&c.unit)
    );
    for (i, label) in labels.iter().enumerate() {
        let y0 = top + band * i as f64 + 5.0;
        let _ = writeln!(
            body,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            n(left - 6.0),
            n(y0 + thick * nseries as f64 / 2.0 + 4.0),
            esc(label)
        );
        for (s, series) in c.series.iter().enumerate() {
            let l = look(&series.name);
            let y = y0 + thick * s as f64;
            let Some(v) = value(c, s, i) else {
                let _ = writeln!(
                    body,
                    "<text x=\"{}\" y=\"{}\">–</text>",
                    n(zero + 4.0),
                    n(y + thick / 2.0 + 4.0)
                );
                continue;
            };
            let x = axis.at(v, left, right);
            let (from, w) = if x >= zero {
                (zero, x - zero)
            } else {
                (x, zero - x)
            };
            let _ = write!(
                body,
                "<rect class=\"k{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                l.colour,
                n(from),
                n(y + 0.5),
                n(w),
                n(thick - 1.0)
            );
            if nseries > 1 && w >= thick && thick >= 8.0 {
                marker(
                    &mut body,
                    l,
                    from + thick / 2.0,
                    y + thick / 2.0,
                    thick * 0.28,
                    true,
                );
            }
            let _ = writeln!(
                body,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                n(x.max(zero) + 4.0),
                n(y + thick / 2.0 + 4.0),
                esc(&value_label(v, lang))
            );
        }
    }
    let legend_top = bottom + 40.0;
    let legend_h = legend(&mut body, c, legend_top);
    let mut out = open(c, legend_top + legend_h);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// How the category labels under a chart are placed: level when they fit, turned when
/// not, and only every `every`th when even turned ones would overlap.
struct Labels {
    turned: bool,
    every: usize,
    texts: Vec<String>,
    height: f64,
}

fn category_labels(categories: &[String], slot: f64) -> Labels {
    let level_w = categories.iter().map(|c| text_width(c)).fold(0.0, f64::max);
    if level_w + 6.0 <= slot {
        return Labels {
            turned: false,
            every: 1,
            texts: categories.to_vec(),
            height: 20.0,
        };
    }
    // Turned 45°, a label needs about 1.5 text heights of room along the axis.
    let every = ((FONT * 1.5) / slot).ceil().max(1.0) as usize;
    let texts: Vec<String> = categories.iter().map(|c| shorten(c, 14)).collect();
    let longest = texts.iter().map(|t| text_width(t)).fold(0.0, f64::max);
    Labels {
        turned: true,
        every,
        height: longest * std::f64::consts::FRAC_1_SQRT_2 + 18.0,
        texts,
    }
}

/// Lines over the categories, or bars stacked per category: the value axis at the left
/// with its unit above it.
fn columns(c: &Chart, lang: Lang) -> String {
    let stacked = c.kind == ChartKind::Stacked;
    let ncat = c.categories.len();
    let (mut min, mut max) = (0.0f64, 0.0f64);
    for i in 0..ncat {
        if stacked {
            let (mut pos, mut neg) = (0.0, 0.0);
            for s in 0..c.series.len() {
                match value(c, s, i) {
                    Some(v) if v >= 0.0 => pos += v,
                    Some(v) => neg += v,
                    None => {}
                }
            }
            (min, max) = (min.min(neg), max.max(pos));
        } else {
            for s in 0..c.series.len() {
                if let Some(v) = value(c, s, i) {
                    (min, max) = (min.min(v), max.max(v));
                }
            }
        }
    }
    let axis = Axis::new(min, max, 5);
    let tick_w = axis
        .ticks()
        .iter()
        .map(|t| text_width(&axis.label(*t, lang)))
        .fold(0.0, f64::max);
    let mut left = tick_w + 12.0;
    let right = WIDTH - 12.0;
    let top = 30.0;
    let bottom = top + 170.0;
    let mut labels = category_labels(&c.categories, (right - left) / ncat as f64);
    if labels.turned {
        // The first turned label reaches down to the left of its category: room for it.
        let longest = labels
            .texts
            .iter()
            .map(|t| text_width(t))
            .fold(0.0, f64::max);
        let reach = longest * std::f64::consts::FRAC_1_SQRT_2 + 2.0;
        let first_slot = (right - left) / ncat as f64;
        if reach - first_slot / 2.0 > left {
            left = (reach - first_slot / 2.0).min(WIDTH * 0.4);
            labels = category_labels(&c.categories, (right - left) / ncat as f64);
        }
    }
    let slot = (right - left) / ncat as f64;
    let x_of = |i: usize| left + slot * (i as f64 + 0.5);
    let y_of = |v: f64| axis.at(v, bottom, top);
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<text class=\"unit\" x=\"{}\" y=\"14\">{}</text>",
        n(4.0),
        esc(&c.unit)
    );
    for t in axis.ticks() {
        let y = y_of(t);
        let _ = writeln!(
            body,
            "<path class=\"grid\" d=\"M{} {}H{}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            n(left),
            n(y),
            n(right),
            n(left - 6.0),
            n(y + 4.0),
            esc(&axis.label(t, lang))
        );
    }
    let zero = y_of(0.0);
    let _ = writeln!(
        body,
        "<path class=\"axis\" d=\"M{} {}V{}M{} {}H{}\"/>",
        n(left),
        n(top),
        n(bottom),
        n(left),
        n(zero),
        n(right)
    );
    for (i, text) in labels.texts.iter().enumerate() {
        let x = x_of(i);
        let _ = write!(
            body,
            "<path class=\"axis\" d=\"M{} {}v4\"/>",
            n(x),
            n(bottom)
        );
        if i % labels.every != 0 {
            body.push('\n');
            continue;
        }
        if labels.turned {
            let _ = writeln!(
                body,
                "<text x=\"{x}\" y=\"{y}\" text-anchor=\"end\" transform=\"rotate(-45 {x} {y})\">{}</text>",
                esc(text),
                x = n(x + 4.0),
                y = n(bottom + 14.0)
            );
        } else {
            let _ = writeln!(
                body,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                n(x),
                n(bottom + 17.0),
                esc(text)
            );
        }
    }
    if stacked {
        stacks(&mut body, c, lang, slot, &x_of, &y_of);
    } else {
        lines(&mut body, c, &x_of, &y_of);
    }
    let legend_top = bottom + labels.height;
    let legend_h = legend(&mut body, c, legend_top);
    let mut out = open(c, legend_top + legend_h.max(4.0));
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// One line per series, broken where a value is missing, with a marker on every point
/// (so that a series of one point shows).
fn lines(out: &mut String, c: &Chart, x_of: &dyn Fn(usize) -> f64, y_of: &dyn Fn(f64) -> f64) {
    for (s, series) in c.series.iter().enumerate() {
        let l = look(&series.name);
        let mut d = String::new();
        let mut joined = false;
        for i in 0..c.categories.len() {
            match value(c, s, i) {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if joined { "L" } else { "M" },
                        n(x_of(i)),
                        n(y_of(v))
                    );
                    joined = true;
                }
                None => joined = false,
            }
        }
        let _ = writeln!(
            out,
            "<path class=\"ln k{}\"{} d=\"{d}\"><title>{}</title></path>",
            l.colour,
            dash_attr(l),
            esc(&series.name)
        );
        for i in 0..c.categories.len() {
            if let Some(v) = value(c, s, i) {
                marker(out, l, x_of(i), y_of(v), 4.0, false);
            }
        }
        out.push('\n');
    }
}

/// Bars per category with the series stacked, each part marked with its series' marker
/// where it is tall enough, and the stack's total above it where there is room.
fn stacks(
    out: &mut String,
    c: &Chart,
    lang: Lang,
    slot: f64,
    x_of: &dyn Fn(usize) -> f64,
    y_of: &dyn Fn(f64) -> f64,
) {
    let w = (slot * 0.62).min(48.0);
    for i in 0..c.categories.len() {
        let x = x_of(i) - w / 2.0;
        let (mut pos, mut neg) = (0.0, 0.0);
        for (s, series) in c.series.iter().enumerate() {
            let Some(v) = value(c, s, i) else { continue };
            if v == 0.0 {
                continue;
            }
            let l = look(&series.name);
            let (from, to) = if v > 0.0 {
                pos += v;
                (pos - v, pos)
            } else {
                neg += v;
                (neg - v, neg)
            };
            let (y0, y1) = (y_of(from), y_of(to));
            let (y, h) = (y0.min(y1), (y0 - y1).abs());
            let _ = write!(
                out,
                "<rect class=\"k{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {}</title></rect>",
                l.colour,
                n(x),
                n(y),
                n(w),
                n(h),
                esc(&series.name),
                esc(&value_label(v, lang))
            );
            if h >= 10.0 && w >= 10.0 && c.series.len() > 1 {
                marker(out, l, x + w / 2.0, y + h / 2.0, 3.5, true);
            }
            out.push('\n');
        }
        let total = value_label(pos + neg, lang);
        if text_width(&total) <= slot && (pos != 0.0 || neg != 0.0) {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                n(x + w / 2.0),
                n(y_of(pos) - 4.0),
                esc(&total)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Series;

    fn chart(kind: ChartKind, series: &[(&str, &[Option<f64>])]) -> Chart {
        Chart {
            kind,
            title: "T".into(),
            unit: "cases".into(),
            categories: (0..series[0].1.len())
                .map(|i| format!("{}", 2016 + i))
                .collect(),
            series: series
                .iter()
                .map(|(name, v)| Series {
                    name: name.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
            table: None,
        }
    }

    #[test]
    fn round_axis_steps() {
        let a = Axis::new(0.0, 37.0, 5);
        assert_eq!((a.lo, a.hi, a.step), (0.0, 40.0, 10.0));
        let a = Axis::new(0.0, 3.4, 5);
        assert_eq!((a.step, a.decimals), (1.0, 0));
        let a = Axis::new(0.0, 0.8, 4);
        assert_eq!((a.step, a.hi, a.decimals), (0.2, 0.8, 1));
        assert_eq!(a.label(0.6000000001, Lang::Sv), "0,6");
        let a = Axis::new(0.0, 0.0, 5);
        assert!(a.hi > a.lo);
        let a = Axis::new(0.0, 1234.0, 4);
        assert_eq!(a.step, 500.0);
        assert_eq!(a.label(1500.0, Lang::Sv), "1\u{a0}500");
    }

    #[test]
    fn a_series_keeps_its_look_when_another_is_added() {
        let two = chart(
            ChartKind::Lines,
            &[
                ("Skola", &[Some(1.0), Some(2.0)]),
                ("Vård", &[Some(3.0), None]),
            ],
        );
        let three = chart(
            ChartKind::Lines,
            &[
                ("Omsorg", &[Some(2.0), Some(2.0)]),
                ("Skola", &[Some(1.0), Some(2.0)]),
                ("Vård", &[Some(3.0), None]),
            ],
        );
        let class_of = |svg: &str, name: &str| {
            let at = svg.find(&format!("<title>{name}</title>")).unwrap();
            let start = svg[..at].rfind("<path class=\"ln ").unwrap();
            svg[start..at].split('"').nth(1).unwrap().to_string()
        };
        for name in ["Skola", "Vård"] {
            assert_eq!(
                class_of(&draw(&two, Lang::En), name),
                class_of(&draw(&three, Lang::En), name),
                "{name}"
            );
        }
        assert_eq!(look("Skola"), look("Skola"));
        // The palette is used: eight names do not all share a colour.
        let colours: std::collections::BTreeSet<usize> = ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .map(|n| look(n).colour)
            .collect();
        assert!(colours.len() >= 4, "{colours:?}");
    }

    #[test]
    fn a_one_point_series_has_a_visible_marker() {
        let c = chart(ChartKind::Lines, &[("Skola", &[None, Some(4.0), None])]);
        let svg = draw(&c, Lang::En);
        let l = look("Skola");
        let marker_class = format!("class=\"m k{}\"", l.colour);
        assert_eq!(svg.matches(&marker_class).count(), 1, "{svg}");
        // The line itself is a lone move: nothing to stroke.
        assert!(svg.contains(" d=\"M"), "{svg}");
        assert!(!svg.contains("NaN"), "{svg}");
    }

    #[test]
    fn missing_values_break_the_line() {
        let c = chart(
            ChartKind::Lines,
            &[("Skola", &[Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)])],
        );
        let svg = draw(&c, Lang::En);
        let d = svg
            .split(" d=\"")
            .find(|p| p.starts_with('M') && p.contains('L'))
            .unwrap();
        let d = d.split('"').next().unwrap();
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(d.matches('L').count(), 2, "{d}");
    }

    #[test]
    fn swedish_ticks_have_decimal_commas() {
        let c = chart(
            ChartKind::Bars,
            &[("Timmar", &[Some(0.4), Some(1.25), Some(0.8)])],
        );
        let svg = draw(&c, Lang::Sv);
        assert!(svg.contains(">0,2<") || svg.contains(">0,5<"), "{svg}");
        assert!(svg.contains(">1,3<") || svg.contains(">1,2<"), "{svg}");
        assert!(!svg.contains(">0.5<") && !svg.contains(">1.3<"), "{svg}");
    }

    #[test]
    fn many_categories_are_turned_or_thinned() {
        let months: Vec<Option<f64>> = (0..36).map(|i| Some(i as f64)).collect();
        let mut c = chart(ChartKind::Stacked, &[("Skola", &months)]);
        c.categories = (0..36).map(|i| format!("Period {i}")).collect();
        let svg = draw(&c, Lang::En);
        assert!(svg.contains("rotate(-45"));
        let shown = svg.matches(">Period ").count();
        assert!((12..36).contains(&shown), "{shown}");
    }

    #[test]
    fn odd_charts_draw_without_nonsense() {
        let grouped = chart(
            ChartKind::Bars,
            &[
                ("Skola", &[Some(3.0), None, Some(-2.0)]),
                ("Vård", &[Some(1.5), Some(4.0), Some(0.0)]),
                ("Omsorg", &[Some(f64::NAN), Some(2.0), Some(1.0)]),
            ],
        );
        let nothing = chart(ChartKind::Lines, &[("Skola", &[None, None])]);
        let negative = chart(
            ChartKind::Stacked,
            &[("a", &[Some(-3.0), Some(2.0)]), ("b", &[Some(1.0), None])],
        );
        for c in [&grouped, &nothing, &negative] {
            let svg = draw(c, Lang::Sv);
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            assert!(
                svg.starts_with("<svg ") && svg.ends_with("</svg>\n"),
                "{svg}"
            );
            assert!(svg.contains("<title>T</title>"));
        }
        let svg = draw(&grouped, Lang::Sv);
        assert!(svg.contains(">−2<") && svg.contains(">1,5<"), "{svg}");
        assert!(draw(&nothing, Lang::Sv).contains("Inga uppgifter."));
    }

    #[test]
    fn every_text_is_twelve_units_in_a_narrow_view() {
        let c = chart(ChartKind::Bars, &[("Skola", &[Some(3.0)])]);
        let svg = draw(&c, Lang::En);
        assert!(svg.contains("viewBox=\"0 0 360 "), "{svg}");
        assert!(svg.contains("font-size=\"12\""));
        assert!(!svg.contains("font-size=\"1") || !svg.contains("font-size=\"10"));
    }
}
