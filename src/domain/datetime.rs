//! Serde adapters between TOML's own date-time values and chrono.
//!
//! `toml` hands an unquoted `2019-03-05` or `2019-03-05T09:15:00+01:00` to serde as its
//! own `Datetime`, which chrono cannot read by itself; these adapters go through it and
//! say clearly which kind of date was expected.
//!
//! A date written as a quoted string (`date = "2019-03-05"`) is read as the date it
//! spells: editors check files against the JSON Schemas, which see every TOML date as a
//! string and so cannot tell the two apart, and a file the schemas accept must be one
//! sluss reads. sluss itself always writes dates unquoted.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use serde::{Deserialize, Deserializer, de::Error as _};
use toml::value::{Datetime, Offset};

fn naive_date(d: &toml::value::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
}

/// A TOML offset date-time (`2019-03-02T09:15:00+01:00`) as a chrono value.
pub fn to_offset_datetime(dt: &Datetime) -> Option<DateTime<FixedOffset>> {
    let date = naive_date(dt.date.as_ref()?)?;
    let t = dt.time?;
    let time = NaiveTime::from_hms_nano_opt(
        t.hour.into(),
        t.minute.into(),
        t.second.unwrap_or(0).into(),
        t.nanosecond.unwrap_or(0),
    )?;
    let offset = match dt.offset? {
        Offset::Z => FixedOffset::east_opt(0)?,
        Offset::Custom { minutes } => FixedOffset::east_opt(i32::from(minutes) * 60)?,
    };
    offset.from_local_datetime(&date.and_time(time)).single()
}

/// A TOML local date (`2019-03-05`) as a chrono date.
pub fn to_local_date(dt: &Datetime) -> Option<NaiveDate> {
    if dt.time.is_some() || dt.offset.is_some() {
        return None;
    }
    naive_date(dt.date.as_ref()?)
}

/// A chrono date-time as the TOML value sluss writes (seconds precision).
pub fn offset_datetime_to_toml(dt: &DateTime<FixedOffset>) -> Datetime {
    dt.format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
        .parse()
        .expect("a formatted RFC 3339 date-time is valid TOML")
}

/// A chrono date as a TOML local date.
pub fn local_date_to_toml(d: NaiveDate) -> Datetime {
    d.format("%Y-%m-%d")
        .to_string()
        .parse()
        .expect("a formatted date is valid TOML")
}

/// A TOML date-time value, or a string that spells one (see the module's doc).
fn toml_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Datetime, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
        type Value = Datetime;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a TOML date")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Datetime, E> {
            parse_quoted(s).ok_or_else(|| E::custom(format!("'{s}' is not a date")))
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Datetime, A::Error> {
            Datetime::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(Visitor)
}

/// The date a quoted string spells, as TOML would read it unquoted; only in the RFC 3339
/// form that the schemas' `date` and `date-time` formats accept (a `T` between date and
/// time, seconds given), so that a quoted date the editor flags is one sluss refuses too.
pub fn parse_quoted(s: &str) -> Option<Datetime> {
    let d: Datetime = s.parse().ok()?;
    // "2019-03-05 09:15:00+01:00": TOML allows the space, RFC 3339's grammar does not.
    if s.contains(' ') {
        return None;
    }
    // "09:15" without seconds: TOML 1.1 allows it, RFC 3339 does not.
    if d.time.is_some()
        && s.split(['T', 't'])
            .nth(1)
            .is_some_and(|t| t.len() >= 5 && t.as_bytes().get(5) != Some(&b':'))
    {
        return None;
    }
    Some(d)
}

/// A value of a TOML document as a date: a TOML date-time, or a string that spells one
/// (see the module's doc). Says whether it was quoted.
pub fn item_datetime(item: &toml_edit::Item) -> Option<(Datetime, bool)> {
    match item.as_value()? {
        toml_edit::Value::Datetime(d) => Some((*d.value(), false)),
        toml_edit::Value::String(s) => parse_quoted(s.value()).map(|d| (d, true)),
        _ => None,
    }
}

pub mod offset_datetime {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let dt = toml_datetime(d)?;
        to_offset_datetime(&dt).ok_or_else(|| {
            D::Error::custom(format!(
                "expected a date-time with offset such as 2019-03-02T09:15:00+01:00, found {dt}"
            ))
        })
    }
}

pub mod local_date {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let dt = toml_datetime(d)?;
        to_local_date(&dt).ok_or_else(|| {
            D::Error::custom(format!("expected a date such as 2019-03-05, found {dt}"))
        })
    }
}

pub mod option_local_date {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        super::local_date::deserialize(d).map(Some)
    }
}

/// A day as people say it on the command line, counted from `today`: an ISO date
/// (`2020-06-30`), `today`/`idag`, `yesterday`/`igår`, `tomorrow`/`imorgon`, a number of
/// days or weeks back or ahead (`-3d`, `+2w`, `3d` is back), or a weekday in English or
/// Swedish (`monday`, `måndag`, `mån`), which means the last one: today when today is
/// that day. Case and Swedish letters do not matter (`igar`, `Igår`).
pub fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::{Datelike, Duration};
    let word = super::words::fold(text);
    if let Ok(day) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(day);
    }
    let named = match word.as_str() {
        "today" | "idag" | "i dag" | "now" | "nu" => Some(today),
        "yesterday" | "igar" | "i gar" => today.pred_opt(),
        "tomorrow" | "imorgon" | "i morgon" => today.succ_opt(),
        _ => None,
    };
    if let Some(day) = named {
        return Ok(day);
    }
    if let Some(day) = relative(&word, today, -1) {
        return day.ok_or_else(|| format!("'{text}' is out of range"));
    }
    if let Some(weekday) = weekday(&word) {
        let back =
            (7 + today.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        return Ok(today - Duration::days(i64::from(back)));
    }
    Err(format!(
        "'{text}' is not a date; write it as YYYY-MM-DD (2020-06-30), today, yesterday, \
         -3d or a weekday (idag, igår and måndag work too)"
    ))
}

/// A day by which something is due, as people say it, counted from `today`: as
/// [`parse_day`] takes days, but looking ahead: a weekday (`fredag`, `friday`) is the
/// next one (today when today is that day), and a bare number of days or weeks (`3d`,
/// `2w`) counts forward (`-3d` is still back).
pub fn parse_due_day(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    use chrono::{Datelike, Duration};
    let word = super::words::fold(text);
    // Folding takes a leading `-` away: the sign is read from the text.
    let sign = if text.trim_start().starts_with('-') {
        -1
    } else {
        1
    };
    if let Some(day) = relative(&word, today, sign) {
        return day.ok_or_else(|| format!("'{text}' is out of range"));
    }
    if let Some(weekday) = weekday(&word) {
        let ahead =
            (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        return Ok(today + Duration::days(i64::from(ahead)));
    }
    parse_day(text, today).map_err(|_| {
        format!(
            "'{text}' is not a day; write it as YYYY-MM-DD (2026-12-10), today, tomorrow, \
             +3d, 2w or a weekday, the next one (imorgon and fredag work too)"
        )
    })
}

/// The weekday a folded word names, in English or Swedish, in full or short.
fn weekday(word: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday;
    let weekdays: [(Weekday, &[&str]); 7] = [
        (Weekday::Mon, &["monday", "mon", "mandag", "man"]),
        (Weekday::Tue, &["tuesday", "tue", "tisdag", "tis"]),
        (Weekday::Wed, &["wednesday", "wed", "onsdag", "ons"]),
        (Weekday::Thu, &["thursday", "thu", "torsdag", "tor"]),
        (Weekday::Fri, &["friday", "fri", "fredag", "fre"]),
        (Weekday::Sat, &["saturday", "sat", "lordag", "lor"]),
        (Weekday::Sun, &["sunday", "sun", "sondag", "son"]),
    ];
    weekdays
        .iter()
        .find(|(_, names)| names.contains(&word))
        .map(|(weekday, _)| *weekday)
}

/// `-3d`, `+2w`, `3d` (back when `bare` is -1, ahead when 1): `None` when `word` is
/// not of that form.
fn relative(word: &str, today: NaiveDate, bare: i64) -> Option<Option<NaiveDate>> {
    let (sign, rest) = match word.as_bytes().first()? {
        b'-' => (-1, &word[1..]),
        b'+' => (1, &word[1..]),
        _ => (bare, word),
    };
    let rest = rest.trim();
    let (number, unit) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit())?);
    let number: i64 = number.parse().ok()?;
    let days = match unit.trim() {
        "d" | "day" | "days" | "dag" | "dagar" => number,
        "w" | "week" | "weeks" | "v" | "vecka" | "veckor" => number.checked_mul(7)?,
        _ => return None,
    };
    Some(chrono::Duration::try_days(sign * days).and_then(|d| today.checked_add_signed(d)))
}

/// Parses a date given on the command line: `2020-06-30`. Commands take days as
/// people say them through `context::parse_cli_date`, which knows today.
pub fn parse_iso_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; write it as YYYY-MM-DD, e.g. 2020-06-30"))
}

#[cfg(test)]
mod day_tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        // 2020-06-30 is a Tuesday.
        parse_day(s, NaiveDate::from_ymd_opt(2020, 6, 30).unwrap()).unwrap()
    }

    #[test]
    fn days_are_taken_as_people_say_them() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(day("2020-03-05"), d(2020, 3, 5));
        assert_eq!(day("idag"), d(2020, 6, 30));
        assert_eq!(day("Today"), d(2020, 6, 30));
        assert_eq!(day("igår"), d(2020, 6, 29));
        assert_eq!(day("igar"), d(2020, 6, 29));
        assert_eq!(day("yesterday"), d(2020, 6, 29));
        assert_eq!(day("-3d"), d(2020, 6, 27));
        assert_eq!(day("+1w"), d(2020, 7, 7));
        assert_eq!(day("måndag"), d(2020, 6, 29));
        assert_eq!(day("monday"), d(2020, 6, 29));
        assert_eq!(day("tisdag"), d(2020, 6, 30));
        assert_eq!(day("onsdag"), d(2020, 6, 24));
        assert!(parse_day("someday", d(2020, 6, 30)).is_err());
        assert!(parse_day("-99999999999d", d(2020, 6, 30)).is_err());
    }

    #[test]
    fn due_days_look_ahead() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let due = |s: &str| parse_due_day(s, d(2020, 6, 30)).unwrap();
        assert_eq!(due("2020-07-10"), d(2020, 7, 10));
        assert_eq!(due("imorgon"), d(2020, 7, 1));
        assert_eq!(due("idag"), d(2020, 6, 30));
        assert_eq!(due("3d"), d(2020, 7, 3));
        assert_eq!(due("+1w"), d(2020, 7, 7));
        assert_eq!(due("2 veckor"), d(2020, 7, 14));
        assert_eq!(due("-1d"), d(2020, 6, 29));
        // 2020-06-30 is a Tuesday: Friday is 3 July, Monday 6 July, Tuesday today.
        assert_eq!(due("fredag"), d(2020, 7, 3));
        assert_eq!(due("Friday"), d(2020, 7, 3));
        assert_eq!(due("måndag"), d(2020, 7, 6));
        assert_eq!(due("tisdag"), d(2020, 6, 30));
        let err = parse_due_day("someday", d(2020, 6, 30)).unwrap_err();
        assert!(err.contains("the next one"), "{err}");
    }
}
