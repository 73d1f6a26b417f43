//! `sluss show`: one case in full, with history and sessions in time order.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use crate::context::Context;
use crate::domain::Config;
use crate::domain::replay::state;
use crate::output::{self, Format};
use crate::report::escape::one_line;

/// Show one case: its fields, description, history and coaching sessions.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case id, or a unique prefix of it.
    pub id: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(ctx: &Context, args: Args) -> Result<ExitCode> {
    super::require_format(args.format, &[Format::Table, Format::Json])?;
    let repo = ctx.open_repo()?;
    let path = repo.resolve(&args.id)?;
    let mut case = repo.read_case(&path)?;
    case.history.sort_by_key(|e| e.at);
    case.sessions.sort_by_key(|s| s.date);
    if args.format == Format::Json {
        output::emit(&output::json(&case))?;
        return Ok(ExitCode::SUCCESS);
    }
    // Partners are shown with their organisation's name where the network knows them.
    let network = repo.load_network().unwrap_or_default();
    case.partners = case
        .partners
        .iter()
        .map(|key| match network.get(key) {
            Some(m) => format!("{key} ({})", m.organisation),
            None => key.clone(),
        })
        .collect();
    let today = case.today_at(ctx.now);
    output::emit(&render(&case, &repo.config, today))?;
    Ok(ExitCode::SUCCESS)
}

fn render(case: &crate::domain::Case, config: &Config, today: chrono::NaiveDate) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}  {}", case.id, one_line(&case.title));
    let status = match case.outcome {
        Some(o) => format!("{} ({o})", case.status),
        None => case.status.to_string(),
    };
    let idle = state(case, config, None)
        .map(|st| st.idle_days(today))
        .unwrap_or(0);
    let mut field = |k: &str, v: &str| {
        if !v.is_empty() {
            let _ = writeln!(s, "  {k:<10} {}", one_line(v));
        }
    };
    field(
        "stage",
        &format!("{} ({})", config.stage_name(&case.stage), case.stage),
    );
    field("status", &status);
    field(
        "created",
        &case.created.format("%Y-%m-%d %H:%M").to_string(),
    );
    field("idle", &format!("{idle} days"));
    field(
        "coach",
        case.coach
            .as_deref()
            .map(|c| config.coach(c).map_or(c, |k| k.name.as_str()))
            .unwrap_or(""),
    );
    field("unit", &case.unit);
    field("program", case.program.as_deref().unwrap_or(""));
    field("tags", &case.tags.join(", "));
    field("partners", &case.partners.join(", "));
    if let Some(p) = &case.submitter {
        let consent = if p.consent {
            "may be named"
        } else {
            "not to be named in published output"
        };
        field("submitter", &format!("{} ({consent})", p.name));
    }
    for (label, text) in [
        ("Need", case.need()),
        ("Idea", case.idea()),
        ("Result", case.result()),
    ] {
        if let Some(text) = text {
            let _ = writeln!(s, "\n{label}:\n  {}", text.replace('\n', "\n  "));
        }
    }
    if !case.history.is_empty() {
        let _ = writeln!(s, "\nHistory:");
        for e in &case.history {
            let what = if let (Some(from), Some(to)) = (&e.from, &e.to) {
                format!("{} → {}", config.stage_name(from), config.stage_name(to))
            } else if let Some(to) = &e.to {
                format!("→ {}", config.stage_name(to))
            } else if let Some(st) = e.status {
                match e.outcome {
                    Some(o) => format!("{st} ({o})"),
                    None => st.to_string(),
                }
            } else if let Some(words) = crate::domain::timeline::coach_words(e) {
                words
            } else {
                let words = crate::domain::timeline::program_and_partner_words(e);
                if words.is_empty() {
                    "note".to_string()
                } else {
                    words.join("; ")
                }
            };
            let _ = write!(
                s,
                "  {}  {:<10} {what}",
                e.at.format("%Y-%m-%d %H:%M"),
                one_line(&e.by),
                what = one_line(&what),
            );
            if let Some(n) = &e.note {
                let _ = write!(s, ": {}", one_line(n));
            }
            s.push('\n');
        }
    }
    if !case.sessions.is_empty() {
        let total: u64 = case.sessions.iter().map(|x| u64::from(x.minutes)).sum();
        let _ = writeln!(s, "\nSessions ({} min in all):", total);
        for x in &case.sessions {
            let _ = write!(
                s,
                "  {}  {:<10} {:>4} min",
                x.date,
                one_line(&x.coach),
                x.minutes
            );
            if let Some(k) = &x.kind {
                let _ = write!(s, "  {}", one_line(k));
            }
            if let Some(n) = &x.notes {
                let _ = write!(s, ": {}", one_line(n));
            }
            s.push('\n');
            for step in &x.next_steps {
                let _ = writeln!(s, "      next: {}", one_line(step));
            }
        }
    }
    s
}
