//! Renderings of the maturity report: a terminal table, JSON, tidy CSV, Markdown, and
//! one self-contained HTML file with an SVG line chart. The tables are built once here
//! and escaped for the format they land in; nothing reads the clock.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use crate::output::Format;
use crate::report::escape;
use crate::report::maturity::{MaturityReport, TestedRule};

/// Renders `report` in `format`.
pub fn render(report: &MaturityReport, format: Format) -> String {
    match format {
        Format::Table => text(report),
        Format::Json => crate::output::json(report),
        Format::Csv => csv(report),
        Format::Markdown => markdown(report),
        Format::Html => html(report),
    }
}

/// A score mean with two decimals, or a dash.
fn score(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |x| format!("{x:.2}"))
}

/// `40.0% (8/20)`, or a dash when there is nothing to share out.
fn share(pct: Option<f64>, part: usize, whole: usize) -> String {
    pct.map_or_else(|| "–".to_string(), |p| format!("{p:.1}% ({part}/{whole})"))
}

/// The report's title: the sluice, and the day it was replayed to.
fn title(r: &MaturityReport) -> String {
    match r.as_of {
        Some(day) => format!("{}: innovation maturity as of {day}", r.name),
        None => format!("{}: innovation maturity", r.name),
    }
}

/// The first line: what the report covers.
fn lead(r: &MaturityReport) -> String {
    format!(
        "{} assessment(s) of {} unit(s); scale {}–{}, {} question(s); {} unit(s) known from cases and assessments",
        r.assessments,
        r.units.len(),
        r.scale.min,
        r.scale.max,
        r.questions.len(),
        r.units_known
    )
}

/// What each figure means, in plain text (each renderer escapes it).
fn notes(r: &MaturityReport) -> Vec<String> {
    let t = &r.tested_stage;
    let why = match t.chosen_because {
        TestedRule::KeyedTesta => "the stage keyed testa".to_string(),
        TestedRule::FifthStage => format!("the 5th stage, {}; no stage is keyed testa", t.key),
        TestedRule::LastStage => format!(
            "the last stage, {}; no stage is keyed testa and the pipeline has fewer than five",
            t.key
        ),
    };
    let mut notes = vec![
        format!(
            "Maturity: each unit's latest assessment in the year, averaged over the units assessed that year; an assessment's score is the mean of its answered questions (scale {}–{}).",
            r.scale.min, r.scale.max
        ),
        format!(
            "Units with ideas: the units named by the cases received in the year, of the {} units known (every unit named by a case or an assessment). Ideas per unit: the cases received in the year per unit known.",
            r.units_known
        ),
        format!(
            "Tested: the cases received in the year that have reached {} ({why}).",
            t.name
        ),
        "Implemented: the closings recorded in the year that were implemented. Lead time: the median days from received to implemented, for the cases implemented in the year.".to_string(),
    ];
    if r.ignored_scores > 0 {
        notes.push(format!(
            "{} score(s) do not count: an unknown question, or outside the scale; sluss check names them.",
            r.ignored_scores
        ));
    }
    notes
}

const NO_ASSESSMENTS: &str =
    "No assessments yet: record one with `sluss maturity record --unit UNIT --score KEY=N …`.";

/// The organisation per year: maturity next to what the portfolio shows.
fn year_table(r: &MaturityReport) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "year",
        "units assessed",
        "maturity",
        "units with ideas",
        "ideas",
        "ideas per unit",
        "tested",
        "implemented",
        "lead time (days)",
    ];
    let rows = r
        .years
        .iter()
        .map(|y| {
            vec![
                y.year.to_string(),
                y.units_assessed.to_string(),
                score(y.maturity),
                share(y.units_with_ideas_pct, y.units_with_ideas, y.units_known),
                y.ideas.to_string(),
                score(y.ideas_per_unit),
                share(y.tested_pct, y.tested, y.ideas),
                share(y.implemented_pct, y.implemented, y.closed),
                super::days(y.lead_time.median_days),
            ]
        })
        .collect();
    (header, rows)
}

/// The questions: number, key and text.
fn question_list(r: &MaturityReport, esc: fn(&str) -> String) -> Vec<Vec<String>> {
    r.questions
        .iter()
        .enumerate()
        .map(|(i, q)| vec![(i + 1).to_string(), esc(&q.key), esc(&q.text)])
        .collect()
}

/// The organisation's mean per question, in the years with assessments.
fn question_table(r: &MaturityReport, esc: fn(&str) -> String) -> (Vec<String>, Vec<Vec<String>>) {
    let years: Vec<_> = r.years.iter().filter(|y| y.units_assessed > 0).collect();
    let mut header = vec!["#".to_string(), "key".to_string()];
    header.extend(years.iter().map(|y| y.year.to_string()));
    let rows = r
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut row = vec![(i + 1).to_string(), esc(&q.key)];
            row.extend(years.iter().map(|y| score(y.questions[i].mean)));
            row
        })
        .collect();
    (header, rows)
}

/// Every assessment, unit by unit in time order: its mean and each question's score
/// (columns numbered as in the list of questions).
fn unit_table(r: &MaturityReport, esc: fn(&str) -> String) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> = ["unit", "date", "mean", "change", "respondents"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    header.extend((1..=r.questions.len()).map(|i| i.to_string()));
    let mut rows = Vec::new();
    for u in &r.units {
        for (i, a) in u.assessments.iter().enumerate() {
            let mut row = vec![
                if i == 0 { esc(&u.unit) } else { String::new() },
                a.date.to_string(),
                score(a.mean),
                match (i + 1 == u.assessments.len(), u.change) {
                    (true, Some(c)) => format!("{c:+.2}"),
                    _ => String::new(),
                },
                a.respondents.map_or_else(String::new, |n| n.to_string()),
            ];
            row.extend(r.questions.iter().map(|q| {
                a.scores
                    .get(&q.key)
                    .map_or_else(String::new, i64::to_string)
            }));
            rows.push(row);
        }
    }
    (header, rows)
}

fn text(r: &MaturityReport) -> String {
    use crate::output::{show, table, truncate};
    let mut s = String::new();
    let _ = writeln!(s, "{}", title(r));
    let _ = writeln!(s, "{}", lead(r));

    let _ = writeln!(s, "\nQuestions");
    let mut t = table(&["#", "key", "question"]);
    for mut row in question_list(r, str::to_string) {
        row[2] = truncate(&row[2], 80);
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", show(&t));

    let _ = writeln!(s, "\nThe organisation per year");
    let (header, rows) = year_table(r);
    let mut t = table(&header);
    for row in rows {
        t.add_row(row);
    }
    let _ = writeln!(s, "{}", show(&t));

    if r.units.is_empty() {
        let _ = writeln!(s, "\n{NO_ASSESSMENTS}");
    } else {
        let _ = writeln!(s, "\nMaturity per question (the organisation)");
        let (header, rows) = question_table(r, str::to_string);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = table(&header);
        for row in rows {
            t.add_row(row);
        }
        let _ = writeln!(s, "{}", show(&t));

        let _ = writeln!(s, "\nAssessments per unit (question scores by number)");
        let (header, rows) = unit_table(r, str::to_string);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = table(&header);
        for row in rows {
            t.add_row(row);
        }
        let _ = writeln!(s, "{}", show(&t));
    }
    s.push('\n');
    for note in notes(r) {
        let _ = writeln!(s, "{note}");
    }
    s
}

fn markdown(r: &MaturityReport) -> String {
    use super::markdown::table;
    use escape::markdown as esc;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", esc(&title(r)));
    let _ = writeln!(s, "{}.\n", esc(&lead(r)));

    let _ = writeln!(s, "## The organisation per year\n");
    let (header, rows) = year_table(r);
    s.push_str(&table(&header, &rows));

    let _ = writeln!(s, "\n## Questions\n");
    s.push_str(&table(&["#", "key", "question"], &question_list(r, esc)));

    if r.units.is_empty() {
        // Our own words, with a code span in them: not escaped.
        let _ = writeln!(s, "\n{NO_ASSESSMENTS}");
    } else {
        let _ = writeln!(s, "\n## Maturity per question\n");
        let (header, rows) = question_table(r, esc);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        s.push_str(&table(&header, &rows));

        let _ = writeln!(s, "\n## Assessments per unit\n");
        let (header, rows) = unit_table(r, esc);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        s.push_str(&table(&header, &rows));
    }
    s.push('\n');
    for note in notes(r) {
        let _ = writeln!(s, "- {}", esc(&note));
    }
    s
}

fn csv(r: &MaturityReport) -> String {
    let mut w = super::csv::Rows(csv::Writer::from_writer(Vec::new()));
    w.0.write_record(["section", "group", "key", "metric", "value"])
        .expect("in memory");
    w.row("maturity", "", "", "name", &r.name);
    if let Some(day) = r.as_of {
        w.row("maturity", "", "", "as_of", day);
    }
    w.row("maturity", "", "", "scale_min", r.scale.min);
    w.row("maturity", "", "", "scale_max", r.scale.max);
    w.row("maturity", "", "", "tested_stage", &r.tested_stage.key);
    w.row("maturity", "", "", "units_known", r.units_known);
    w.row("maturity", "", "", "assessments", r.assessments);
    w.row("maturity", "", "", "ignored_scores", r.ignored_scores);
    for q in &r.questions {
        w.row("question", "", &q.key, "text", &q.text);
    }
    for y in &r.years {
        let year = y.year.to_string();
        w.row("year", &year, "", "units_assessed", y.units_assessed);
        w.opt("year", &year, "", "maturity", y.maturity);
        w.row("year", &year, "", "units_known", y.units_known);
        w.row("year", &year, "", "units_with_ideas", y.units_with_ideas);
        w.opt(
            "year",
            &year,
            "",
            "units_with_ideas_pct",
            y.units_with_ideas_pct,
        );
        w.row("year", &year, "", "ideas", y.ideas);
        w.opt("year", &year, "", "ideas_per_unit", y.ideas_per_unit);
        w.row("year", &year, "", "tested", y.tested);
        w.opt("year", &year, "", "tested_pct", y.tested_pct);
        w.row("year", &year, "", "closed", y.closed);
        w.row("year", &year, "", "implemented", y.implemented);
        w.opt("year", &year, "", "implemented_pct", y.implemented_pct);
        w.row("year", &year, "", "lead_time_cases", y.lead_time.samples);
        w.opt(
            "year",
            &year,
            "",
            "lead_time_median_days",
            y.lead_time.median_days,
        );
        for q in y.questions.iter().filter(|q| q.answers > 0) {
            w.row("year_question", &year, &q.key, "answers", q.answers);
            w.opt("year_question", &year, &q.key, "mean", q.mean);
        }
    }
    for u in &r.units {
        w.opt("unit", &u.unit, "", "change", u.change);
        for a in &u.assessments {
            let date = a.date.to_string();
            w.opt("assessment", &u.unit, &date, "mean", a.mean);
            w.row("assessment", &u.unit, &date, "answered", a.answered);
            if let Some(n) = a.respondents {
                w.row("assessment", &u.unit, &date, "respondents", n);
            }
            for q in &r.questions {
                if let Some(score) = a.scores.get(&q.key) {
                    w.row("score", &u.unit, &date, &q.key, score);
                }
            }
        }
    }
    String::from_utf8(w.0.into_inner().expect("in memory")).expect("CSV of UTF-8 text is UTF-8")
}

fn html(r: &MaturityReport) -> String {
    use super::html::{STYLE, table};
    use escape::html as esc;
    let mut s = String::new();
    let title = title(r);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        esc(&title)
    );
    let _ = writeln!(s, "<p class=\"lead\">{}.</p>", esc(&lead(r)));

    s.push_str("<h2>Maturity over time</h2>\n");
    if r.units.is_empty() {
        let _ = writeln!(s, "<p>{}</p>", esc(NO_ASSESSMENTS));
    } else {
        s.push_str(&chart(r));
    }

    s.push_str("<h2>The organisation per year</h2>\n");
    let (header, rows) = year_table(r);
    table(&mut s, &header, 1, &rows);

    s.push_str("<h2>Questions</h2>\n");
    table(&mut s, &["#", "Key", "Question"], 3, &question_list(r, esc));

    if !r.units.is_empty() {
        s.push_str("<h2>Maturity per question</h2>\n");
        let (header, rows) = question_table(r, esc);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        table(&mut s, &header, 2, &rows);

        s.push_str("<h2>Assessments per unit</h2>\n");
        let (header, rows) = unit_table(r, esc);
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        table(&mut s, &header, 2, &rows);
    }

    s.push_str("<ul class=\"muted\">\n");
    for note in notes(r) {
        let _ = writeln!(s, "<li>{}</li>", esc(&note));
    }
    s.push_str(
        "</ul>\n<p class=\"muted\">Made by sluss from the assessment and case files in git.</p>\n</body>\n</html>\n",
    );
    s
}

/// Line colours for the units, in turn.
const PALETTE: [&str; 10] = [
    "#1f6feb", "#8250df", "#9a6700", "#1a7f37", "#cf222e", "#bf3989", "#0a7ea4", "#bc4c00",
    "#6e7781", "#116329",
];

/// Maturity over time: one line per unit through its assessments, and the
/// organisation's yearly mean as a thick dashed line at each mid-year.
fn chart(r: &MaturityReport) -> String {
    use escape::html as esc;
    let dates = r
        .units
        .iter()
        .flat_map(|u| u.assessments.iter().map(|a| a.date));
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return String::new();
    };
    let x0 = NaiveDate::from_ymd_opt(first.year(), 1, 1).expect("1 January");
    let x1 = NaiveDate::from_ymd_opt(last.year() + 1, 1, 1).expect("1 January");
    let span = (x1 - x0).num_days().max(1) as f64;

    let (left, top, plot_w, plot_h): (f64, f64, f64, f64) = (44.0, 16.0, 500.0, 220.0);
    let legend_x = left + plot_w + 24.0;
    let series = r.units.len() + 1;
    let height = (top + plot_h + 36.0).max(top + 18.0 * series as f64 + 8.0);
    let width = legend_x + 190.0;
    let (min, max) = (r.scale.min as f64, r.scale.max as f64);
    let x = |d: NaiveDate| left + (d - x0).num_days() as f64 / span * plot_w;
    let y = |v: f64| top + plot_h - (v - min) / (max - min).max(1.0) * plot_h;

    let mut s = format!(
        "<svg role=\"img\" aria-label=\"Maturity over time: the organisation's yearly mean and each unit's assessments\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\">\n<title>Maturity over time</title>\n"
    );
    // The scale's grid: every whole score on a short scale, five steps on a long one.
    let step = ((r.scale.max - r.scale.min) as f64 / 5.0).ceil().max(1.0) as i64;
    let mut v = r.scale.min;
    while v <= r.scale.max {
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{yv:.1}\" x2=\"{:.1}\" y2=\"{yv:.1}\" stroke=\"#e5e8eb\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v}</text>",
            left + plot_w,
            left - 6.0,
            y(v as f64) + 4.0,
            yv = y(v as f64)
        );
        v += step;
    }
    for year in x0.year()..x1.year() {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
        let mid = NaiveDate::from_ymd_opt(year, 7, 1).expect("1 July");
        let _ = writeln!(
            s,
            "<line x1=\"{xs:.1}\" y1=\"{top}\" x2=\"{xs:.1}\" y2=\"{:.1}\" stroke=\"#d0d7de\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{year}</text>",
            top + plot_h,
            x(mid),
            top + plot_h + 18.0,
            xs = x(start)
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{b:.1}\" x2=\"{:.1}\" y2=\"{b:.1}\" stroke=\"#8c959f\"/>",
        left + plot_w,
        b = top + plot_h
    );

    for (i, u) in r.units.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let points: Vec<(NaiveDate, f64)> = u
            .assessments
            .iter()
            .filter_map(|a| Some((a.date, a.mean?)))
            .collect();
        let _ = write!(s, "<g><title>{}</title>", esc(&u.unit));
        if points.len() > 1 {
            let line: Vec<String> = points
                .iter()
                .map(|(d, m)| format!("{:.1},{:.1}", x(*d), y(*m)))
                .collect();
            let _ = write!(
                s,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{}\"/>",
                line.join(" ")
            );
        }
        for (d, m) in &points {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\"><title>{} {d}: {m:.2}</title></circle>",
                x(*d),
                y(*m),
                esc(&u.unit)
            );
        }
        s.push_str("</g>\n");
    }

    let org: Vec<(i32, f64, usize)> = r
        .years
        .iter()
        .filter_map(|y| Some((y.year, y.maturity?, y.units_assessed)))
        .collect();
    let mid = |year: i32| NaiveDate::from_ymd_opt(year, 7, 1).expect("1 July");
    let _ = write!(s, "<g><title>The organisation</title>");
    if org.len() > 1 {
        let line: Vec<String> = org
            .iter()
            .map(|(year, m, _)| format!("{:.1},{:.1}", x(mid(*year)), y(*m)))
            .collect();
        let _ = write!(
            s,
            "<polyline fill=\"none\" stroke=\"#1d2733\" stroke-width=\"3\" stroke-dasharray=\"7 4\" points=\"{}\"/>",
            line.join(" ")
        );
    }
    for (year, m, n) in &org {
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"#1d2733\"><title>The organisation {year}: {m:.2} ({n} unit(s))</title></circle>",
            x(mid(*year)),
            y(*m)
        );
    }
    s.push_str("</g>\n");

    let _ = writeln!(
        s,
        "<line x1=\"{legend_x}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1d2733\" stroke-width=\"3\" stroke-dasharray=\"7 4\"/><text x=\"{:.1}\" y=\"{:.1}\">The organisation</text>",
        top + 6.0,
        legend_x + 22.0,
        top + 6.0,
        legend_x + 28.0,
        top + 10.0
    );
    for (i, u) in r.units.iter().enumerate() {
        let ly = top + 18.0 * (i + 1) as f64;
        let _ = writeln!(
            s,
            "<rect x=\"{legend_x}\" y=\"{:.1}\" width=\"22\" height=\"4\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            ly + 4.0,
            PALETTE[i % PALETTE.len()],
            legend_x + 28.0,
            ly + 10.0,
            esc(&crate::output::truncate(&u.unit, 24))
        );
    }
    s.push_str("</svg>\n");
    s
}
