//! Small statistics used by reports: medians and percentiles by the nearest-rank rule,
//! rounded for stable output.

use serde::Serialize;

/// Durations in days: how many, their median and 90th percentile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Durations {
    pub samples: usize,
    pub median_days: Option<f64>,
    pub p90_days: Option<f64>,
}

impl Durations {
    pub fn of(mut days: Vec<f64>) -> Durations {
        days.sort_by(f64::total_cmp);
        Durations {
            samples: days.len(),
            median_days: percentile(&days, 50.0).map(round1),
            p90_days: percentile(&days, 90.0).map(round1),
        }
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `p`
/// percent of the values at or below it. No interpolation, so it is always a real value.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// Rounds to one decimal, so that JSON stays stable across platforms.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `part / whole` as a percentage with one decimal, or `None` when `whole` is zero.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round1(part as f64 * 100.0 / whole as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0];
        assert_eq!(percentile(&v, 50.0), Some(5.0));
        assert_eq!(percentile(&v, 90.0), Some(9.0));
        assert_eq!(percentile(&[4.0], 90.0), Some(4.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(percent(1, 0), None);
    }
}
