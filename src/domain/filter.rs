//! Which cases a command is about (`list`, `set` over a filter): each filter a list of
//! words resolved against the registers first (an unknown word is an error with "did
//! you mean", never an empty result), then matched folded ([`super::words::fold`]):
//! any word within a filter, every filter.

use super::words::fold;
use super::{Case, Config, Status};
use crate::Error;

/// A filter whose words are resolved: stage, coach and program keys, unit and tag
/// words folded, statuses, and the words to search for. An empty list lets every case
/// through.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub stages: Vec<String>,
    /// The statuses to keep; empty: open and parked, or every status with `all`.
    pub statuses: Vec<Status>,
    pub coaches: Vec<String>,
    /// The units, each as the folded names it may be written as (a register unit's key
    /// and name, or a unit text found in the cases).
    pub units: Vec<Vec<String>>,
    /// The unit words no register names (every one when `[[units]]` is empty), to be
    /// checked against the units the cases name ([`Filter::check_found`]).
    pub units_found: Vec<String>,
    pub programs: Vec<String>,
    /// Tags, folded.
    pub tags: Vec<String>,
    /// Words that must all appear (folded) in the title, need, idea, result or the notes
    /// of a session or of the history.
    pub search: Vec<String>,
    /// Closed cases too, when no status is named.
    pub all: bool,
}

/// The words a command line gave, before they are resolved: each filter's words, one
/// a value (comma-separated values split already).
#[derive(Debug, Clone, Default)]
pub struct Words<'a> {
    pub stages: &'a [String],
    pub statuses: &'a [String],
    pub coaches: &'a [String],
    pub units: &'a [String],
    pub programs: &'a [String],
    pub tags: &'a [String],
    pub search: Option<&'a str>,
    pub all: bool,
}

/// What the cases hold that a filter is checked against where no register names it:
/// the unit texts (when `[[units]]` is empty) and the tags.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub units: Vec<String>,
    pub tags: Vec<String>,
}

impl Found {
    /// Notes a case's unit and tags.
    pub fn note(&mut self, case: &Case) {
        if !self.units.contains(&case.unit) {
            self.units.push(case.unit.clone());
        }
        for tag in &case.tags {
            if !self.tags.contains(tag) {
                self.tags.push(tag.clone());
            }
        }
    }

    /// Joins what another share of the cases found.
    pub fn join(&mut self, other: Found) {
        for unit in other.units {
            if !self.units.contains(&unit) {
                self.units.push(unit);
            }
        }
        for tag in other.tags {
            if !self.tags.contains(&tag) {
                self.tags.push(tag);
            }
        }
    }
}

/// Splits values given as `a,b` and repeated flags into one word each, trimmed,
/// without empty ones.
pub fn split(values: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl Filter {
    /// Resolves the words that registers can check (stage, status, coach, program, and
    /// unit when `[[units]]` has units). Units without a register and tags are checked
    /// by [`Filter::check_found`] once the cases are read; until then they are kept as
    /// typed, folded.
    pub fn resolve(config: &Config, words: &Words) -> Result<Filter, Error> {
        let mut filter = Filter {
            all: words.all,
            ..Filter::default()
        };
        for w in words.stages {
            push(&mut filter.stages, config.find_stage(w)?.key.clone());
        }
        for w in words.statuses {
            let status = Status::from_word(w)?;
            if !filter.statuses.contains(&status) {
                filter.statuses.push(status);
            }
        }
        for w in words.coaches {
            push(&mut filter.coaches, config.find_coach(w)?.key.clone());
        }
        for w in words.programs {
            push(&mut filter.programs, config.find_program(w)?.key.clone());
        }
        for w in words.units {
            // A unit the register lacks may still be one the cases name.
            let names = match config.find_unit(w) {
                Ok(unit) => vec![fold(&unit.key), fold(&unit.name)],
                Err(_) => {
                    push(&mut filter.units_found, w.clone());
                    vec![fold(w)]
                }
            };
            if !filter.units.contains(&names) {
                filter.units.push(names);
            }
        }
        for w in words.tags {
            push(&mut filter.tags, fold(w));
        }
        filter.search = words
            .search
            .map(|s| s.split_whitespace().map(fold).filter(|w| !w.is_empty()))
            .into_iter()
            .flatten()
            .collect();
        Ok(filter)
    }

    /// Whether the filter needs the cases' unit texts and tags checked
    /// ([`Filter::check_found`]).
    pub fn needs_found(&self, _config: &Config) -> bool {
        !self.tags.is_empty() || !self.units_found.is_empty()
    }

    /// Whether it searches the text (which only the case files hold whole).
    pub fn searches(&self) -> bool {
        !self.search.is_empty()
    }

    /// Refuses a tag, or a unit the register (if any) lacks, that no case has: a typing
    /// mistake, with the closest one found as "did you mean".
    pub fn check_found(&self, config: &Config, words: &Words, found: &Found) -> Result<(), Error> {
        let known = |list: &[String], kind: &'static str, word: &str| -> Result<(), Error> {
            let wanted = fold(word);
            if list.iter().any(|k| fold(k) == wanted) {
                return Ok(());
            }
            let mut keys: Vec<String> = list.to_vec();
            keys.sort();
            keys.dedup_by(|a, b| fold(a) == fold(b));
            Err(Error::unknown(kind, word, keys))
        };
        for w in words.tags {
            known(&found.tags, "tag", w)?;
        }
        for w in &self.units_found {
            if let Err(e) = known(&found.units, "unit", w) {
                // With a register, say what the register holds.
                return Err(if config.units.is_empty() {
                    e
                } else {
                    config.find_unit(w).err().unwrap_or(e)
                });
            }
        }
        Ok(())
    }

    /// Whether `case` passes every filter but staleness (which needs the case's
    /// replayed state, see [`super::replay`]).
    pub fn matches(&self, case: &Case) -> bool {
        let status_ok = if self.statuses.is_empty() {
            self.all || case.status != Status::Closed
        } else {
            self.statuses.contains(&case.status)
        };
        let any = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|k| k == v))
        };
        status_ok
            && any(&self.stages, Some(&case.stage))
            && any(&self.coaches, case.coach.as_deref())
            && any(&self.programs, case.program.as_deref())
            && (self.units.is_empty() || {
                let unit = fold(&case.unit);
                self.units.iter().any(|names| names.contains(&unit))
            })
            && (self.tags.is_empty() || case.tags.iter().any(|t| self.tags.contains(&fold(t))))
            && (self.search.is_empty() || {
                let text = searched_text(case);
                self.search.iter().all(|w| text.contains(w.as_str()))
            })
    }
}

fn push(list: &mut Vec<String>, key: String) {
    if !list.contains(&key) {
        list.push(key);
    }
}

/// The text `--search` looks through, folded: title, need, idea, result, the notes
/// of every session and of the history (park reasons, move notes), one line each.
fn searched_text(case: &Case) -> String {
    let mut parts: Vec<&str> = vec![case.title.as_str()];
    parts.extend(case.description.need.as_deref());
    parts.extend(case.description.idea.as_deref());
    parts.extend(case.result.as_deref());
    parts.extend(case.sessions.iter().filter_map(|s| s.notes.as_deref()));
    parts.extend(case.history.iter().filter_map(|h| h.note.as_deref()));
    parts.iter().map(|p| fold(p)).collect::<Vec<_>>().join("\n")
}

/// How a listing is sorted: ties always by id, so the order is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Sort {
    /// By id.
    Id,
    /// By stage, in pipeline order.
    Stage,
    /// Most idle days first.
    Idle,
    /// Oldest first (the default).
    #[default]
    Created,
    /// By coach key; cases without a coach last.
    Coach,
}

/// Sorts `items` (each a case and its idle days, as `key` gives them) by `sort`, ties
/// by id.
pub fn sort_by<T>(items: &mut [T], sort: Sort, config: &Config, key: impl Fn(&T) -> (&Case, i64)) {
    items.sort_by(|a, b| {
        let (ca, ia) = key(a);
        let (cb, ib) = key(b);
        let first = match sort {
            Sort::Id => std::cmp::Ordering::Equal,
            Sort::Stage => {
                let at = |c: &Case| config.stage_index(&c.stage).unwrap_or(usize::MAX);
                at(ca).cmp(&at(cb))
            }
            Sort::Idle => ib.cmp(&ia),
            Sort::Created => ca.created.cmp(&cb.created),
            Sort::Coach => (ca.coach.is_none(), &ca.coach).cmp(&(cb.coach.is_none(), &cb.coach)),
        };
        first.then_with(|| ca.id.cmp(&cb.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, stage: &str, status: Status, tags: &[&str]) -> Case {
        Case {
            id: id.into(),
            title: "Digital matsedel".into(),
            created: chrono::DateTime::parse_from_rfc3339("2020-01-01T10:00:00+01:00").unwrap(),
            stage: stage.into(),
            status,
            outcome: None,
            coach: None,
            unit: "Vård och omsorg".into(),
            program: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            partners: Vec::new(),
            result: None,
            follow_up: None,
            duplicate_of: None,
            handed_to: None,
            benefits: Vec::new(),
            adoptions: Vec::new(),
            submitter: None,
            description: Default::default(),
            history: Vec::new(),
            sessions: Vec::new(),
        }
    }

    #[test]
    fn any_value_within_a_filter_every_filter_and_closed_only_with_all() {
        let filter = Filter {
            stages: vec!["testa".into(), "infora".into()],
            tags: vec!["valfard".into()],
            units: vec![vec!["vard och omsorg".into()]],
            search: vec!["matsedel".into()],
            ..Filter::default()
        };
        assert!(filter.matches(&case("a", "testa", Status::Open, &["Välfärd"])));
        assert!(filter.matches(&case("b", "infora", Status::Parked, &["x", "välfärd"])));
        assert!(!filter.matches(&case("c", "provning", Status::Open, &["välfärd"])));
        assert!(!filter.matches(&case("d", "testa", Status::Open, &["skola"])));
        let closed = case("e", "testa", Status::Closed, &["välfärd"]);
        assert!(!filter.matches(&closed));
        let all = Filter {
            all: true,
            ..filter.clone()
        };
        assert!(all.matches(&closed));
        let searched = Filter {
            search: vec!["matsedel".into(), "skola".into()],
            ..all
        };
        assert!(!searched.matches(&closed), "every word must be found");
    }

    #[test]
    fn comma_separated_and_repeated_values_are_one_list() {
        let values = vec![
            "testa, verifiera".to_string(),
            "Införa".to_string(),
            ",".to_string(),
        ];
        assert_eq!(split(&values), vec!["testa", "verifiera", "Införa"]);
    }
}
