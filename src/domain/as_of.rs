//! The one statement of "does this day count": `--as-of DAY` reports things as they
//! stood at the end of DAY, so whatever happened on DAY itself counts and whatever
//! happened on a later day does not. Every report (`summary`, `program show`, the
//! network and maturity reports) and the replay of a case's history ask this type.

use chrono::{DateTime, FixedOffset, NaiveDate};

/// Up to which day dated things count: the end of a day (`--as-of`), or every day (the
/// files as they are now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AsOf(Option<NaiveDate>);

impl AsOf {
    /// Everything counts: the files' recorded state, no replay.
    pub const ALL: AsOf = AsOf(None);

    /// Things as they stood at the end of `day`.
    pub fn end_of(day: NaiveDate) -> AsOf {
        AsOf(Some(day))
    }

    /// The end of `day` when `replay` is set (`--as-of` was given), otherwise everything.
    pub fn replaying(day: NaiveDate, replay: bool) -> AsOf {
        AsOf(replay.then_some(day))
    }

    /// The last day that counts, if there is one.
    pub fn day(self) -> Option<NaiveDate> {
        self.0
    }

    /// Whether something dated `day` counts: it happened on the as-of day or before.
    pub fn counts(self, day: NaiveDate) -> bool {
        self.0.is_none_or(|last| day <= last)
    }

    /// Whether something that happened at `at` counts, by its day where it happened (the
    /// day in the moment's own offset, as a history entry's day is read everywhere).
    pub fn counts_at(self, at: &DateTime<FixedOffset>) -> bool {
        self.counts(at.date_naive())
    }
}

impl From<Option<NaiveDate>> for AsOf {
    fn from(day: Option<NaiveDate>) -> AsOf {
        AsOf(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_itself_counts_and_the_next_does_not() {
        let day = NaiveDate::from_ymd_opt(2019, 6, 30).unwrap();
        let as_of = AsOf::end_of(day);
        assert!(as_of.counts(day));
        assert!(as_of.counts(day.pred_opt().unwrap()));
        assert!(!as_of.counts(day.succ_opt().unwrap()));
        assert!(AsOf::ALL.counts(NaiveDate::MAX));
        assert_eq!(AsOf::replaying(day, false), AsOf::ALL);
        let late = DateTime::parse_from_rfc3339("2019-06-30T23:59:59+02:00").unwrap();
        assert!(as_of.counts_at(&late));
        let next = DateTime::parse_from_rfc3339("2019-07-01T00:00:00+02:00").unwrap();
        assert!(!as_of.counts_at(&next));
    }
}
