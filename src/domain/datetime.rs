//! Serde adapters between TOML's own date-time values and chrono.
//!
//! `toml` hands an unquoted `2019-03-05` or `2019-03-05T09:15:00+01:00` to serde as its
//! own `Datetime`, which chrono cannot read by itself; these adapters go through it and
//! say clearly which kind of date was expected.

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

pub mod offset_datetime {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let dt = Datetime::deserialize(d)?;
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
        let dt = Datetime::deserialize(d)?;
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

/// Parses a date given on the command line: `2020-06-30`.
pub fn parse_cli_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("'{s}' is not a date; write it as YYYY-MM-DD, e.g. 2020-06-30"))
}
