//! The maturity report as one [`Document`] (for the terminal, Markdown and HTML) and as
//! tidy CSV; JSON is the report value itself. Every text comes from the catalogue's
//! `[maturity]` section in the report's language; the one date that is not in the
//! data is the colophon's generation day, passed in.

use chrono::NaiveDate;

use crate::document::{
    self, Block, Cell, Chart, ChartKind, Colophon, Column, ColumnKind, Definition, Document,
    KeyFigure, Lang, Series, Table,
};
use crate::output::Format;
use crate::report::maturity::{MaturityReport, TestedRule, YearFigures};

/// Renders `report` in `format`: JSON and CSV from the value, the rest through the
/// document writers with `options` (the terminal's width, if any).
pub fn render(
    report: &MaturityReport,
    format: Format,
    lang: Lang,
    generated: NaiveDate,
    options: document::Options,
) -> String {
    match format {
        Format::Json => crate::output::json(report),
        Format::Csv => csv(report),
        _ => document::render(&build(report, lang, generated), format, options),
    }
}

/// A mean score with two decimals, or "–".
fn score(x: Option<f64>) -> Cell {
    x.map_or(Cell::Missing, |value| Cell::Decimal { value, decimals: 2 })
}

fn share(p: Option<f64>) -> Cell {
    p.map_or(Cell::Missing, Cell::Percent)
}

/// The years the report shows, as people read them: "2016–2020", "2018".
fn period(r: &MaturityReport) -> Option<String> {
    let (first, last) = (r.years.first()?.year, r.years.last()?.year);
    Some(if first == last {
        first.to_string()
    } else {
        format!("{first}–{last}")
    })
}

fn scale(r: &MaturityReport) -> String {
    format!("{}–{}", r.scale.min, r.scale.max)
}

/// The report as a document: key figures, maturity over time (a chart with its table),
/// the organisation per year, maturity per question, every assessment, then notes,
/// definitions and the colophon.
pub fn build(r: &MaturityReport, lang: Lang, generated: NaiveDate) -> Document {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let mut doc = Document::new(lang, lang.format("maturity.title", &[("name", &r.name)]));
    let as_of = r
        .as_of
        .map(|day| lang.format("maturity.as_of", &[("date", &lang.long_date(day))]));
    let subtitle: Vec<String> = period(r).into_iter().chain(as_of).collect();
    if !subtitle.is_empty() {
        doc = doc.subtitle(subtitle.join(", "));
    }
    doc.push(Block::KeyFigures(key_figures(r, lang)));

    if r.units.is_empty() {
        doc.paragraph(t("no_assessments"));
    } else {
        doc.heading(t("over_time"));
        doc.push(over_time(r, lang));
    }

    doc.heading(t("per_year"));
    doc.push(units_table(r, lang));
    doc.push(flow_table(r, lang));

    if !r.units.is_empty() {
        doc.heading(t("per_question"));
        doc.push(question_table(r, lang));
        doc.heading(t("per_unit"));
        doc.push(unit_table(r, lang));
    }

    if r.ignored_scores > 0 {
        doc.push(Block::Notes(vec![lang.format(
            "maturity.ignored",
            &[("n", &lang.integer(r.ignored_scores as i64))],
        )]));
    }
    doc.push(Block::Definitions(definitions(r, lang)));
    doc.push(Block::Colophon(Colophon {
        period: period(r),
        generated,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }));
    doc
}

/// How many assessments of how many units, the questions, and the latest maturity next
/// to the first.
fn key_figures(r: &MaturityReport, lang: Lang) -> Vec<KeyFigure> {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let mut figures = vec![
        KeyFigure {
            label: t("figure_assessments"),
            value: Cell::from(r.assessments),
            note: None,
        },
        KeyFigure {
            label: t("figure_units"),
            value: Cell::from(r.units.len()),
            note: Some(lang.format(
                "maturity.figure_units_note",
                &[("known", &lang.integer(r.units_known as i64))],
            )),
        },
        KeyFigure {
            label: t("figure_questions"),
            value: Cell::from(r.questions.len()),
            note: Some(lang.format("maturity.figure_scale", &[("scale", &scale(r))])),
        },
    ];
    let assessed: Vec<&YearFigures> = r.years.iter().filter(|y| y.maturity.is_some()).collect();
    if let (Some(first), Some(last)) = (assessed.first(), assessed.last()) {
        figures.push(KeyFigure {
            label: lang.format(
                "maturity.figure_maturity",
                &[("year", &last.year.to_string())],
            ),
            value: score(last.maturity),
            note: (first.year != last.year).then(|| {
                lang.format(
                    "maturity.figure_maturity_note",
                    &[
                        ("year", &first.year.to_string()),
                        ("value", &score(first.maturity).format(lang)),
                    ],
                )
            }),
        });
    }
    figures
}

/// The years from the first with an assessment to the last.
fn assessed_years(r: &MaturityReport) -> Vec<&YearFigures> {
    let first = r.years.iter().position(|y| y.units_assessed > 0);
    let last = r.years.iter().rposition(|y| y.units_assessed > 0);
    match (first, last) {
        (Some(first), Some(last)) => r.years[first..=last].iter().collect(),
        _ => Vec::new(),
    }
}

/// Maturity over time: a line per unit through its latest assessment of each year, and
/// one for the organisation's mean; beside it the same figures as a table, a row per
/// unit and the organisation's mean as its last row.
fn over_time(r: &MaturityReport, lang: Lang) -> Chart {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let years = assessed_years(r);
    let categories: Vec<String> = years.iter().map(|y| y.year.to_string()).collect();
    let mut series: Vec<Series> = r
        .units
        .iter()
        .map(|u| Series {
            name: u.unit.clone(),
            values: years
                .iter()
                .map(|y| u.per_year.iter().find(|p| p.year == y.year).map(|p| p.mean))
                .collect(),
        })
        .collect();
    let organisation = Series {
        name: t("organisation"),
        values: years.iter().map(|y| y.maturity).collect(),
    };

    let mut columns = vec![Column::new(t("unit"), ColumnKind::Text)];
    columns.extend(
        categories
            .iter()
            .map(|c| Column::new(c.clone(), ColumnKind::Number)),
    );
    let mut table = Table::new(t("chart_caption"), columns);
    table.row_headers = true;
    let cells = |s: &Series| {
        std::iter::once(Cell::from(s.name.clone()))
            .chain(s.values.iter().map(|v| score(*v)))
            .collect::<Vec<_>>()
    };
    for s in &series {
        table.row(cells(s));
    }
    table.total = Some(cells(&organisation));
    table.note = Some(t("chart_note"));
    series.push(organisation);

    Chart {
        kind: ChartKind::Lines,
        title: t("chart_title"),
        unit: lang.format("maturity.chart_unit", &[("scale", &scale(r))]),
        categories,
        series,
        table: Some(table),
    }
}

/// Per year: how many units were assessed, the maturity, the units known and how many of
/// them brought ideas.
fn units_table(r: &MaturityReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let mut table = Table::new(
        t("units_caption"),
        vec![
            Column::new(t("year"), ColumnKind::Id),
            Column::new(t("units_assessed"), ColumnKind::Number),
            Column::new(t("maturity"), ColumnKind::Number),
            Column::new(t("units_known"), ColumnKind::Number),
            Column::new(t("units_with_ideas"), ColumnKind::Number),
            Column::new(t("units_with_ideas_pct"), ColumnKind::Percent),
            Column::new(t("ideas"), ColumnKind::Number),
            Column::new(t("ideas_per_unit"), ColumnKind::Number),
        ],
    );
    table.row_headers = true;
    for y in &r.years {
        table.row(vec![
            Cell::Text(y.year.to_string()),
            Cell::from(y.units_assessed),
            score(y.maturity),
            Cell::from(y.units_known),
            Cell::from(y.units_with_ideas),
            share(y.units_with_ideas_pct),
            Cell::from(y.ideas),
            score(y.ideas_per_unit),
        ]);
    }
    table
}

/// Per year: how far that year's ideas got, the year's closings and the lead time.
fn flow_table(r: &MaturityReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let mut table = Table::new(
        t("flow_caption"),
        vec![
            Column::new(t("year"), ColumnKind::Id),
            Column::new(t("ideas"), ColumnKind::Number),
            Column::new(t("tested"), ColumnKind::Number),
            Column::new(t("tested_pct"), ColumnKind::Percent),
            Column::new(t("closed"), ColumnKind::Number),
            Column::new(t("implemented"), ColumnKind::Number),
            Column::new(t("implemented_pct"), ColumnKind::Percent),
            Column::new(t("lead_time"), ColumnKind::Number),
        ],
    );
    table.row_headers = true;
    for y in &r.years {
        table.row(vec![
            Cell::Text(y.year.to_string()),
            Cell::from(y.ideas),
            Cell::from(y.tested),
            share(y.tested_pct),
            Cell::from(y.closed),
            Cell::from(y.implemented),
            share(y.implemented_pct),
            y.lead_time
                .median_days
                .map_or(Cell::Missing, |value| Cell::Decimal { value, decimals: 1 }),
        ]);
    }
    table
}

/// The organisation's mean per question, by its text, in the years with assessments.
fn question_table(r: &MaturityReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let years: Vec<&YearFigures> = r.years.iter().filter(|y| y.units_assessed > 0).collect();
    let mut columns = vec![
        Column::new(t("number"), ColumnKind::Id),
        Column::new(t("question"), ColumnKind::Text),
    ];
    columns.extend(
        years
            .iter()
            .map(|y| Column::new(y.year.to_string(), ColumnKind::Number)),
    );
    let mut table = Table::new(t("questions_caption"), columns);
    for (i, q) in r.questions.iter().enumerate() {
        let mut row = vec![Cell::Text((i + 1).to_string()), Cell::from(q.text.clone())];
        row.extend(years.iter().map(|y| score(y.questions[i].mean)));
        table.row(row);
    }
    table
}

/// Every assessment, unit by unit in time order: its mean, the unit's change on its
/// last row, the respondents and each question's score ("–" when not answered).
fn unit_table(r: &MaturityReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let mut columns = vec![
        Column::new(t("unit"), ColumnKind::Text),
        Column::new(t("date"), ColumnKind::Date),
        Column::new(t("mean"), ColumnKind::Number),
        Column::new(t("change"), ColumnKind::Number),
        Column::new(t("respondents"), ColumnKind::Number),
    ];
    columns.extend((1..=r.questions.len()).map(|i| Column::new(i.to_string(), ColumnKind::Number)));
    let mut table = Table::new(t("unit_caption"), columns);
    table.row_headers = true;
    for u in &r.units {
        for (i, a) in u.assessments.iter().enumerate() {
            let change = match (i + 1 == u.assessments.len(), u.change) {
                (true, Some(c)) => Cell::Text(signed(c, lang)),
                _ => Cell::Text(String::new()),
            };
            let mut row = vec![
                Cell::from(u.unit.clone()),
                Cell::Date(a.date),
                score(a.mean),
                change,
                a.respondents
                    .map_or(Cell::Missing, |n| Cell::Int(i64::from(n))),
            ];
            row.extend(r.questions.iter().map(|q| {
                a.scores
                    .get(&q.key)
                    .map_or(Cell::Missing, |s| Cell::Int(*s))
            }));
            table.row(row);
        }
    }
    table.note = Some(t("unit_note"));
    table
}

/// A change with its sign and two decimals: "+0.40", "−0,25".
fn signed(x: f64, lang: Lang) -> String {
    let text = lang.decimal(x, 2);
    if x > 0.0 { format!("+{text}") } else { text }
}

/// What each figure means, the denominator of the shares above all.
fn definitions(r: &MaturityReport, lang: Lang) -> Vec<Definition> {
    let def = |term: &str, meaning: String| Definition {
        term: lang.text(&format!("maturity.{term}")).to_string(),
        meaning,
    };
    let text = |key: &str| lang.text(&format!("maturity.{key}")).to_string();
    let stage = &r.tested_stage;
    let why = match stage.chosen_because {
        TestedRule::KeyedTesta => text("tested_keyed"),
        TestedRule::FifthStage => lang.format("maturity.tested_fifth", &[("key", &stage.key)]),
        TestedRule::LastStage => lang.format("maturity.tested_last", &[("key", &stage.key)]),
    };
    let mut defs = vec![
        def(
            "def_maturity",
            lang.format("maturity.def_maturity_text", &[("scale", &scale(r))]),
        ),
        def("def_known", text("def_known_text")),
        def("def_with_ideas", text("def_with_ideas_text")),
        def(
            "def_tested",
            lang.format(
                "maturity.def_tested_text",
                &[("stage", &stage.name), ("why", &why)],
            ),
        ),
        def("def_implemented", text("def_implemented_text")),
        def("def_lead_time", text("def_lead_time_text")),
    ];
    if let Some(day) = r.as_of {
        defs.push(def(
            "def_as_of",
            lang.format("maturity.def_as_of_text", &[("date", &lang.long_date(day))]),
        ));
    }
    defs
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::maturity::Question;
    use crate::report::maturity::{
        AssessmentPoint, QuestionMean, Scale, TestedStage, UnitSeries, UnitYear,
    };
    use crate::report::stats::Durations;

    fn year(year: i32, units_assessed: usize, maturity: Option<f64>) -> YearFigures {
        YearFigures {
            year,
            units_assessed,
            maturity,
            questions: vec![QuestionMean {
                key: "ledning".into(),
                mean: maturity,
                answers: units_assessed,
            }],
            units_known: 2,
            units_with_ideas: 0,
            units_with_ideas_pct: Some(0.0),
            ideas: 0,
            ideas_per_unit: Some(0.0),
            tested: 0,
            tested_pct: None,
            closed: 0,
            implemented: 0,
            implemented_pct: None,
            lead_time: Durations::of(Vec::new()),
        }
    }

    fn unit(name: &str, points: &[(i32, f64)]) -> UnitSeries {
        UnitSeries {
            unit: name.into(),
            assessments: points
                .iter()
                .map(|(y, m)| AssessmentPoint {
                    date: NaiveDate::from_ymd_opt(*y, 5, 1).unwrap(),
                    mean: Some(*m),
                    answered: 1,
                    respondents: None,
                    scores: [("ledning".to_string(), *m as i64)].into(),
                })
                .collect(),
            change: None,
            per_year: points
                .iter()
                .map(|(y, m)| UnitYear { year: *y, mean: *m })
                .collect(),
        }
    }

    /// Two units over 2016–2019, none assessed in 2016 or 2018.
    fn report() -> MaturityReport {
        MaturityReport {
            name: "Sluss".into(),
            as_of: None,
            scale: Scale { min: 1, max: 5 },
            questions: vec![Question {
                key: "ledning".into(),
                text: "Ledningen stöttar.".into(),
            }],
            tested_stage: TestedStage {
                key: "testa".into(),
                name: "Testa".into(),
                position: 5,
                chosen_because: TestedRule::KeyedTesta,
            },
            units_known: 2,
            assessments: 3,
            ignored_scores: 0,
            units: vec![
                unit("Skola", &[(2017, 2.0), (2019, 3.0)]),
                unit("Vård", &[(2017, 4.0)]),
            ],
            years: vec![
                year(2016, 0, None),
                year(2017, 2, Some(3.0)),
                year(2018, 0, None),
                year(2019, 1, Some(3.0)),
            ],
        }
    }

    #[test]
    fn maturity_over_time_is_a_line_per_unit_and_the_organisation_over_the_assessed_years() {
        let day = NaiveDate::from_ymd_opt(2020, 6, 30).unwrap();
        let doc = build(&report(), Lang::Sv, day);
        let chart = doc
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Chart(c) => Some(c),
                _ => None,
            })
            .expect("a chart");
        assert_eq!(chart.kind, ChartKind::Lines);
        assert_eq!(chart.unit, "medelpoäng (1–5)");
        // From the first year with an assessment to the last, gaps included.
        assert_eq!(chart.categories, ["2017", "2018", "2019"]);
        let series: Vec<(&str, &[Option<f64>])> = chart
            .series
            .iter()
            .map(|s| (s.name.as_str(), s.values.as_slice()))
            .collect();
        assert_eq!(
            series,
            [
                ("Skola", &[Some(2.0), None, Some(3.0)][..]),
                ("Vård", &[Some(4.0), None, None][..]),
                ("Organisationen", &[Some(3.0), None, Some(3.0)][..]),
            ]
        );
        let table = chart.table.as_ref().expect("the chart's table");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1][2], Cell::Missing);
        assert_eq!(
            table.total.as_ref().unwrap()[0],
            Cell::Text("Organisationen".into())
        );
        // It ends with what the words mean and the colophon.
        assert!(matches!(
            doc.blocks[doc.blocks.len() - 2],
            Block::Definitions(_)
        ));
        assert_eq!(
            doc.blocks.last(),
            Some(&Block::Colophon(Colophon {
                period: Some("2016–2019".into()),
                generated: day,
                version: env!("CARGO_PKG_VERSION").into(),
            }))
        );
    }
}
