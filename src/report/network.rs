//! The partner-network report (`sluss network report`): how large the network is and how
//! it grew (members joined and left per quarter or year, the size at the end of each,
//! by kind of organisation), and which members take part in which cases, counted by the
//! stage each case is in (member × stage). Computed once, rendered by
//! `render::network`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

use crate::domain::network::{Member, MemberKind};
use crate::domain::replay::{partners_as_of, state};
use crate::domain::{Case, Config, Status};

/// How growth is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Quarter,
    Year,
}

impl Period {
    /// The bucket a day falls in: `2019-Q1` or `2019`.
    pub fn label(self, day: NaiveDate) -> String {
        match self {
            Period::Quarter => format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1),
            Period::Year => day.year().to_string(),
        }
    }

    fn start_of(self, day: NaiveDate) -> NaiveDate {
        let month = match self {
            Period::Quarter => (day.month() - 1) / 3 * 3 + 1,
            Period::Year => 1,
        };
        NaiveDate::from_ymd_opt(day.year(), month, 1).expect("first of a month")
    }

    fn step(self) -> Months {
        Months::new(match self {
            Period::Quarter => 3,
            Period::Year => 12,
        })
    }
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct Options {
    /// The day reported on: `--as-of`, or today.
    pub day: NaiveDate,
    /// Replay the cases' history as of `day` (their stage, status and partners then).
    pub replay: bool,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NetworkReport {
    /// The portfolio's name.
    pub name: String,
    pub as_of: NaiveDate,
    pub replayed: bool,
    pub period: Period,
    /// Members on the report's day.
    pub size: usize,
    /// Members that had joined by the report's day, and of those, that had left.
    pub joined: usize,
    pub left: usize,
    /// The pipeline's stages: the order of every `by_stage`.
    pub stages: Vec<StageName>,
    pub by_kind: Vec<KindFigures>,
    pub growth: Vec<Growth>,
    /// Members that take part in at least one case, most cases first.
    pub participation: Vec<MemberCases>,
    /// Cases that name at least one member, by their stage.
    pub cases_with_partners: StageCounts,
    /// Members on the report's day that take part in no case.
    pub members_without_cases: usize,
    /// Partner keys that cases name but that are no member of the network, with the
    /// number of cases naming each.
    pub unknown_partners: BTreeMap<String, usize>,
    /// Member files that could not be read and are not counted.
    pub skipped_files: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageName {
    pub key: String,
    pub name: String,
}

/// Counts of cases: all, open, and per stage in pipeline order.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct StageCounts {
    pub cases: usize,
    pub open: usize,
    pub by_stage: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindFigures {
    pub kind: MemberKind,
    /// Members on the report's day.
    pub members: usize,
    pub joined: usize,
    pub left: usize,
    /// Members of this kind (on the report's day or not) that take part in a case.
    pub in_cases: usize,
    /// Cases that name a member of this kind, by stage; a case counts once per kind.
    #[serde(flatten)]
    pub cases: StageCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Growth {
    pub period: String,
    /// The period's first day.
    pub from: NaiveDate,
    /// Its last day, or the report's day for the last period.
    pub to: NaiveDate,
    pub joined: usize,
    pub left: usize,
    /// Members at the end of the period (or on the report's day, for the last one).
    pub size: usize,
    pub size_by_kind: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberCases {
    pub key: String,
    pub organisation: String,
    pub kind: MemberKind,
    /// Whether it is a member on the report's day.
    pub member: bool,
    #[serde(flatten)]
    pub counts: StageCounts,
    /// The ids of its cases, sorted.
    pub case_ids: Vec<String>,
}

/// Computes the report from the members and every case.
pub fn compute(
    members: &[Member],
    cases: &[&Case],
    config: &Config,
    options: &Options,
    skipped_files: usize,
) -> NetworkReport {
    let day = options.day;
    let as_of = options.replay.then_some(day);
    let end_of_day = crate::domain::AsOf::end_of(day);
    let members: Vec<&Member> = members
        .iter()
        .filter(|m| end_of_day.counts(m.joined))
        .collect();
    let left_by = |m: &Member| m.left.is_some_and(|l| end_of_day.counts(l));
    let kind_of: BTreeMap<&str, &Member> = members.iter().map(|m| (m.key.as_str(), *m)).collect();
    let stage_count = config.stages.len();
    let empty = || StageCounts {
        by_stage: vec![0; stage_count],
        ..StageCounts::default()
    };
    let bump = |c: &mut StageCounts, stage: Option<usize>, open: bool| {
        c.cases += 1;
        if open {
            c.open += 1;
        }
        if let Some(i) = stage {
            c.by_stage[i] += 1;
        }
    };

    // Who takes part in what.
    let mut per_member: BTreeMap<&str, (StageCounts, Vec<String>)> = BTreeMap::new();
    let mut per_kind: BTreeMap<MemberKind, StageCounts> = BTreeMap::new();
    let mut with_partners = empty();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases {
        let Some(st) = state(case, config, as_of) else {
            continue;
        };
        let partners: BTreeSet<String> = partners_as_of(case, as_of).into_iter().collect();
        if partners.is_empty() {
            continue;
        }
        let stage = config.stage_index(&st.stage);
        let open = st.status == Status::Open;
        let mut kinds = BTreeSet::new();
        let mut any = false;
        for key in &partners {
            match kind_of.get(key.as_str()) {
                Some(m) => {
                    any = true;
                    kinds.insert(m.kind);
                    let entry = per_member
                        .entry(m.key.as_str())
                        .or_insert_with(|| (empty(), Vec::new()));
                    bump(&mut entry.0, stage, open);
                    entry.1.push(case.id.clone());
                }
                None => *unknown.entry(key.clone()).or_default() += 1,
            }
        }
        for kind in kinds {
            bump(per_kind.entry(kind).or_insert_with(empty), stage, open);
        }
        if any {
            bump(&mut with_partners, stage, open);
        }
    }

    let mut participation: Vec<MemberCases> = per_member
        .into_iter()
        .map(|(key, (counts, mut case_ids))| {
            let m = kind_of[key];
            case_ids.sort();
            MemberCases {
                key: key.to_string(),
                organisation: m.organisation.clone(),
                kind: m.kind,
                member: m.is_member_on(day),
                counts,
                case_ids,
            }
        })
        .collect();
    participation.sort_by(|a, b| {
        b.counts
            .cases
            .cmp(&a.counts.cases)
            .then_with(|| a.key.cmp(&b.key))
    });
    let taking_part: BTreeSet<&str> = participation.iter().map(|p| p.key.as_str()).collect();

    let by_kind = MemberKind::ALL
        .iter()
        .map(|&kind| {
            let of_kind: Vec<&&Member> = members.iter().filter(|m| m.kind == kind).collect();
            KindFigures {
                kind,
                members: of_kind.iter().filter(|m| m.is_member_on(day)).count(),
                joined: of_kind.len(),
                left: of_kind.iter().filter(|m| left_by(m)).count(),
                in_cases: of_kind
                    .iter()
                    .filter(|m| taking_part.contains(m.key.as_str()))
                    .count(),
                cases: per_kind.remove(&kind).unwrap_or_else(empty),
            }
        })
        .collect();

    NetworkReport {
        name: config.name.clone(),
        as_of: day,
        replayed: options.replay,
        period: options.period,
        size: members.iter().filter(|m| m.is_member_on(day)).count(),
        joined: members.len(),
        left: members.iter().filter(|m| left_by(m)).count(),
        stages: config
            .stages
            .iter()
            .map(|s| StageName {
                key: s.key.clone(),
                name: s.name.clone(),
            })
            .collect(),
        by_kind,
        growth: growth(&members, day, options.period),
        members_without_cases: members
            .iter()
            .filter(|m| m.is_member_on(day) && !taking_part.contains(m.key.as_str()))
            .count(),
        participation,
        cases_with_partners: with_partners,
        unknown_partners: unknown,
        skipped_files,
    }
}

/// Joined, left and size per period, from the first member's period to the report's.
fn growth(members: &[&Member], day: NaiveDate, period: Period) -> Vec<Growth> {
    let Some(first) = members.iter().map(|m| m.joined).min() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut start = period.start_of(first);
    while start <= day {
        let next = start + period.step();
        let end = (next - chrono::Days::new(1)).min(day);
        let within = |d: NaiveDate| d >= start && d <= end;
        let on_end: Vec<&&Member> = members.iter().filter(|m| m.is_member_on(end)).collect();
        rows.push(Growth {
            period: period.label(start),
            from: start,
            to: end,
            joined: members.iter().filter(|m| within(m.joined)).count(),
            left: members
                .iter()
                .filter(|m| m.left.is_some_and(within))
                .count(),
            size: on_end.len(),
            size_by_kind: MemberKind::ALL
                .iter()
                .map(|k| (k.as_str(), on_end.iter().filter(|m| m.kind == *k).count()))
                .collect(),
        });
        start = next;
    }
    rows
}

/// A member as `network list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListedMember<'a> {
    #[serde(flatten)]
    pub member: &'a Member,
    /// Cases that name it as a partner now.
    pub cases: usize,
}

/// One member and the cases that name it as a partner (`network show`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberView<'a> {
    #[serde(flatten)]
    pub member: &'a Member,
    pub member_now: bool,
    /// Furthest stage first, then by id.
    pub cases: Vec<MemberCase<'a>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberCase<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub stage: &'a str,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<crate::domain::Outcome>,
    pub coach: Option<String>,
}
