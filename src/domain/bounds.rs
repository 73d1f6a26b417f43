//! The bounds on numbers a case holds, stated once: the commands refuse a value outside
//! them and `check` locates one that a person wrote by hand, so that no file can put
//! more into a report than a command would have let in.

/// The longest a coaching session may be: a day. A longer one is a typing mistake
/// (`600000` for `60`), and a report would add it up as weeks of coaching.
pub const MAX_SESSION_MINUTES: u32 = 24 * 60;

/// Why `minutes` is not a session's length, or `None` when it is one: a whole number
/// from 1 to [`MAX_SESSION_MINUTES`].
pub fn session_minutes_problem(minutes: i64) -> Option<String> {
    if minutes < 1 {
        Some(format!(
            "a session's minutes must be positive, found {minutes}"
        ))
    } else if minutes > i64::from(MAX_SESSION_MINUTES) {
        Some(format!(
            "a session lasts at most a day ({MAX_SESSION_MINUTES} minutes), found {minutes}"
        ))
    } else {
        None
    }
}

/// What to do about a session's minutes out of bounds.
pub const SESSION_MINUTES_HINT: &str =
    "write how long the session took, in whole minutes; log one session per day";

/// How far ahead a day to come (a follow-up, a step's due day) may lie: years. A
/// later one is a typing mistake (`9999-12-31`, `+99999d`) that no calendar can hold.
pub const MAX_YEARS_AHEAD: u32 = 10;

/// The latest day to come a case may name, counted from `today`.
pub fn latest_day_ahead(today: chrono::NaiveDate) -> chrono::NaiveDate {
    today
        .checked_add_months(chrono::Months::new(12 * MAX_YEARS_AHEAD))
        .unwrap_or(chrono::NaiveDate::MAX)
}

/// Why `day`, a day to come back to or to be done by, is out of bounds, or `None`:
/// it lies neither before `earliest` (the day the case was created, or the session
/// that agreed on a step, named by `since` in the message) nor more than
/// [`MAX_YEARS_AHEAD`] years after `today`.
pub fn day_ahead_problem(
    what: &str,
    day: chrono::NaiveDate,
    earliest: chrono::NaiveDate,
    since: &str,
    today: chrono::NaiveDate,
) -> Option<String> {
    if day < earliest {
        Some(format!("{what} {day} is before {since} ({earliest})"))
    } else if day > latest_day_ahead(today) {
        Some(format!(
            "{what} {day} is more than {MAX_YEARS_AHEAD} years ahead (after {})",
            latest_day_ahead(today)
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_lasts_a_minute_to_a_day() {
        assert!(session_minutes_problem(1).is_none());
        assert!(session_minutes_problem(1440).is_none());
        for bad in [0, -5, 1441, i64::from(u32::MAX)] {
            assert!(session_minutes_problem(bad).is_some(), "{bad}");
        }
    }
}
