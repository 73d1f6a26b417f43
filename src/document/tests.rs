//! The writers on one sample document that has every kind of block, in both languages.

use chrono::NaiveDate;

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A document with every kind of block, hostile text (a terminal escape, Markdown and
/// HTML markup), wide characters and long titles.
pub(crate) fn sample(lang: Lang) -> Document {
    let sv = lang == Lang::Sv;
    let pick = |s: &'static str, e: &'static str| if sv { s } else { e };
    let mut doc = Document::new(
        lang,
        pick("Portföljen i korthet", "The portfolio at a glance"),
    )
    .subtitle(pick(
        "Exempelkommun, april–juni 2020",
        "Example town, April–June 2020",
    ));
    doc.push(Block::KeyFigures(vec![
        KeyFigure {
            label: pick("Öppna ärenden", "Open cases").into(),
            value: Cell::Int(1234),
            note: Some(pick("av 1 300", "of 1,300").into()),
        },
        KeyFigure {
            label: pick("Andel införda", "Share implemented").into(),
            value: Cell::Percent(12.5),
            note: None,
        },
        KeyFigure {
            label: pick("Coachtimmar", "Coaching hours").into(),
            value: Cell::hours(435),
            note: Some(pick("under perioden", "in the period").into()),
        },
    ]));
    doc.heading(pick("Ärenden", "Cases"));
    doc.paragraph(pick(
        "Här är de ärenden som rörde sig under perioden, med den som coachar dem och dagen de öppnades. Titlar kortas i ett smalt fönster men aldrig ett ärendes id.",
        "These are the cases that moved in the period, with their coach and the day they opened. Titles are cut in a narrow window, but never a case's id.",
    ));
    let mut t = Table::new(
        pick("Ärenden som rörde sig", "Cases that moved"),
        vec![
            Column::new("ID", ColumnKind::Id),
            Column::new(pick("Titel", "Title"), ColumnKind::Text),
            Column::new(pick("Steg", "Stage"), ColumnKind::Text),
            Column::new("Status", ColumnKind::Text),
            Column::new("Coach", ColumnKind::Text),
            Column::new(pick("Öppnad", "Opened"), ColumnKind::Date),
            Column::new(pick("Timmar", "Hours"), ColumnKind::Number),
        ],
    );
    t.row(vec![
        "2020-001".into(),
        pick(
            "Digital signering av avtal mellan förvaltningar och kommunens bolag",
            "Digital signing of agreements between departments and the town's companies",
        )
        .into(),
        "Pilot".into(),
        pick("öppen", "open").into(),
        "Karin Lindqvist".into(),
        day(2020, 3, 14).into(),
        Cell::hours(600),
    ]);
    t.row(vec![
        "2020-002".into(),
        "Matsedel <b>i appen</b> | *alla* skolor \x1b[31m".into(),
        "Idé".into(),
        pick("parkerad", "parked").into(),
        Cell::Missing,
        day(2020, 4, 2).into(),
        Cell::hours(75),
    ]);
    t.row(vec![
        "2020-003".into(),
        "漢字のタイトル 👩‍💻 Café".into(),
        "Införande".into(),
        pick("öppen", "open").into(),
        "Ali Haddad".into(),
        day(2020, 5, 30).into(),
        Cell::Decimal {
            value: 1234.5,
            decimals: 1,
        },
    ]);
    t.total = Some(vec![
        pick("Totalt", "Total").into(),
        "".into(),
        "".into(),
        "".into(),
        "".into(),
        Cell::Missing,
        Cell::Decimal {
            value: 1246.3,
            decimals: 1,
        },
    ]);
    t.note = Some(
        pick(
            "Timmar under perioden; ett streck betyder att ingen coach är utsedd.",
            "Hours in the period; a dash means no coach is assigned.",
        )
        .into(),
    );
    doc.push(t);
    doc.heading(pick("Trattar och trender", "Funnel and trends"));
    let stages = ["Idé", "Prövning", "Pilot", "Införande"];
    doc.push(Chart {
        kind: ChartKind::Bars,
        title: pick("Ärenden per steg", "Cases per stage").into(),
        unit: pick("ärenden", "cases").into(),
        categories: stages.iter().map(|s| s.to_string()).collect(),
        series: vec![Series {
            name: pick("Ärenden", "Cases").into(),
            values: vec![Some(42.0), Some(17.0), Some(6.0), Some(2.0)],
        }],
        table: None,
    });
    let years: Vec<String> = (2016..=2020).map(|y| y.to_string()).collect();
    doc.push(Chart {
        kind: ChartKind::Lines,
        title: pick("Mognad per förvaltning", "Maturity per department").into(),
        unit: pick("nivå 1–5", "level 1–5").into(),
        categories: years.clone(),
        series: vec![
            Series {
                name: pick("Skola", "Schools").into(),
                values: vec![Some(1.5), Some(2.0), None, Some(2.5), Some(3.25)],
            },
            Series {
                name: pick("Vård", "Care").into(),
                values: vec![None, None, Some(2.0), None, None],
            },
        ],
        table: None,
    });
    doc.push(Chart {
        kind: ChartKind::Stacked,
        title: pick(
            "Nya ärenden per år och utfall",
            "New cases per year and outcome",
        )
        .into(),
        unit: pick("ärenden", "cases").into(),
        categories: years,
        series: vec![
            Series {
                name: pick("införd", "implemented").into(),
                values: vec![Some(3.0), Some(5.0), Some(4.0), Some(6.0), Some(2.0)],
            },
            Series {
                name: pick("stoppad", "stopped").into(),
                values: vec![Some(8.0), Some(6.0), Some(9.0), Some(7.0), None],
            },
        ],
        table: None,
    });
    doc.heading(pick("Idéer", "Ideas"));
    doc.push(Block::Items(vec![
        Item {
            title: pick("Matsedel i appen", "Menus in the app").into(),
            detail: Some(pick(
                "Införd i maj: alla skolor visar veckans mat, med allergener, i kommunens app.",
                "Implemented in May: every school shows the week's food, with allergens, in the town's app.",
            ).into()),
        },
        Item {
            title: "Cykelpool".into(),
            detail: None,
        },
    ]));
    doc.push(Block::Notes(vec![
        pick(
            "Ärenden utan samtycke till publicering är med i talen men inte i listorna.",
            "Cases without consent to publish are counted but not listed.",
        )
        .into(),
        "- 1. # not a list".into(),
    ]));
    doc.push(Block::Notes(vec![]));
    doc.push(Block::Definitions(vec![
        Definition {
            term: pick("Stillastående", "Stale").into(),
            meaning: pick(
                "Ett öppet ärende utan händelse de senaste 90 dagarna.",
                "An open case with no event in the last 90 days.",
            )
            .into(),
        },
        Definition {
            term: pick("Genomloppstid", "Lead time").into(),
            meaning: pick(
                "Dagar från öppnad till avslutad, som median.",
                "Days from opened to closed, as a median.",
            )
            .into(),
        },
    ]));
    doc.push(Block::Colophon(Colophon {
        period: Some(lang.period(day(2020, 4, 1), day(2020, 6, 30))),
        generated: day(2020, 7, 1),
        version: "0.9.0".into(),
    }));
    doc
}

fn text_at(lang: Lang, width: Option<usize>) -> String {
    text::write(&sample(lang), Options { width })
}

#[test]
fn text_snapshots() {
    for lang in [Lang::Sv, Lang::En] {
        insta::assert_snapshot!(format!("text_{lang}_none"), text_at(lang, None));
        insta::assert_snapshot!(format!("text_{lang}_80"), text_at(lang, Some(80)));
        insta::assert_snapshot!(format!("text_{lang}_40"), text_at(lang, Some(40)));
    }
}

#[test]
fn markdown_snapshots() {
    for lang in [Lang::Sv, Lang::En] {
        insta::assert_snapshot!(format!("markdown_{lang}"), markdown::write(&sample(lang)));
    }
}

#[test]
fn html_snapshots() {
    for lang in [Lang::Sv, Lang::En] {
        insta::assert_snapshot!(format!("html_{lang}"), html::write(&sample(lang)));
    }
}

#[test]
fn text_fits_the_width_and_keeps_ids_whole() {
    for lang in [Lang::Sv, Lang::En] {
        for width in [80, 60, 40] {
            let out = text_at(lang, Some(width));
            for id in ["2020-001", "2020-002", "2020-003"] {
                assert!(out.contains(id), "{lang} {width}: {id} whole\n{out}");
            }
            for line in out.lines() {
                assert_eq!(line, line.trim_end(), "trailing blanks");
                // The sample's table of seven columns needs 68 columns even with its text
                // cut to the least (its ids, dates and hours alone take 28): it is left
                // wide at 60 and 40, nothing dropped. Everything else fits.
                let in_table = line.starts_with(' ') || line.starts_with('─');
                if width == 80 || !in_table {
                    assert!(
                        text::display_width(line) <= width,
                        "{lang} {width}: {line:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn text_without_a_width_is_neither_cut_nor_wrapped() {
    let out = text_at(Lang::En, None);
    assert!(!out.contains('…'), "{out}");
    assert!(
        out.contains("Digital signing of agreements between departments and the town's companies")
    );
    assert!(out.contains(
        "These are the cases that moved in the period, with their coach and the day they opened. Titles"
    ));
}

#[test]
fn control_characters_are_shown_harmlessly() {
    for lang in [Lang::Sv, Lang::En] {
        let doc = sample(lang);
        for out in [
            text::write(&doc, Options::default()),
            text::write(&doc, Options { width: Some(40) }),
            markdown::write(&doc),
            html::write(&doc),
        ] {
            assert!(!out.contains('\x1b'), "{out}");
        }
        for out in [
            text::write(&doc, Options::default()),
            markdown::write(&doc),
            html::write(&doc),
        ] {
            assert!(out.contains("\\u{1b}"), "{out}");
        }
    }
}

#[test]
fn swedish_numbers_have_decimal_commas_in_every_writer() {
    let doc = sample(Lang::Sv);
    let text = text::write(&doc, Options::default());
    let md = markdown::write(&doc);
    let html = html::write(&doc);
    for out in [&text, &md, &html] {
        assert!(out.contains("1\u{a0}234,5"), "{out}");
        assert!(out.contains("12,5\u{a0}%"));
        assert!(out.contains("7,3"));
        assert!(!out.contains("1234.5") && !out.contains("12.5"));
    }
    // The chart's axis and its values in the drawing.
    assert!(html.contains(">3,3<") || html.contains(">3,25<") || html.contains(">1,5<"));
    let en = html::write(&sample(Lang::En));
    assert!(en.contains("1,234.5") && en.contains("12.5%"));
}

/// The tags of an HTML page nest properly (a small check of what the writer emits:
/// void and self-closed elements aside, every element is closed in order).
fn assert_well_nested(html: &str) {
    const VOID: [&str; 3] = ["meta", "br", "!DOCTYPE"];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("a tag ends");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with("style") {
            let close = rest.find("</style>").expect("style ends");
            rest = &rest[close + "</style>".len()..];
            continue;
        }
        let name = tag
            .trim_start_matches('/')
            .split([' ', '/'])
            .next()
            .unwrap_or_default();
        if VOID.contains(&name) || tag.ends_with('/') {
            continue;
        }
        if tag.starts_with('/') {
            assert_eq!(open.pop(), Some(name), "</{name}> closes what is open");
        } else {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
}

#[test]
fn html_is_one_accessible_self_contained_page() {
    for lang in [Lang::Sv, Lang::En] {
        let page = html::write(&sample(lang));
        assert_well_nested(&page);
        assert!(page.contains(&format!("<html lang=\"{}\">", lang.code())));
        assert!(page.contains("<meta name=\"viewport\""));
        for banned in ["<script", "src=", "href=", "url(", "@import", " id="] {
            assert!(!page.contains(banned), "{banned}");
        }
        let regions = page.matches("<div class=\"scroll\"").count();
        assert_eq!(
            regions,
            page.matches("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"")
                .count()
        );
        assert_eq!(regions, page.matches("<table>").count());
        assert_eq!(regions, 4, "the table and each chart's data");
        assert_eq!(page.matches("<figure>").count(), 3);
        assert_eq!(page.matches("<svg ").count(), 3);
        assert_eq!(page.matches("role=\"img\"").count(), 3);
        assert!(page.contains("<tfoot>\n<tr><th scope=\"row\""));
        assert!(page.contains("<th scope=\"col\""));
        assert!(page.contains("<dl>") && page.contains("<dt>"));
        assert!(page.contains("@media print") && page.contains("prefers-color-scheme:dark"));
        assert!(page.contains("</main>\n<footer>"));
    }
}

#[test]
fn a_chart_without_a_table_shows_its_data_in_every_writer() {
    let doc = sample(Lang::En);
    let text = text::write(&doc, Options::default());
    assert!(text.contains("Maturity per department"), "{text}");
    assert!(text.contains("3.3") || text.contains("3.25"), "{text}");
    let md = markdown::write(&doc);
    assert!(md.contains("| Prövning | 17 |"), "{md}");
}

#[test]
fn an_empty_table_says_none_instead_of_an_empty_grid() {
    let t = Table::new("Stale cases", vec![Column::new("ID", ColumnKind::Id)]);
    let doc = {
        let mut d = Document::new(Lang::En, "T");
        d.push(t.clone());
        d
    };
    assert_eq!(
        text::table(&t, Lang::En, Options { width: Some(80) }),
        "Stale cases\nNone.\n"
    );
    assert_eq!(markdown::table(&t, Lang::Sv), "**Stale cases**\n\nInga.\n");
    let page = html::write(&doc);
    assert!(page.contains("<p><strong>Stale cases</strong><br>None.</p>"));
    assert!(!page.contains("<table>"));
}
