//! The portfolio report as a [`Document`]: what the terminal table, the Markdown and the
//! HTML of `sluss summary` show, in the sluice's language. Every text comes from the
//! catalogue's `[summary]` section; numbers and dates are left to the writers.

use chrono::NaiveDate;

use super::{CaseRef, Figures, GroupBy, NO_GROUP, Period, Report, Throughput};
use crate::document::{
    Block, Cell, Chart, ChartKind, Colophon, Column, ColumnKind, Definition, Document, KeyFigure,
    Lang, Series, Table,
};
use crate::domain::{AsOfSource, Config, Outcome};

/// At most this many cases of an attention list are shown (all are in CSV and JSON).
pub const SHOWN: usize = 15;

/// The report as a document in `lang`, made on `generated` (the command's today).
/// `width` is the terminal's when the document is to be written as text to one (`None`
/// for a pipe, a file, Markdown and HTML): a table of groups too wide for it leaves
/// out its columns per stage, and says so.
pub fn document(
    r: &Report,
    config: &Config,
    lang: Lang,
    generated: NaiveDate,
    width: Option<usize>,
) -> Document {
    let b = Builder {
        r,
        config,
        lang,
        width,
    };
    let mut doc =
        Document::new(lang, b.fmt("summary.title", &[("name", &r.name)])).subtitle(b.as_of_line());
    doc.push(Block::KeyFigures(b.key_figures()));
    if r.skipped_files > 0 {
        doc.push(Block::Notes(vec![b.fmt(
            "summary.skipped",
            &[("n", &lang.integer(r.skipped_files as i64))],
        )]));
    }

    doc.heading(b.text("summary.funnel"));
    doc.push(b.funnel());
    doc.push(b.outcomes());

    doc.heading(b.text("summary.flow"));
    doc.push(b.time_in_stage());
    doc.paragraph(b.lead_time());
    doc.push(b.throughput());

    doc.heading(b.text("summary.coaching"));
    doc.push(b.coaching());
    doc.paragraph(b.fmt(
        "summary.coaching_all",
        &[
            ("sessions", &lang.integer(r.coaching.sessions as i64)),
            ("hours", &Cell::hours(r.coaching.minutes).format(lang)),
        ],
    ));

    if let Some(breakdown) = &r.breakdown {
        let (heading, first) = match breakdown.by {
            GroupBy::Unit => ("summary.by_unit", "summary.col_unit"),
            GroupBy::Program => ("summary.by_program", "summary.col_program"),
            GroupBy::Tag => ("summary.by_tag", "summary.col_tag"),
            GroupBy::Coach => ("summary.by_coach", "summary.col_coach"),
        };
        doc.heading(b.text(heading));
        let groups = breakdown
            .groups
            .iter()
            .map(|g| (b.group_name(breakdown.by, &g.group), &g.figures));
        let mut t = b.figures_table(b.text(first), groups, Some(r));
        if breakdown.by == GroupBy::Tag && t.note.is_none() {
            t.note = Some(b.text("summary.tag_total_note"));
        }
        doc.push(t);
    }
    if !r.repositories.is_empty() {
        doc.heading(b.text("summary.by_repository"));
        let groups = r.repositories.iter().map(|g| (g.group.clone(), &g.figures));
        doc.push(b.figures_table(b.text("summary.col_repository"), groups, Some(r)));
    }
    if !r.programs.is_empty() {
        doc.heading(b.text("summary.programs"));
        let groups = r.programs.iter().map(|p| (p.name.clone(), &p.figures));
        doc.push(b.figures_table(b.text("summary.col_program"), groups, None));
    }

    doc.heading(b.text("summary.attention"));
    for (caption, days, cases) in [
        (
            "summary.stale_caption",
            "summary.col_idle_days",
            &r.attention.stale,
        ),
        (
            "summary.no_coach_caption",
            "summary.col_age_days",
            &r.attention.no_coach,
        ),
        (
            "summary.waiting_caption",
            "summary.col_days_in_stage",
            &r.attention.waiting_longest,
        ),
    ] {
        doc.push(b.attention(caption, days, cases));
    }
    doc.push(b.forced());

    doc.push(Block::Definitions(b.definitions()));
    doc.push(Block::Colophon(Colophon {
        period: Some(b.window()),
        generated,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }));
    doc
}

struct Builder<'a> {
    r: &'a Report,
    config: &'a Config,
    lang: Lang,
    width: Option<usize>,
}

impl Builder<'_> {
    fn text(&self, key: &str) -> String {
        self.lang.text(key).to_string()
    }

    fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.format(key, args)
    }

    fn column(&self, key: &str, kind: ColumnKind) -> Column {
        Column::new(self.text(key), kind)
    }

    fn int(n: usize) -> Cell {
        Cell::Int(n as i64)
    }

    /// The flow window as people read it: "juli 2019–juni 2020".
    fn window(&self) -> String {
        self.lang.period(self.r.flow.since, self.r.flow.until)
    }

    /// The day the report describes, and where that day comes from.
    fn as_of_line(&self) -> String {
        let key = match self.r.as_of_from {
            AsOfSource::Option => "summary.as_of_option",
            AsOfSource::Settings => "summary.as_of_settings",
            AsOfSource::Today => "summary.as_of_today",
        };
        self.fmt(key, &[("date", &self.lang.long_date(self.r.as_of))])
    }

    fn key_figures(&self) -> Vec<KeyFigure> {
        let r = self.r;
        let figure = |label: &str, value: Cell, note: Option<String>| KeyFigure {
            label: self.text(label),
            value,
            note,
        };
        vec![
            figure("summary.kf_cases", Self::int(r.total), None),
            figure("summary.kf_open", Self::int(r.by_status["open"]), None),
            figure("summary.kf_parked", Self::int(r.by_status["parked"]), None),
            figure("summary.kf_closed", Self::int(r.by_status["closed"]), None),
            figure(
                "summary.kf_implemented",
                Self::int(r.by_outcome["implemented"]),
                None,
            ),
            figure(
                "summary.kf_stale",
                Self::int(r.stale),
                Some(self.fmt(
                    "summary.kf_stale_note",
                    &[("days", &self.config.stale_after_days.to_string())],
                )),
            ),
            figure(
                "summary.kf_hours",
                Cell::hours(r.coaching.minutes),
                Some(self.fmt(
                    "summary.kf_hours_note",
                    &[("sessions", &self.lang.integer(r.coaching.sessions as i64))],
                )),
            ),
        ]
    }

    /// The funnel: a bar per stage of the cases that reached it, with its table.
    fn funnel(&self) -> Chart {
        let r = self.r;
        let mut t = Table::new(
            self.text("summary.funnel_caption"),
            vec![
                self.column("summary.col_stage", ColumnKind::Text),
                self.column("summary.col_reached", ColumnKind::Number),
                self.column("summary.col_conversion", ColumnKind::Percent),
                self.column("summary.col_open_now", ColumnKind::Number),
            ],
        );
        t.row_headers = true;
        for st in &r.stages {
            t.row(vec![
                Cell::Text(st.name.clone()),
                Self::int(st.reached),
                st.conversion.map_or(Cell::Missing, Cell::Percent),
                Self::int(st.open),
            ]);
        }
        Chart {
            kind: ChartKind::Bars,
            title: self.text("summary.funnel_chart"),
            unit: self.text("common.cases"),
            categories: r.stages.iter().map(|s| s.name.clone()).collect(),
            series: vec![Series {
                name: self.text("summary.col_reached"),
                values: r.stages.iter().map(|s| Some(s.reached as f64)).collect(),
            }],
            table: Some(t),
        }
    }

    /// Closed cases per outcome; the total is the closed cases.
    fn outcomes(&self) -> Table {
        let mut t = Table::new(
            self.text("summary.outcomes_caption"),
            vec![
                self.column("summary.col_outcome", ColumnKind::Text),
                self.column("summary.col_cases", ColumnKind::Number),
            ],
        );
        t.row_headers = true;
        for o in Outcome::ALL {
            t.row(vec![
                Cell::Text(self.text(&format!("outcome.{}", o.as_str()))),
                Self::int(self.r.by_outcome[o.as_str()]),
            ]);
        }
        t.total = Some(vec![
            Cell::Text(self.text("common.total")),
            Self::int(self.r.by_outcome.values().sum()),
        ]);
        t
    }

    /// Days in each stage: the median and the 90th percentile as bars, with the table.
    fn time_in_stage(&self) -> Chart {
        let stages = &self.r.flow.time_in_stage;
        let series = |key: &str, pick: fn(&super::StageTime) -> Option<f64>| Series {
            name: self.text(key),
            values: stages.iter().map(pick).collect(),
        };
        Chart {
            kind: ChartKind::Bars,
            title: self.text("summary.time_caption"),
            unit: self.text("summary.days"),
            categories: stages.iter().map(|s| s.name.clone()).collect(),
            series: vec![
                series("summary.col_median", |s| s.days.median_days),
                series("summary.col_p90", |s| s.days.p90_days),
            ],
            table: Some(self.time_in_stage_table()),
        }
    }

    fn time_in_stage_table(&self) -> Table {
        let mut t = Table::new(
            self.text("summary.time_caption"),
            vec![
                self.column("summary.col_stage", ColumnKind::Text),
                self.column("summary.col_median", ColumnKind::Number),
                self.column("summary.col_p90", ColumnKind::Number),
                self.column("summary.col_stays", ColumnKind::Number),
            ],
        );
        t.row_headers = true;
        for st in &self.r.flow.time_in_stage {
            t.row(vec![
                Cell::Text(st.name.clone()),
                days(st.days.median_days),
                days(st.days.p90_days),
                Self::int(st.days.samples),
            ]);
        }
        t
    }

    /// A period as people read it: a quarter "kv3 2016" or "Q3 2016" (the JSON keeps
    /// "2016-Q3"); months and years as they are.
    fn period_label(&self, period: &str) -> String {
        match period.split_once("-Q") {
            Some((year, q)) => self.fmt("summary.quarter_short", &[("q", q), ("year", year)]),
            None => period.to_string(),
        }
    }

    fn lead_time(&self) -> String {
        let lt = &self.r.flow.lead_time;
        let lang = self.lang;
        // One case has no spread: its days, in the singular.
        if lt.samples == 1 {
            return self.fmt(
                "summary.lead_time_one",
                &[("median", &days(lt.median_days).format(lang))],
            );
        }
        self.fmt(
            "summary.lead_time",
            &[
                ("median", &days(lt.median_days).format(lang)),
                ("p90", &days(lt.p90_days).format(lang)),
                ("n", &lang.integer(lt.samples as i64)),
            ],
        )
    }

    /// Throughput per period as lines, with its table and a total per column. A run of
    /// quiet periods at the end (a portfolio that ended, or a report made long after)
    /// is one row, so the table stays short.
    fn throughput(&self) -> Chart {
        let r = self.r;
        let title = self.fmt(
            match r.flow.period {
                Period::Month => "summary.throughput_month",
                Period::Quarter => "summary.throughput_quarter",
            },
            &[("period", &self.window())],
        );
        let periods = &r.flow.throughput;
        let quiet = |p: &Throughput| p.received + p.moved_on + p.closed + p.implemented == 0;
        let active = periods.iter().rposition(|p| !quiet(p)).map_or(0, |i| i + 1);
        let mut rows: Vec<(String, [usize; 4])> = periods[..active]
            .iter()
            .map(|p| {
                (
                    self.period_label(&p.period),
                    [p.received, p.moved_on, p.closed, p.implemented],
                )
            })
            .collect();
        match &periods[active..] {
            [] => {}
            [one] => rows.push((self.period_label(&one.period), [0; 4])),
            [first, .., last] => rows.push((
                format!(
                    "{} – {}",
                    self.period_label(&first.period),
                    self.period_label(&last.period)
                ),
                [0; 4],
            )),
        }
        let names = [
            "summary.col_received",
            "summary.col_moved_on",
            "summary.col_closed",
            "summary.col_implemented",
        ];
        let mut columns = vec![self.column("summary.col_period", ColumnKind::Text)];
        columns.extend(names.iter().map(|n| self.column(n, ColumnKind::Number)));
        let mut t = Table::new(title.clone(), columns);
        t.row_headers = true;
        let mut total = [0usize; 4];
        for (label, values) in &rows {
            let mut cells = vec![Cell::Text(label.clone())];
            cells.extend(values.iter().map(|v| Self::int(*v)));
            t.row(cells);
            for (sum, v) in total.iter_mut().zip(values) {
                *sum += v;
            }
        }
        let mut cells = vec![Cell::Text(self.text("common.total"))];
        cells.extend(total.iter().map(|v| Self::int(*v)));
        t.total = Some(cells);
        Chart {
            kind: ChartKind::Lines,
            title,
            unit: self.text("common.cases"),
            categories: rows.iter().map(|(label, _)| label.clone()).collect(),
            series: names
                .iter()
                .enumerate()
                .map(|(k, n)| Series {
                    name: self.text(n),
                    values: rows.iter().map(|(_, v)| Some(v[k] as f64)).collect(),
                })
                .collect(),
            table: Some(t),
        }
    }

    /// Per coach: open cases, sessions and hours in the window, hours of all time. Every
    /// coach with sessions at any time has a row, so that the all-time total is theirs.
    fn coaching(&self) -> Table {
        let (r, lang) = (self.r, self.lang);
        let mut t = Table::new(
            self.fmt("summary.coaching_caption", &[("period", &self.window())]),
            vec![
                self.column("summary.col_coach", ColumnKind::Text),
                self.column("summary.col_open_cases", ColumnKind::Number),
                self.column("summary.col_sessions_period", ColumnKind::Number),
                self.column("summary.col_hours_period", ColumnKind::Number),
                self.column("summary.col_hours_all", ColumnKind::Number),
            ],
        );
        t.row_headers = true;
        // (name, open cases, sessions in the window, minutes in the window, all time)
        let mut rows: Vec<(String, usize, usize, u64, u64)> = r
            .caseload
            .iter()
            .map(|l| {
                let all = r
                    .coaching
                    .by_coach
                    .iter()
                    .find(|c| c.coach == l.coach)
                    .map_or(0, |c| c.minutes);
                (l.name.clone(), l.open_cases, l.sessions, l.minutes, all)
            })
            .collect();
        for c in &r.coaching.by_coach {
            if c.minutes > 0 && !r.caseload.iter().any(|l| l.coach == c.coach) {
                let name = super::super::render::coach_name(self.config, &c.coach);
                rows.push((name.to_string(), 0, 0, 0, c.minutes));
            }
        }
        for (name, open, sessions, minutes, all) in &rows {
            t.row(vec![
                Cell::Text(name.clone()),
                Self::int(*open),
                Self::int(*sessions),
                Cell::hours(*minutes),
                Cell::hours(*all),
            ]);
        }
        let open: usize = rows.iter().map(|row| row.1).sum();
        let sessions: usize = rows.iter().map(|row| row.2).sum();
        let minutes: u64 = rows.iter().map(|row| row.3).sum();
        let total_cells = vec![
            Cell::Text(self.text("common.total")),
            Self::int(open),
            Self::int(sessions),
            Cell::hours(minutes),
            Cell::hours(r.coaching.minutes),
        ];
        let mut notes = Vec::new();
        let rounded = |m: &[u64], total: u64| hours_sum(m) != tenths(total);
        let window_minutes: Vec<u64> = rows.iter().map(|row| row.3).collect();
        let all_minutes: Vec<u64> = rows.iter().map(|row| row.4).collect();
        if rounded(&window_minutes, minutes) || rounded(&all_minutes, r.coaching.minutes) {
            notes.push(self.text("summary.rounding_note"));
        }
        let no_coach = r.by_status["open"].saturating_sub(open);
        if no_coach > 0 {
            notes.push(self.fmt(
                "summary.no_coach_note",
                &[("n", &lang.integer(no_coach as i64))],
            ));
        }
        t.total = Some(total_cells);
        if !notes.is_empty() {
            t.note = Some(notes.join(" "));
        }
        t
    }

    /// The name a group is shown by: a coach's or a program's name for its key, and
    /// "(none)" in the document's language.
    fn group_name(&self, by: GroupBy, key: &str) -> String {
        if key == NO_GROUP {
            return self.text("summary.no_group");
        }
        match by {
            GroupBy::Coach => super::super::render::coach_name(self.config, key).to_string(),
            GroupBy::Program => self
                .config
                .program(key)
                .map_or(key, |p| p.name.as_str())
                .to_string(),
            _ => key.to_string(),
        }
    }

    /// A table of groups (units, programs, repositories): cases, statuses, implemented,
    /// how many reached each stage after the first, coaching hours of all time. With
    /// `whole`, a totals row of the whole portfolio.
    fn figures_table<'f>(
        &self,
        first: String,
        groups: impl Iterator<Item = (String, &'f Figures)>,
        whole: Option<&Report>,
    ) -> Table {
        // A group's name is never cut: units, tags and programs often differ only at
        // their ends ("Innovationsprogram 2019", "… 2020").
        let mut columns = vec![Column::new(first.clone(), ColumnKind::Id)];
        for key in [
            "summary.col_cases",
            "summary.col_open",
            "summary.col_parked",
            "summary.col_closed",
            "summary.col_implemented",
        ] {
            columns.push(self.column(key, ColumnKind::Number));
        }
        columns.extend(
            self.config
                .stages
                .iter()
                .skip(1)
                .map(|st| Column::new(format!("→ {}", st.name), ColumnKind::Number)),
        );
        columns.push(self.column("summary.col_hours_all", ColumnKind::Number));
        let caption = self.fmt("summary.groups_caption", &[("what", &first.to_lowercase())]);
        let mut t = Table::new(caption, columns);
        t.row_headers = true;
        let mut minutes = Vec::new();
        let mut totals: Vec<usize> = Vec::new();
        for (name, f) in groups {
            let counts = counts(f.total, &f.by_status, &f.by_outcome, &f.stages);
            if totals.is_empty() {
                totals = vec![0; counts.len()];
            }
            for (sum, n) in totals.iter_mut().zip(&counts) {
                *sum += n;
            }
            let mut row = vec![Cell::Text(name)];
            row.extend(counts.into_iter().map(Self::int));
            row.push(Cell::hours(f.minutes));
            minutes.push(f.minutes);
            t.row(row);
        }
        if let Some(r) = whole {
            let counts = counts(r.total, &r.by_status, &r.by_outcome, &r.stages);
            let mut row = vec![Cell::Text(self.text("common.total"))];
            let sums_agree = totals.is_empty() || totals == counts;
            row.extend(counts.into_iter().map(Self::int));
            row.push(Cell::hours(r.coaching.minutes));
            t.total = Some(row);
            if !sums_agree {
                // Only a case in several groups (tags) makes the rows add up to more.
                t.note = Some(self.text("summary.tag_total_note"));
            } else if hours_sum(&minutes) != tenths(r.coaching.minutes) {
                t.note = Some(self.text("summary.rounding_note"));
            }
        }
        if let Some(width) = self.width
            && !crate::document::text::fits(&t, self.lang, width)
        {
            self.leave_out_stages(&mut t);
        }
        t
    }

    /// A table of groups without its columns per stage ("→ Prövning", …), for a
    /// terminal too narrow for them: the funnel per group is in Markdown, HTML, JSON
    /// and text written to a pipe or a file. The note under the table says so.
    fn leave_out_stages(&self, t: &mut Table) {
        // The group's name and five counts come first, the stages (all but the first)
        // next, the hours last.
        let stages = 6..6 + self.config.stages.len().saturating_sub(1);
        let keep = |cells: &mut Vec<Cell>| {
            let mut i = 0;
            cells.retain(|_| {
                i += 1;
                !stages.contains(&(i - 1))
            });
        };
        let mut i = 0;
        t.columns.retain(|_| {
            i += 1;
            !stages.contains(&(i - 1))
        });
        t.rows.iter_mut().for_each(keep);
        if let Some(total) = t.total.as_mut() {
            keep(total);
        }
        let said = self.text("summary.stages_left_out");
        t.note = Some(match t.note.take() {
            Some(note) => format!("{note} {said}"),
            None => said,
        });
    }

    /// An attention list as a table (its first [`SHOWN`] cases), or a line saying that
    /// it is empty.
    fn attention(&self, caption: &str, days_key: &str, cases: &[CaseRef]) -> Block {
        let what = self.text(caption);
        if cases.is_empty() {
            return Block::Paragraph(self.fmt("summary.empty", &[("what", &what)]));
        }
        let mut t = Table::new(
            format!("{what} ({})", self.lang.integer(cases.len() as i64)),
            vec![
                self.column("summary.col_id", ColumnKind::Id),
                self.column("summary.col_title", ColumnKind::Text),
                self.column("summary.col_stage", ColumnKind::Text),
                self.column("summary.col_coach", ColumnKind::Text),
                self.column("summary.col_unit", ColumnKind::Text),
                self.column(days_key, ColumnKind::Number),
            ],
        );
        for c in cases.iter().take(SHOWN) {
            t.row(vec![
                Cell::Text(c.id.clone()),
                Cell::Text(c.title.clone()),
                Cell::Text(self.config.stage_name(&c.stage).to_string()),
                c.coach
                    .as_deref()
                    .filter(|k| !k.is_empty())
                    .map_or(Cell::Missing, |k| {
                        Cell::Text(super::super::render::coach_name(self.config, k).to_string())
                    }),
                Cell::Text(c.unit.clone()),
                Cell::Int(c.days),
            ]);
        }
        if cases.len() > SHOWN {
            t.note = Some(self.fmt(
                "summary.shown_note",
                &[
                    ("shown", &self.lang.integer(SHOWN as i64)),
                    ("n", &self.lang.integer(cases.len() as i64)),
                ],
            ));
        }
        Block::Table(t)
    }

    /// The moves forced past a gate in the window, for a leader to audit overrides, or
    /// a line saying that there were none.
    fn forced(&self) -> Block {
        let moves = &self.r.attention.forced;
        let what = self.fmt("audit.forced_caption", &[("period", &self.window())]);
        if moves.is_empty() {
            return Block::Paragraph(self.fmt("summary.empty", &[("what", &what)]));
        }
        let mut t = Table::new(
            format!("{what} ({})", self.lang.integer(moves.len() as i64)),
            vec![
                self.column("audit.col_date", ColumnKind::Date),
                self.column("summary.col_id", ColumnKind::Id),
                self.column("summary.col_title", ColumnKind::Text),
                self.column("audit.col_stage", ColumnKind::Text),
                self.column("audit.col_by", ColumnKind::Text),
                self.column("audit.col_note", ColumnKind::Text),
            ],
        );
        for m in moves.iter().take(SHOWN) {
            t.row(vec![
                Cell::Date(m.at.date_naive()),
                Cell::Text(m.id.clone()),
                Cell::Text(m.title.clone()),
                Cell::Text(self.config.stage_name(&m.stage).to_string()),
                Cell::Text(super::super::render::coach_name(self.config, &m.by).to_string()),
                m.note.clone().map_or(Cell::Missing, Cell::Text),
            ]);
        }
        if moves.len() > SHOWN {
            t.note = Some(self.fmt(
                "summary.shown_note",
                &[
                    ("shown", &self.lang.integer(SHOWN as i64)),
                    ("n", &self.lang.integer(moves.len() as i64)),
                ],
            ));
        }
        Block::Table(t)
    }

    fn definitions(&self) -> Vec<Definition> {
        let days = self.config.stale_after_days.to_string();
        let window = self.window();
        let date = self.lang.long_date(self.r.as_of);
        let define = |term: &str, meaning: String| Definition {
            term: self.text(term),
            meaning,
        };
        vec![
            define(
                "summary.def_stale_term",
                self.fmt("summary.def_stale", &[("days", &days)]),
            ),
            define("summary.def_reached_term", self.text("summary.def_reached")),
            define(
                "summary.def_conversion_term",
                self.text("summary.def_conversion"),
            ),
            define("summary.def_time_term", self.text("summary.def_time")),
            define("summary.def_lead_term", self.text("summary.def_lead")),
            define(
                "summary.def_throughput_term",
                self.fmt("summary.def_throughput", &[("period", &window)]),
            ),
            define(
                "summary.def_hours_term",
                self.fmt("summary.def_hours", &[("date", &date), ("period", &window)]),
            ),
        ]
    }
}

/// Days with one decimal, or "–".
fn days(d: Option<f64>) -> Cell {
    d.map_or(Cell::Missing, |value| Cell::Decimal { value, decimals: 1 })
}

/// Tenths of an hour, as [`Cell::hours`] rounds them.
fn tenths(minutes: u64) -> u64 {
    (minutes + 3) / 6
}

/// The sum of hours rounded one by one, in tenths.
fn hours_sum(minutes: &[u64]) -> u64 {
    minutes.iter().map(|m| tenths(*m)).sum()
}

/// The counts of a group's row: cases, open, parked, closed, implemented, and how many
/// reached each stage after the first.
fn counts(
    total: usize,
    by_status: &std::collections::BTreeMap<&'static str, usize>,
    by_outcome: &std::collections::BTreeMap<&'static str, usize>,
    stages: &[super::StageFigures],
) -> Vec<usize> {
    let mut out = vec![
        total,
        by_status["open"],
        by_status["parked"],
        by_status["closed"],
        by_outcome["implemented"],
    ];
    out.extend(stages.iter().skip(1).map(|st| st.reached));
    out
}
