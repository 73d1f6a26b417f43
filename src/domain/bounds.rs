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
