//! Renderings of the partner-network report: JSON and tidy CSV of the report value, and
//! a [`Document`] (headline figures, the size by kind per period as a stacked chart with
//! its table, members × stages) for the writers: terminal table, Markdown and HTML. The
//! member list (`network list`) and one member (`network show`) as documents and CSV.

use chrono::{Datelike, NaiveDate};

use crate::document::{
    Block, Cell, Chart, ChartKind, Colophon, Column, ColumnKind, Definition, Document, Item,
    KeyFigure, Lang, Options, Series, Table,
};
use crate::domain::Config;
use crate::domain::network::MemberKind;
use crate::output::Format;
use crate::report::escape;
use crate::report::network::{
    Growth, ListedMember, MemberView, NetworkReport, Period, StageCounts,
};

/// Renders `report` in `format`: the document ones in `lang`, made on `generated` (the
/// command's today) and laid out by `layout`.
pub fn render(
    r: &NetworkReport,
    format: Format,
    lang: Lang,
    generated: NaiveDate,
    layout: Options,
) -> String {
    match format {
        Format::Json => crate::output::json(r),
        Format::Csv => csv(r),
        _ => crate::document::render(&document(r, lang, generated), format, layout),
    }
}

/// A kind of organisation as published ("företag", "company").
pub fn kind_label(kind: MemberKind, lang: Lang) -> &'static str {
    lang.text(&format!("network.kind_{}", kind.as_str()))
}

/// A period of the growth table as people read it: "2019" for a whole year, otherwise
/// its days ("januari–mars 2020", "april–15 maj 2020" for one cut by the report's day).
fn period_label(g: &Growth, lang: Lang) -> String {
    let whole_year = g.from.month() == 1
        && g.from.day() == 1
        && g.to.month() == 12
        && g.to.day() == 31
        && g.from.year() == g.to.year();
    if whole_year {
        g.from.year().to_string()
    } else {
        lang.period(g.from, g.to)
    }
}

/// The short name of a period on a chart's axis: "Q1 2019", "2019".
fn period_short(g: &Growth, period: Period, lang: Lang) -> String {
    match period {
        Period::Quarter => lang.format(
            "network.quarter_short",
            &[
                ("q", &((g.from.month() - 1) / 3 + 1).to_string()),
                ("year", &g.from.year().to_string()),
            ],
        ),
        Period::Year => g.from.year().to_string(),
    }
}

/// The report as a document in `lang`.
pub fn document(r: &NetworkReport, lang: Lang, generated: NaiveDate) -> Document {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let int = |n: usize| lang.integer(n as i64);
    let day = lang.long_date(r.as_of);
    let mut doc = Document::new(lang, lang.format("network.title", &[("name", &r.name)])).subtitle(
        lang.format(
            if r.replayed {
                "network.as_of"
            } else {
                "network.on_day"
            },
            &[("date", &day)],
        ),
    );
    let figure = |label: &str, value: usize| KeyFigure {
        label: t(label),
        value: value.into(),
        note: None,
    };
    doc.push(Block::KeyFigures(vec![
        figure("fig_size", r.size),
        figure("fig_joined", r.joined),
        figure("fig_left", r.left),
        figure("fig_in_cases", r.participation.len()),
        figure("fig_cases", r.cases_with_partners.cases),
        figure("fig_idle", r.members_without_cases),
    ]));
    if r.skipped_files > 0 {
        doc.push(Block::Notes(vec![
            lang.format("network.skipped", &[("n", &int(r.skipped_files))]),
        ]));
    }

    doc.heading(t("kind_heading"));
    doc.push(kind_table(r, lang));

    doc.heading(t(match r.period {
        Period::Quarter => "growth_heading_quarter",
        Period::Year => "growth_heading_year",
    }));
    doc.push(growth_chart(r, lang));

    doc.heading(t("members_heading"));
    if r.participation.is_empty() {
        doc.paragraph(t("no_participation"));
    } else {
        doc.push(member_table(r, lang));
        doc.heading(t("kind_stage_heading"));
        doc.push(kind_stage_table(r, lang));
    }
    if !r.unknown_partners.is_empty() {
        let named: Vec<String> = r
            .unknown_partners
            .iter()
            .map(|(k, n)| format!("{k} ({})", int(*n)))
            .collect();
        doc.push(Block::Notes(vec![
            lang.format("network.unknown", &[("list", &named.join(", "))]),
        ]));
    }

    let def = |term: &str, meaning: &str| Definition {
        term: t(term),
        meaning: t(meaning),
    };
    doc.push(Block::Definitions(vec![
        def("def_member_term", "def_member"),
        def("def_in_cases_term", "def_in_cases"),
        def("def_stage_term", "def_stage"),
        def("def_size_term", "def_size"),
    ]));
    doc.push(Block::Colophon(Colophon {
        period: r.growth.first().map(|g| lang.period(g.from, r.as_of)),
        generated,
        version: env!("CARGO_PKG_VERSION").to_string(),
    }));
    doc
}

/// Members by kind, with the whole network as the total; the cases column's total is
/// not the sum of its rows when a case has partners of several kinds, and says so.
fn kind_table(r: &NetworkReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let number = |key: &str| Column::new(t(key), ColumnKind::Number);
    let mut table = Table::new(
        t("kind_caption"),
        vec![
            Column::new(t("col_kind"), ColumnKind::Text),
            number("col_members"),
            number("col_joined"),
            number("col_left"),
            number("col_in_cases"),
            number("col_cases"),
        ],
    );
    table.row_headers = true;
    for k in &r.by_kind {
        table.row(vec![
            kind_label(k.kind, lang).into(),
            k.members.into(),
            k.joined.into(),
            k.left.into(),
            k.in_cases.into(),
            k.cases.cases.into(),
        ]);
    }
    table.total = Some(vec![
        t("all").into(),
        r.size.into(),
        r.joined.into(),
        r.left.into(),
        r.participation.len().into(),
        r.cases_with_partners.cases.into(),
    ]);
    if r.by_kind.iter().map(|k| k.cases.cases).sum::<usize>() != r.cases_with_partners.cases {
        table.note = Some(t("kind_cases_note"));
    }
    table
}

/// The size at the end of each period by kind, stacked, with its table: joined, left,
/// size and the size of each kind.
fn growth_chart(r: &NetworkReport, lang: Lang) -> Chart {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let mut columns = vec![
        Column::new(t("col_period"), ColumnKind::Text),
        Column::new(t("col_joined"), ColumnKind::Number),
        Column::new(t("col_left"), ColumnKind::Number),
        Column::new(t("col_size"), ColumnKind::Number),
    ];
    columns.extend(
        MemberKind::ALL
            .iter()
            .map(|k| Column::new(kind_label(*k, lang), ColumnKind::Number)),
    );
    let mut table = Table::new(t("growth_caption"), columns);
    table.row_headers = true;
    for g in &r.growth {
        let mut row: Vec<Cell> = vec![
            period_label(g, lang).into(),
            g.joined.into(),
            g.left.into(),
            g.size.into(),
        ];
        row.extend(
            MemberKind::ALL
                .iter()
                .map(|k| Cell::from(g.size_by_kind[k.as_str()])),
        );
        table.row(row);
    }
    Chart {
        kind: ChartKind::Stacked,
        title: t("chart_title"),
        unit: t("chart_unit"),
        categories: r
            .growth
            .iter()
            .map(|g| period_short(g, r.period, lang))
            .collect(),
        series: MemberKind::ALL
            .iter()
            .map(|k| Series {
                name: kind_label(*k, lang).to_string(),
                values: r
                    .growth
                    .iter()
                    .map(|g| Some(g.size_by_kind[k.as_str()] as f64))
                    .collect(),
            })
            .collect(),
        table: Some(table),
    }
}

/// The stage columns of a member or kind row: cases, open, then one per stage.
fn counts(c: &StageCounts) -> Vec<Cell> {
    let mut cells: Vec<Cell> = vec![c.cases.into(), c.open.into()];
    cells.extend(c.by_stage.iter().map(|n| Cell::from(*n)));
    cells
}

fn stage_columns(r: &NetworkReport, lang: Lang) -> Vec<Column> {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let mut columns = vec![
        Column::new(t("col_cases"), ColumnKind::Number),
        Column::new(t("col_open"), ColumnKind::Number),
    ];
    columns.extend(
        r.stages
            .iter()
            .map(|s| Column::new(s.name.clone(), ColumnKind::Number)),
    );
    columns
}

/// Member × stage, with the cases that name any member as the total: a case with
/// several partners counts once for each, which the note says when it happens.
fn member_table(r: &NetworkReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let mut columns = vec![
        Column::new(t("col_member"), ColumnKind::Id),
        Column::new(t("col_organisation"), ColumnKind::Text),
        Column::new(t("col_kind"), ColumnKind::Text),
    ];
    columns.extend(stage_columns(r, lang));
    let mut table = Table::new(t("members_caption"), columns);
    table.row_headers = true;
    for m in &r.participation {
        let organisation = if m.member {
            m.organisation.clone()
        } else {
            lang.format("network.has_left", &[("organisation", &m.organisation)])
        };
        let mut row: Vec<Cell> = vec![
            m.key.clone().into(),
            organisation.into(),
            kind_label(m.kind, lang).into(),
        ];
        row.extend(counts(&m.counts));
        table.row(row);
    }
    let mut total: Vec<Cell> = vec![
        t("with_partners").into(),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
    ];
    total.extend(counts(&r.cases_with_partners));
    table.total = Some(total);
    let sum: usize = r.participation.iter().map(|m| m.counts.cases).sum();
    if sum != r.cases_with_partners.cases {
        table.note = Some(t("member_total_note"));
    }
    table
}

/// Kind × stage: the cases that name a member of each kind.
fn kind_stage_table(r: &NetworkReport, lang: Lang) -> Table {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let mut columns = vec![Column::new(t("col_kind"), ColumnKind::Text)];
    columns.extend(stage_columns(r, lang));
    let mut table = Table::new(t("kind_stage_caption"), columns);
    table.row_headers = true;
    for k in &r.by_kind {
        let mut row: Vec<Cell> = vec![kind_label(k.kind, lang).into()];
        row.extend(counts(&k.cases));
        table.row(row);
    }
    table
}

/// The member list as tidy CSV: one row per member, its contact person in columns.
pub fn list_csv(rows: &[ListedMember]) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let cell = crate::report::escape::csv_cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "key",
        "organisation",
        "kind",
        "joined",
        "left",
        "cases",
        "contact",
        "email",
        "phone",
        "consent",
    ];
    w.write_record(header).expect("in memory");
    for r in rows {
        let m = r.member;
        let c = m.contact.clone().unwrap_or_default();
        w.write_record([
            cell(&m.key),
            cell(&m.organisation),
            m.kind.to_string(),
            m.joined.to_string(),
            day(m.left),
            r.cases.to_string(),
            cell(&c.name),
            cell(c.email.as_deref().unwrap_or("")),
            cell(c.phone.as_deref().unwrap_or("")),
            if m.contact.is_some() {
                c.consent.to_string()
            } else {
                String::new()
            },
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
}

/// The member list as a document: one row per member, by key.
pub fn list_document(rows: &[ListedMember], lang: Lang) -> Document {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let mut doc = Document::new(lang, t("list_title"));
    let mut table = Table::new(
        t("list_caption"),
        vec![
            Column::new(t("col_key"), ColumnKind::Id),
            Column::new(t("col_organisation"), ColumnKind::Text),
            Column::new(t("col_kind"), ColumnKind::Text),
            Column::new(t("col_joined"), ColumnKind::Date),
            Column::new(t("col_left"), ColumnKind::Date),
            Column::new(t("col_contact"), ColumnKind::Text),
            Column::new(t("col_cases"), ColumnKind::Number),
        ],
    );
    for r in rows {
        let m = r.member;
        table.row(vec![
            m.key.clone().into(),
            m.organisation.clone().into(),
            kind_label(m.kind, lang).into(),
            m.joined.into(),
            Cell::from(m.left),
            Cell::from(m.contact.as_ref().map(|c| c.name.clone())),
            r.cases.into(),
        ]);
    }
    doc.push(table);
    doc.paragraph(lang.format(
        "network.list_count",
        &[("n", &lang.integer(rows.len() as i64))],
    ));
    doc
}

/// One member as a document: its details, then the cases that name it.
pub fn member_document(shown: &MemberView, config: &Config, lang: Lang) -> Document {
    let t = |key: &str| lang.text(&format!("network.{key}")).to_string();
    let member = shown.member;
    let mut doc = Document::new(lang, member.organisation.clone()).subtitle(member.key.clone());
    let field = |label: &str, value: String| Item {
        title: format!("{}: {value}", t(label)),
        detail: None,
    };
    let mut fields = vec![
        field("show_kind", kind_label(member.kind, lang).to_string()),
        field("show_joined", lang.short_date(member.joined)),
    ];
    if let Some(left) = member.left {
        fields.push(field("show_left", lang.short_date(left)));
    }
    if let Some(c) = &member.contact {
        let consent = if c.consent {
            "network.may_be_named"
        } else {
            "network.not_to_be_named"
        };
        fields.push(field(
            "show_contact",
            lang.format(consent, &[("name", &c.name)]),
        ));
        if let Some(email) = &c.email {
            fields.push(field("show_email", email.clone()));
        }
        if let Some(phone) = &c.phone {
            fields.push(field("show_phone", phone.clone()));
        }
    }
    doc.push(Block::Items(fields));
    if shown.cases.is_empty() {
        doc.paragraph(t("no_partner_cases"));
        return doc;
    }
    doc.heading(lang.format(
        "network.partner_in",
        &[("n", &lang.integer(shown.cases.len() as i64))],
    ));
    let mut table = Table::new(
        t("partner_caption"),
        vec![
            Column::new(t("col_id"), ColumnKind::Id),
            Column::new(t("col_title"), ColumnKind::Text),
            Column::new(t("col_stage"), ColumnKind::Text),
            Column::new(t("col_status"), ColumnKind::Text),
            Column::new(t("col_coach"), ColumnKind::Text),
        ],
    );
    for c in &shown.cases {
        table.row(vec![
            c.id.into(),
            c.title.into(),
            config.stage_name(c.stage).into(),
            crate::report::program::status_label(c.status, c.outcome, lang).into(),
            Cell::from(
                c.coach
                    .as_deref()
                    .map(|k| crate::report::render::coach_name(config, k)),
            ),
        ]);
    }
    doc.push(table);
    doc
}

/// A member's cases as tidy CSV, one row per case.
pub fn member_csv(shown: &MemberView) -> String {
    let cell = crate::report::escape::csv_cell;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "member", "id", "title", "stage", "status", "outcome", "coach",
    ])
    .expect("in memory");
    for c in &shown.cases {
        w.write_record([
            cell(&shown.member.key),
            cell(c.id),
            cell(c.title),
            cell(c.stage),
            c.status.as_str().to_string(),
            c.outcome
                .map(|o| o.as_str().to_string())
                .unwrap_or_default(),
            cell(c.coach.as_deref().unwrap_or("")),
        ])
        .expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
}

fn csv(r: &NetworkReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |section: &str, group: &str, key: &str, metric: &str, value: String| {
        w.write_record([
            section,
            &escape::csv_cell(group),
            &escape::csv_cell(key),
            metric,
            &escape::csv_cell(&value),
        ])
        .expect("writing to memory cannot fail");
    };
    row("section", "group", "key", "metric", "value".into());
    row("network", "", "", "name", r.name.clone());
    row("network", "", "", "as_of", r.as_of.to_string());
    row("network", "", "", "size", r.size.to_string());
    row("network", "", "", "joined", r.joined.to_string());
    row("network", "", "", "left", r.left.to_string());
    row(
        "network",
        "",
        "",
        "members_without_cases",
        r.members_without_cases.to_string(),
    );
    let stage_rows = |row: &mut dyn FnMut(&str, &str, &str, &str, String),
                      section: &str,
                      group: &str,
                      c: &StageCounts| {
        row(section, group, "", "cases", c.cases.to_string());
        row(section, group, "", "open", c.open.to_string());
        for (stage, n) in r.stages.iter().zip(&c.by_stage) {
            row(section, group, &stage.key, "cases_in_stage", n.to_string());
        }
    };
    for k in &r.by_kind {
        let kind = k.kind.as_str();
        row("kind", kind, "", "members", k.members.to_string());
        row("kind", kind, "", "joined", k.joined.to_string());
        row("kind", kind, "", "left", k.left.to_string());
        row("kind", kind, "", "in_cases", k.in_cases.to_string());
        stage_rows(&mut row, "kind", kind, &k.cases);
    }
    for g in &r.growth {
        row("growth", &g.period, "", "joined", g.joined.to_string());
        row("growth", &g.period, "", "left", g.left.to_string());
        row("growth", &g.period, "", "size", g.size.to_string());
        for (kind, n) in &g.size_by_kind {
            row("growth", &g.period, kind, "size_by_kind", n.to_string());
        }
    }
    for m in &r.participation {
        row("member", &m.key, "", "organisation", m.organisation.clone());
        row("member", &m.key, "", "kind", m.kind.to_string());
        stage_rows(&mut row, "member", &m.key, &m.counts);
    }
    stage_rows(&mut row, "cases_with_partners", "", &r.cases_with_partners);
    for (key, n) in &r.unknown_partners {
        row("unknown_partner", key, "", "cases", n.to_string());
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("CSV of UTF-8 text is UTF-8")
}
