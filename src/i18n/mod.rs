//! The sluice's language: the one catalogue of texts that published output (reports,
//! the digest, HTML) speaks, and the way numbers and dates are written in it.
//!
//! Command-line messages stay in English; what a sluice publishes speaks Swedish or
//! English, chosen by `language` in sluss.toml or `--lang`. The texts live in
//! `sv.toml` and `en.toml` beside this file, one key per text, grouped by report; a
//! test fails when a key is in one and not the other.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A language that published output can speak.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Swedish.
    #[default]
    Sv,
    /// English.
    En,
}

impl Lang {
    /// Every language sluss speaks.
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];
}

const SV: &str = include_str!("sv.toml");
const EN: &str = include_str!("en.toml");

type Catalogue = BTreeMap<String, String>;

/// Each language's texts, keyed `section.key`, read once.
fn catalogue(lang: Lang) -> &'static Catalogue {
    static SV_TEXTS: OnceLock<Catalogue> = OnceLock::new();
    static EN_TEXTS: OnceLock<Catalogue> = OnceLock::new();
    let (cell, source) = match lang {
        Lang::Sv => (&SV_TEXTS, SV),
        Lang::En => (&EN_TEXTS, EN),
    };
    cell.get_or_init(|| flatten(source))
}

/// `section.key = "text"` from a catalogue file. The files are part of the program, and
/// a test reads both, so a mistake in one is a failed test, never a user's problem.
fn flatten(source: &str) -> Catalogue {
    let table: toml::Table = toml::from_str(source).expect("the catalogue is valid TOML");
    let mut out = Catalogue::new();
    fn walk(prefix: &str, table: &toml::Table, out: &mut Catalogue) {
        for (key, value) in table {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match value {
                toml::Value::Table(t) => walk(&path, t, out),
                toml::Value::String(s) => {
                    out.insert(path, s.clone());
                }
                other => panic!("catalogue key {path} is not text: {other}"),
            }
        }
    }
    walk("", &table, &mut out);
    out
}

impl Lang {
    /// The code HTML's `lang` attribute and sluss.toml use.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The text of `key` (`section.key`) in this language. A key missing from the
    /// catalogue is a programming error, caught by the catalogue's tests; the key itself
    /// is shown rather than nothing.
    pub fn text(self, key: &str) -> &'static str {
        match catalogue(self).get(key) {
            Some(text) => text.as_str(),
            None => {
                debug_assert!(false, "no text for {key} in {}", self.code());
                // Leaked once per missing key at most; it never happens in a release
                // that passed its tests.
                Box::leak(key.to_string().into_boxed_str())
            }
        }
    }

    /// [`Lang::text`] with each `{name}` replaced by its value from `args`.
    pub fn format(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.text(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// A whole number with a thin space between thousands in Swedish ("1 234") and a
    /// comma in English ("1,234").
    pub fn integer(self, n: i64) -> String {
        let mut out = self.group(&n.unsigned_abs().to_string());
        if n < 0 {
            out.insert(0, '−');
        }
        out
    }

    /// A string of digits grouped by thousands.
    fn group(self, digits: &str) -> String {
        let sep = match self {
            Lang::Sv => '\u{a0}',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A number with `decimals` decimals: "7,3" in Swedish, "7.3" in English, with the
    /// whole part grouped as [`Lang::integer`] does.
    ///
    /// Half rounds away from zero (3.25 with one decimal is "3.3"), and a value that is
    /// not a number (NaN, infinity) is shown as "–".
    pub fn decimal(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".to_string();
        }
        let text = format!("{:.*}", decimals, round_half_away(value.abs(), decimals));
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = self.group(whole);
        if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.insert(0, '−');
        }
        if !fraction.is_empty() {
            out.push(match self {
                Lang::Sv => ',',
                Lang::En => '.',
            });
            out.push_str(fraction);
        }
        out
    }

    /// A share from 0 to 100 with one decimal: "12,5 %" in Swedish, "12.5%" in English.
    pub fn percent(self, p: f64) -> String {
        match self {
            Lang::Sv => format!("{}\u{a0}%", self.decimal(p, 1)),
            Lang::En => format!("{}%", self.decimal(p, 1)),
        }
    }

    /// The name of month `m` (1–12), in lower case in Swedish as Swedish writes it.
    pub fn month(self, m: u32) -> &'static str {
        const SV_MONTHS: [&str; 12] = [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN_MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = (m.clamp(1, 12) - 1) as usize;
        match self {
            Lang::Sv => SV_MONTHS[i],
            Lang::En => EN_MONTHS[i],
        }
    }

    /// A date in a table: ISO 8601 in both languages (sortable, and what Swedes write).
    pub fn short_date(self, d: NaiveDate) -> String {
        d.format("%Y-%m-%d").to_string()
    }

    /// A date in running text: "3 april 2020", "3 April 2020".
    pub fn long_date(self, d: NaiveDate) -> String {
        format!("{} {} {}", d.day(), self.month(d.month()), d.year())
    }

    /// A period in running text, as short as it can be said: "april–juni 2020",
    /// "3–17 april 2020", "december 2019–februari 2020", "3 april 2020" for one day.
    pub fn period(self, from: NaiveDate, to: NaiveDate) -> String {
        let whole_months = from.day() == 1 && is_last_day(to);
        if from == to {
            return self.long_date(from);
        }
        if whole_months {
            let (fm, tm) = (self.month(from.month()), self.month(to.month()));
            return if from.year() == to.year() && from.month() == to.month() {
                format!("{fm} {}", from.year())
            } else if from.year() == to.year() {
                format!("{fm}–{tm} {}", to.year())
            } else {
                format!("{fm} {}–{tm} {}", from.year(), to.year())
            };
        }
        if from.year() == to.year() && from.month() == to.month() {
            format!(
                "{}–{} {} {}",
                from.day(),
                to.day(),
                self.month(to.month()),
                to.year()
            )
        } else if from.year() == to.year() {
            format!(
                "{} {}–{} {} {}",
                from.day(),
                self.month(from.month()),
                to.day(),
                self.month(to.month()),
                to.year()
            )
        } else {
            format!("{}–{}", self.long_date(from), self.long_date(to))
        }
    }
}

/// `v` (not negative) rounded to `decimals` decimals, half away from zero, as people
/// round (the formatter alone rounds an exact half to even: 3.25 to 3.2). The decimal
/// text of `v` is rounded, so 1.005 is 1.01 as written, not the 1.00499… it is stored as.
fn round_half_away(v: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals.min(15) as i32);
    let scaled = v * scale;
    if scaled >= 4_503_599_627_370_496.0 {
        // 2^52: already a whole number, with nothing to round.
        return v;
    }
    // Nudged by an ulp-sized amount so that a stored 0.4999… of a written .5 rounds up.
    let rounded = (scaled * (1.0 + 4.0 * f64::EPSILON)).round() / scale;
    if rounded.is_finite() { rounded } else { v }
}

fn is_last_day(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|next| next.month() != d.month())
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_key() {
        let sv: Vec<_> = flatten(SV).into_keys().collect();
        let en: Vec<_> = flatten(EN).into_keys().collect();
        let only_sv: Vec<_> = sv.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !sv.contains(k)).collect();
        assert!(
            only_sv.is_empty() && only_en.is_empty(),
            "keys only in sv.toml: {only_sv:?}; only in en.toml: {only_en:?}"
        );
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let names = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        let en = flatten(EN);
        for (key, text) in flatten(SV) {
            assert_eq!(names(&text), names(&en[&key]), "placeholders of {key}");
        }
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(Lang::Sv.decimal(7.3, 1), "7,3");
        assert_eq!(Lang::Sv.decimal(1234.5, 1), "1\u{a0}234,5");
        assert_eq!(Lang::En.decimal(1234.5, 1), "1,234.5");
        assert_eq!(Lang::Sv.integer(1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(Lang::En.integer(-12), "−12");
        assert_eq!(Lang::Sv.percent(12.5), "12,5\u{a0}%");
        // Half rounds away from zero; large and odd values do not turn into 0.
        assert_eq!(Lang::En.decimal(3.25, 1), "3.3");
        assert_eq!(Lang::En.decimal(-3.25, 1), "−3.3");
        assert_eq!(Lang::En.decimal(0.125, 2), "0.13");
        assert_eq!(Lang::En.decimal(1e20, 0), "100,000,000,000,000,000,000");
        assert_eq!(Lang::Sv.decimal(f64::NAN, 1), "–");
        assert_eq!(Lang::En.decimal(-0.01, 1), "0.0");
        assert_eq!(Lang::En.percent(12.5), "12.5%");
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            Lang::Sv.period(d(2020, 4, 1), d(2020, 6, 30)),
            "april–juni 2020"
        );
        assert_eq!(
            Lang::En.period(d(2020, 4, 1), d(2020, 6, 30)),
            "April–June 2020"
        );
        assert_eq!(
            Lang::Sv.period(d(2020, 4, 3), d(2020, 4, 17)),
            "3–17 april 2020"
        );
        assert_eq!(
            Lang::Sv.period(d(2019, 12, 1), d(2020, 2, 29)),
            "december 2019–februari 2020"
        );
        assert_eq!(Lang::Sv.period(d(2020, 5, 1), d(2020, 5, 31)), "maj 2020");
        assert_eq!(Lang::Sv.long_date(d(2020, 4, 3)), "3 april 2020");
    }
}
