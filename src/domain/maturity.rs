//! Innovation maturity: a unit's periodic self-assessment, scored on the questions that
//! `sluss.toml` defines under `[maturity]`.
//!
//! An assessment is one file, `maturity/<date>-<unit-slug>.toml`: the day, the unit, a
//! `[scores]` table (`question_key = n`), and optionally how many people answered and a
//! free-text note. It holds no names: a unit assesses itself, not its people.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::config::check_key;
use super::datetime;

/// `[maturity]` in `sluss.toml`: the scale and the questions every assessment answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaturitySettings {
    /// The lowest and the highest score, `[1, 5]` unless said otherwise.
    #[serde(default = "default_scale")]
    pub scale: [i64; 2],
    #[serde(default)]
    pub questions: Vec<Question>,
}

fn default_scale() -> [i64; 2] {
    [1, 5]
}

/// One question of the self-assessment (`[[maturity.questions]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// What assessment files store, e.g. `ledning`.
    pub key: String,
    /// The statement people score, e.g. "Ledningen efterfrågar och stöttar nya idéer."
    pub text: String,
}

/// What is wrong with one score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScoreProblem {
    /// No question has this key.
    UnknownQuestion,
    /// The score lies outside the scale.
    OutsideScale,
}

impl MaturitySettings {
    pub fn min(&self) -> i64 {
        self.scale[0]
    }

    pub fn max(&self) -> i64 {
        self.scale[1]
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    pub fn question_keys(&self) -> Vec<String> {
        self.questions.iter().map(|q| q.key.clone()).collect()
    }

    /// The scale as people read it: `1–5`.
    pub fn scale_text(&self) -> String {
        format!("{}–{}", self.min(), self.max())
    }

    /// Whether `score` for question `key` may be recorded.
    pub fn score_problem(&self, key: &str, score: i64) -> Option<ScoreProblem> {
        if self.question(key).is_none() {
            Some(ScoreProblem::UnknownQuestion)
        } else if score < self.min() || score > self.max() {
            Some(ScoreProblem::OutsideScale)
        } else {
            None
        }
    }

    /// What serde cannot check: a scale that is a range, and valid, unique keys.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.min() >= self.max() {
            problems.push(format!(
                "[maturity] scale = [{}, {}] must be [lowest, highest] with the lowest first",
                self.min(),
                self.max()
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for q in &self.questions {
            if let Err(message) = check_key("maturity question", &q.key) {
                problems.push(message);
            }
            if !seen.insert(q.key.as_str()) {
                problems.push(format!("maturity question '{}' is defined twice", q.key));
            }
            if q.text.trim().is_empty() {
                problems.push(format!("maturity question '{}' has no text", q.key));
            }
        }
        problems
    }
}

/// One self-assessment of one unit on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    #[serde(deserialize_with = "datetime::local_date::deserialize")]
    pub date: NaiveDate,
    pub unit: String,
    /// How many people answered, when the unit says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respondents: Option<u32>,
    /// Free text; no names belong here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Question key to score. A question left out was not answered.
    #[serde(default)]
    pub scores: BTreeMap<String, i64>,
}

impl Assessment {
    pub fn from_toml(text: &str) -> Result<Assessment, toml::de::Error> {
        toml::from_str(text)
    }

    /// The scores that count under `settings`: known questions, inside the scale, in the
    /// order of the questions.
    pub fn valid_scores<'a>(
        &'a self,
        settings: &'a MaturitySettings,
    ) -> impl Iterator<Item = (&'a str, i64)> + 'a {
        settings.questions.iter().filter_map(|q| {
            let score = *self.scores.get(&q.key)?;
            settings
                .score_problem(&q.key, score)
                .is_none()
                .then_some((q.key.as_str(), score))
        })
    }

    /// How many of the scores do not count (an unknown question, or outside the scale).
    pub fn invalid_scores(&self, settings: &MaturitySettings) -> usize {
        self.scores.len() - self.valid_scores(settings).count()
    }

    /// The file name this assessment is kept under: `<date>-<unit-slug>.toml`.
    pub fn file_name(&self) -> String {
        file_name(self.date, &self.unit)
    }

    /// The file name it is kept under when another unit's assessment of the same day
    /// already has [`Assessment::file_name`] (two units whose names fold to one slug,
    /// such as `Vård` and `Värd`): `<date>-<unit-slug>-<fingerprint>.toml`, where the
    /// fingerprint is of the unit's whole name.
    pub fn distinct_file_name(&self) -> String {
        let unit = self.unit.trim();
        let fingerprint = crate::domain::id::fingerprint(unit.as_bytes());
        format!(
            "{}-{}-{}.toml",
            self.date.format("%Y-%m-%d"),
            slug(unit),
            &fingerprint[..8]
        )
    }

    /// Whether `name` is one of the names this assessment may be kept under.
    pub fn is_own_file_name(&self, name: &str) -> bool {
        name == self.file_name() || name == self.distinct_file_name()
    }
}

/// `<date>-<unit-slug>.toml`, e.g. `2019-03-14-vard-och-omsorg.toml`.
pub fn file_name(date: NaiveDate, unit: &str) -> String {
    format!("{}-{}.toml", date.format("%Y-%m-%d"), slug(unit))
}

/// A unit's name made safe for a file name: lowercase ASCII letters and digits joined by
/// `-`, Swedish and other accented letters folded to their base letter.
///
/// ```
/// assert_eq!(sluss::domain::maturity::slug("Vård och omsorg"), "vard-och-omsorg");
/// assert_eq!(sluss::domain::maturity::slug("  Miljö & hälsa!"), "miljo-halsa");
/// ```
pub fn slug(unit: &str) -> String {
    let mut out = String::new();
    for c in unit.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' | 'æ' => 'a',
            'ö' | 'ø' | 'ò' | 'ó' | 'ô' | 'õ' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ù' | 'ú' | 'û' => 'u',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ç' => 'c',
            'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if folded != '-' || !out.is_empty() && !out.ends_with('-') {
            out.push(folded);
        }
    }
    let mut slug: String = out.trim_end_matches('-').chars().take(60).collect();
    slug.truncate(slug.trim_end_matches('-').len());
    if slug.is_empty() {
        "unit".to_string()
    } else {
        slug
    }
}

/// The mean of some scores, or `None` when there are none.
pub fn mean(scores: impl IntoIterator<Item = f64>) -> Option<f64> {
    let (sum, n) = scores
        .into_iter()
        .fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MaturitySettings {
        MaturitySettings {
            scale: [1, 5],
            questions: vec![
                Question {
                    key: "ledning".into(),
                    text: "Ledningen stöttar".into(),
                },
                Question {
                    key: "tid".into(),
                    text: "Tid finns".into(),
                },
            ],
        }
    }

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Vård och omsorg"), "vard-och-omsorg");
        assert_eq!(slug("Kommunstyrelsekontoret"), "kommunstyrelsekontoret");
        assert_eq!(slug("IT/Digitalisering – Öst"), "it-digitalisering-ost");
        assert_eq!(slug("---"), "unit");
        assert_eq!(slug(&"a ".repeat(50)).len(), 59);
    }

    #[test]
    fn scores_are_judged_against_the_settings() {
        let s = settings();
        assert_eq!(s.score_problem("ledning", 3), None);
        assert_eq!(
            s.score_problem("ledning", 6),
            Some(ScoreProblem::OutsideScale)
        );
        assert_eq!(
            s.score_problem("ledning", 0),
            Some(ScoreProblem::OutsideScale)
        );
        assert_eq!(
            s.score_problem("budget", 3),
            Some(ScoreProblem::UnknownQuestion)
        );
    }

    #[test]
    fn only_valid_scores_count_in_question_order() {
        let a = Assessment::from_toml(
            "date = 2019-03-14\nunit = \"Skola\"\n[scores]\ntid = 2\nledning = 4\nbudget = 3\n",
        )
        .unwrap();
        let s = settings();
        assert_eq!(
            a.valid_scores(&s).collect::<Vec<_>>(),
            [("ledning", 4), ("tid", 2)]
        );
        assert_eq!(a.invalid_scores(&s), 1);
        assert_eq!(a.file_name(), "2019-03-14-skola.toml");
        assert!(a.is_own_file_name(&a.distinct_file_name()));
        let mut other = a.clone();
        other.unit = "SKOLA".into();
        assert_eq!(other.file_name(), a.file_name());
        assert_ne!(other.distinct_file_name(), a.distinct_file_name());
    }

    #[test]
    fn settings_problems() {
        let mut s = settings();
        assert!(s.problems().is_empty());
        s.scale = [5, 1];
        s.questions.push(s.questions[0].clone());
        s.questions.push(Question {
            key: "Ledning 2".into(),
            text: " ".into(),
        });
        let p = s.problems();
        assert_eq!(p.len(), 4, "{p:?}");
    }

    #[test]
    fn means() {
        assert_eq!(mean([1.0, 2.0, 4.0]), Some(7.0 / 3.0));
        assert_eq!(mean(std::iter::empty()), None);
    }
}
