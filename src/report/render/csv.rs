//! The report as tidy CSV: one row per figure (`section,group,key,metric,value`), plain
//! numbers without thousands separators, ready for a spreadsheet's pivot table.

use crate::report::escape::csv_cell;
use crate::report::portfolio::{CaseRef, Figures, Report};

/// A tidy CSV being written: `section,group,key,metric,value` rows.
pub(super) struct Rows(pub(super) csv::Writer<Vec<u8>>);

impl Rows {
    pub(super) fn row(
        &mut self,
        section: &str,
        group: &str,
        key: &str,
        metric: &str,
        value: impl ToString,
    ) {
        let value = value.to_string();
        self.0
            .write_record([
                section,
                &csv_cell(group),
                &csv_cell(key),
                metric,
                &csv_cell(&value),
            ])
            .expect("writing to memory cannot fail");
    }

    pub(super) fn opt(
        &mut self,
        section: &str,
        group: &str,
        key: &str,
        metric: &str,
        value: Option<f64>,
    ) {
        if let Some(v) = value {
            self.row(section, group, key, metric, v);
        }
    }

    fn figures(&mut self, section: &str, group: &str, f: &Figures) {
        self.row(section, group, "", "total", f.total);
        for (status, n) in &f.by_status {
            self.row(section, group, status, "cases_by_status", n);
        }
        for (outcome, n) in &f.by_outcome {
            self.row(section, group, outcome, "closed_by_outcome", n);
        }
        for st in &f.stages {
            self.row(section, group, &st.key, "reached", st.reached);
            self.row(section, group, &st.key, "open", st.open);
            self.opt(section, group, &st.key, "conversion_pct", st.conversion);
        }
        self.row(section, group, "", "sessions", f.sessions);
        self.row(section, group, "", "minutes", f.minutes);
        self.row(section, group, "", "stale", f.stale);
    }

    fn cases(&mut self, list: &str, cases: &[CaseRef]) {
        for c in cases {
            self.row("attention", list, &c.id, "days", c.days);
            self.row("attention", list, &c.id, "title", &c.title);
            self.row("attention", list, &c.id, "stage", &c.stage);
            self.row("attention", list, &c.id, "unit", &c.unit);
            if let Some(coach) = &c.coach {
                self.row("attention", list, &c.id, "coach", coach);
            }
        }
    }
}

pub fn render(r: &Report) -> String {
    let mut w = Rows(csv::Writer::from_writer(Vec::new()));
    w.0.write_record(["section", "group", "key", "metric", "value"])
        .expect("in memory");
    w.row("portfolio", "", "", "name", &r.name);
    w.row("portfolio", "", "", "as_of", r.as_of);
    w.row("flow", "", "", "since", r.flow.since);
    w.row("flow", "", "", "until", r.flow.until);
    w.row("portfolio", "", "", "total", r.total);
    w.row("portfolio", "", "", "stale", r.stale);
    for (status, n) in &r.by_status {
        w.row("portfolio", "", status, "cases_by_status", n);
    }
    for (outcome, n) in &r.by_outcome {
        w.row("portfolio", "", outcome, "closed_by_outcome", n);
    }
    for st in &r.stages {
        w.row("funnel", "", &st.key, "reached", st.reached);
        w.row("funnel", "", &st.key, "open", st.open);
        w.opt("funnel", "", &st.key, "conversion_pct", st.conversion);
    }
    for st in &r.flow.time_in_stage {
        w.row("time_in_stage", "", &st.key, "stays", st.days.samples);
        w.opt(
            "time_in_stage",
            "",
            &st.key,
            "median_days",
            st.days.median_days,
        );
        w.opt("time_in_stage", "", &st.key, "p90_days", st.days.p90_days);
    }
    let lt = &r.flow.lead_time;
    w.row("lead_time", "", "implemented", "cases", lt.samples);
    w.opt(
        "lead_time",
        "",
        "implemented",
        "median_days",
        lt.median_days,
    );
    w.opt("lead_time", "", "implemented", "p90_days", lt.p90_days);
    for p in &r.flow.throughput {
        w.row("throughput", "", &p.period, "received", p.received);
        w.row("throughput", "", &p.period, "moved_on", p.moved_on);
        w.row("throughput", "", &p.period, "closed", p.closed);
        w.row("throughput", "", &p.period, "implemented", p.implemented);
    }
    for c in &r.coaching.by_coach {
        w.row("coaching", &c.coach, "", "sessions", c.sessions);
        w.row("coaching", &c.coach, "", "minutes", c.minutes);
    }
    for load in &r.caseload {
        w.row("caseload", &load.coach, "", "open_cases", load.open_cases);
        for m in &load.by_month {
            w.row("caseload", &load.coach, &m.month, "sessions", m.sessions);
            w.row("caseload", &load.coach, &m.month, "minutes", m.minutes);
        }
    }
    if let Some(b) = &r.breakdown {
        for g in &b.groups {
            w.figures("breakdown", &g.group, &g.figures);
        }
    }
    for g in &r.repositories {
        w.figures("repository", &g.group, &g.figures);
    }
    for p in &r.programs {
        w.figures("program", &p.key, &p.figures);
    }
    w.cases("stale", &r.attention.stale);
    w.cases("no_coach", &r.attention.no_coach);
    w.cases("waiting_longest", &r.attention.waiting_longest);
    for (i, m) in r.attention.forced.iter().enumerate() {
        // One key per move: a case can be forced more than once.
        let key = format!("{}#{}", m.id, i + 1);
        w.row("attention", "forced", &key, "case", &m.id);
        w.row("attention", "forced", &key, "at", m.at.to_rfc3339());
        w.row("attention", "forced", &key, "title", &m.title);
        if let Some(from) = &m.from {
            w.row("attention", "forced", &key, "from", from);
        }
        w.row("attention", "forced", &key, "stage", &m.stage);
        w.row("attention", "forced", &key, "by", &m.by);
        if let Some(note) = &m.note {
            w.row("attention", "forced", &key, "note", note);
        }
    }
    String::from_utf8(w.0.into_inner().expect("in memory")).expect("CSV of UTF-8 text is UTF-8")
}
