//! Renderings of the partner-network report: a terminal table, JSON, tidy CSV, Markdown
//! and one self-contained HTML file with an SVG chart of the network's size over time.
//! Organisation names are escaped for the format they land in.

use std::fmt::Write as _;

use crate::domain::network::MemberKind;
use crate::output::{Format, show, table as text_table};
use crate::report::escape;
use crate::report::network::{NetworkReport, StageCounts};

/// Renders `report` in `format`.
pub fn render(r: &NetworkReport, format: Format) -> String {
    match format {
        Format::Table => text(r),
        Format::Json => crate::output::json(r),
        Format::Csv => csv(r),
        Format::Markdown => markdown(r),
        Format::Html => html(r),
    }
}

fn headline(r: &NetworkReport) -> String {
    let when = if r.replayed {
        format!(" as of {}", r.as_of)
    } else {
        format!(", {}", r.as_of)
    };
    format!(
        "Partner network of {}{when}: {} members ({} joined, {} left)",
        r.name, r.size, r.joined, r.left
    )
}

fn period_word(r: &NetworkReport) -> &'static str {
    match r.period {
        crate::report::network::Period::Quarter => "quarter",
        crate::report::network::Period::Year => "year",
    }
}

fn participation_line(r: &NetworkReport) -> String {
    format!(
        "{} member(s) take part in {} case(s); {} member(s) in no case",
        r.participation.len(),
        r.cases_with_partners.cases,
        r.members_without_cases
    )
}

/// Header and rows of the kinds table (no text from files, so nothing to escape).
fn kind_grid(r: &NetworkReport) -> (Vec<String>, Vec<Vec<String>>) {
    let header = ["kind", "members", "joined", "left", "in cases", "cases"]
        .map(String::from)
        .to_vec();
    let mut rows: Vec<Vec<String>> = r
        .by_kind
        .iter()
        .map(|k| {
            vec![
                k.kind.to_string(),
                k.members.to_string(),
                k.joined.to_string(),
                k.left.to_string(),
                k.in_cases.to_string(),
                k.cases.cases.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        "all".to_string(),
        r.size.to_string(),
        r.joined.to_string(),
        r.left.to_string(),
        r.participation.len().to_string(),
        r.cases_with_partners.cases.to_string(),
    ]);
    (header, rows)
}

/// Header and rows of the growth table.
fn growth_grid(r: &NetworkReport) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = ["period", "joined", "left", "size"]
        .map(String::from)
        .to_vec();
    header.extend(MemberKind::ALL.iter().map(|k| k.to_string()));
    let rows = r
        .growth
        .iter()
        .map(|g| {
            let mut row = vec![
                g.period.clone(),
                g.joined.to_string(),
                g.left.to_string(),
                g.size.to_string(),
            ];
            row.extend(
                MemberKind::ALL
                    .iter()
                    .map(|k| g.size_by_kind[k.as_str()].to_string()),
            );
            row
        })
        .collect();
    (header, rows)
}

/// Header and rows of the member × stage table, the last row the cases with partners.
/// `esc` escapes organisation names; `wide` adds the organisation and its kind (a
/// terminal has no room for them).
fn member_grid(
    r: &NetworkReport,
    esc: fn(&str) -> String,
    wide: bool,
) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["member".to_string()];
    if wide {
        header.extend(["organisation".to_string(), "kind".to_string()]);
    }
    header.extend(["cases".to_string(), "open".to_string()]);
    header.extend(r.stages.iter().map(|s| s.name.clone()));
    let counts = |c: &StageCounts| {
        let mut cells = vec![c.cases.to_string(), c.open.to_string()];
        cells.extend(c.by_stage.iter().map(|n| n.to_string()));
        cells
    };
    let mut rows: Vec<Vec<String>> = r
        .participation
        .iter()
        .map(|m| {
            let left = if m.member { "" } else { " (left)" };
            let mut row = if wide {
                vec![
                    esc(&m.key),
                    format!("{}{left}", esc(&m.organisation)),
                    m.kind.to_string(),
                ]
            } else {
                vec![format!("{}{left}", esc(&m.key))]
            };
            row.extend(counts(&m.counts));
            row
        })
        .collect();
    let mut total = vec!["cases with partners".to_string()];
    if wide {
        total.extend([String::new(), String::new()]);
    }
    total.extend(counts(&r.cases_with_partners));
    rows.push(total);
    (header, rows)
}

/// Header and rows of the kind × stage table.
fn kind_stage_grid(r: &NetworkReport) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = ["kind", "cases", "open"].map(String::from).to_vec();
    header.extend(r.stages.iter().map(|s| s.name.clone()));
    let rows = r
        .by_kind
        .iter()
        .map(|k| {
            let mut row = vec![
                k.kind.to_string(),
                k.cases.cases.to_string(),
                k.cases.open.to_string(),
            ];
            row.extend(k.cases.by_stage.iter().map(|n| n.to_string()));
            row
        })
        .collect();
    (header, rows)
}

fn unknown_line(r: &NetworkReport) -> Option<String> {
    if r.unknown_partners.is_empty() {
        return None;
    }
    let named: Vec<String> = r
        .unknown_partners
        .iter()
        .map(|(k, n)| format!("{k} ({n})"))
        .collect();
    Some(format!(
        "Cases name partners that are not in the network: {} (run `sluss check`)",
        named.join(", ")
    ))
}

fn text(r: &NetworkReport) -> String {
    let mut s = String::new();
    let grid = |(header, rows): (Vec<String>, Vec<Vec<String>>)| {
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = text_table(&header);
        for row in rows {
            t.add_row(row);
        }
        show(&t)
    };
    let _ = writeln!(s, "{}", headline(r));
    if r.skipped_files > 0 {
        let _ = writeln!(
            s,
            "({} unreadable member file(s) not counted; run `sluss check`)",
            r.skipped_files
        );
    }
    let _ = writeln!(s, "\nBy kind");
    let _ = writeln!(s, "{}", grid(kind_grid(r)));
    let _ = writeln!(
        s,
        "\nGrowth per {} (size at the end of each)",
        period_word(r)
    );
    let _ = writeln!(s, "{}", grid(growth_grid(r)));
    let _ = writeln!(s, "\nMembers in cases, by the stage each case is in");
    let _ = writeln!(s, "{}", participation_line(r));
    if !r.participation.is_empty() {
        let _ = writeln!(s, "{}", grid(member_grid(r, str::to_string, false)));
        let _ = writeln!(s, "\nCases by kind of partner");
        let _ = writeln!(s, "{}", grid(kind_stage_grid(r)));
    }
    if let Some(line) = unknown_line(r) {
        let _ = writeln!(s, "{line}");
    }
    s
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

fn markdown(r: &NetworkReport) -> String {
    let esc = escape::markdown;
    let grid = |(header, rows): (Vec<String>, Vec<Vec<String>>)| {
        let header: Vec<String> = header.iter().map(|h| esc(h)).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        super::markdown::table(&header, &rows)
    };
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", esc(&headline(r)));
    let _ = writeln!(s, "## By kind\n");
    s.push_str(&grid(kind_grid(r)));
    let _ = writeln!(s, "\n## Growth per {}\n", period_word(r));
    s.push_str(&grid(growth_grid(r)));
    let _ = writeln!(s, "\n## Members in cases\n");
    let _ = writeln!(s, "{}.\n", participation_line(r));
    if !r.participation.is_empty() {
        s.push_str(&grid(member_grid(r, esc, true)));
        let _ = writeln!(s, "\n### Cases by kind of partner\n");
        s.push_str(&grid(kind_stage_grid(r)));
    }
    if let Some(line) = unknown_line(r) {
        let _ = writeln!(s, "\n{}", esc(&line));
    }
    s
}

const KIND_COLOURS: [&str; 4] = ["#1f6feb", "#8250df", "#1a7f37", "#9a6700"];

fn html(r: &NetworkReport) -> String {
    let esc = escape::html;
    let table = |s: &mut String, (header, rows): (Vec<String>, Vec<Vec<String>>), numeric_from| {
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        super::html::table(s, &header, numeric_from, &rows);
    };
    let title = headline(r);
    let mut s = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        esc(&title),
        super::html::STYLE,
        esc(&title)
    );
    let _ = writeln!(
        s,
        "<p class=\"lead\"><strong>{}</strong> members; {}.</p>",
        r.size,
        esc(&participation_line(r))
    );
    let _ = writeln!(s, "<h2>Size over time</h2>");
    s.push_str(&size_chart(r));
    let (header, rows) = growth_grid(r);
    table(&mut s, (header, rows), 1);
    s.push_str("<h2>By kind</h2>\n");
    let (header, rows) = kind_grid(r);
    table(&mut s, (header, rows), 1);
    s.push_str("<h2>Members in cases, by the stage each case is in</h2>\n");
    if !r.participation.is_empty() {
        table(&mut s, member_grid(r, esc, true), 3);
        s.push_str("<h3>Cases by kind of partner</h3>\n");
        table(&mut s, kind_stage_grid(r), 1);
    }
    if let Some(line) = unknown_line(r) {
        let _ = writeln!(s, "<p>{}</p>", esc(&line));
    }
    s.push_str(
        "<p class=\"muted\">Made by sluss from the files in network/ and cases/.</p>\n</body>\n</html>\n",
    );
    s
}

/// Stacked bars: the members at the end of each period, by kind, with the total above.
fn size_chart(r: &NetworkReport) -> String {
    let (w, h, left, bottom, top) = (720.0, 260.0, 40.0, 40.0, 34.0);
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"Members of the network at the end of each {}, by kind\" viewBox=\"0 0 {w} {h}\" width=\"{w}\">\n<title>Network size</title>\n",
        period_word(r)
    );
    let periods = &r.growth;
    let max = periods.iter().map(|g| g.size).max().unwrap_or(0).max(1) as f64;
    let plot_w = w - left - 20.0;
    let plot_h = h - bottom - top;
    for (k, kind) in MemberKind::ALL.iter().enumerate() {
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"8\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"{:.1}\" y=\"17\">{kind}</text>",
            left + k as f64 * 110.0,
            KIND_COLOURS[k],
            left + 14.0 + k as f64 * 110.0
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#8c959f\"/>",
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    if periods.is_empty() {
        s.push_str("</svg>\n");
        return s;
    }
    let slot = plot_w / periods.len() as f64;
    let bar = (slot * 0.7).max(1.0);
    let every = periods.len().div_ceil(12).max(1);
    for (i, g) in periods.iter().enumerate() {
        let x = left + i as f64 * slot + (slot - bar) / 2.0;
        let mut y = top + plot_h;
        for (k, kind) in MemberKind::ALL.iter().enumerate() {
            let n = g.size_by_kind[kind.as_str()];
            if n == 0 {
                continue;
            }
            let bh = n as f64 / max * plot_h;
            y -= bh;
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {kind}: {n}</title></rect>",
                KIND_COLOURS[k],
                escape::html(&g.period)
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + bar / 2.0,
            y - 4.0,
            g.size
        );
        if i % every == 0 {
            let _ = writeln!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + bar / 2.0,
                top + plot_h + 18.0,
                escape::html(&g.period)
            );
        }
    }
    s.push_str("</svg>\n");
    s
}
