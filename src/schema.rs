//! JSON Schemas of a case file and of `sluss.toml`, for editors and CI.
//!
//! Taplo (and the Even Better TOML extension built on it) validates a TOML file against
//! the schema its first line names, `#:schema ../schemas/case.schema.json`, and shows the
//! descriptions on hover. The schemas are written by hand so that they say what the spec
//! says, not what serde happens to accept.
//!
//! Design:
//! - **Draft-07**, the newest draft that Taplo's validator reads without extra features;
//!   `definitions` and `dependencies` rather than their 2019-09 names.
//! - **TOML dates as strings**: Taplo turns a TOML date-time into its RFC 3339 text
//!   before validating, so an offset date-time is `{"type": "string", "format":
//!   "date-time"}` and a local date is `"format": "date"`, each with a pattern too (not
//!   every validator asserts formats). A schema cannot tell a TOML date from a quoted
//!   string that spells one, so sluss reads both alike (see `domain::datetime`).
//! - **The same rules as `check`**: a file these schemas accept is one `sluss check`
//!   accepts, and the other way round, as far as a schema can say it: keys and ids follow
//!   the patterns of `domain::key` and `domain::id`, minutes the bounds of
//!   `domain::bounds`. What a schema cannot express (keys defined in `sluss.toml`, dates
//!   not in the future, fields that agree with the history …) each schema's description
//!   lists; `tests/suite/check_rules.rs` validates files with both.
//! - **Unknown keys are allowed** wherever sluss accepts them (the spec lets teams add
//!   keys); only the tables that sluss itself reads strictly (`[policy]`, `[git]`, a
//!   stage's `gate`) refuse keys they do not know.
//! - **Generic, not per repository**: stage, coach and program keys are strings here;
//!   that they are defined in `sluss.toml` is for `sluss check` to say.

use serde_json::{Value, json};

use crate::domain::bounds::MAX_SESSION_MINUTES;
use crate::domain::id::ID_PATTERN;
use crate::domain::key::{KEY_PATTERN, RESERVED_PATTERN};

/// The folder of a repository that holds the schemas.
pub const SCHEMAS_DIR: &str = "schemas";
/// The case schema's file name in [`SCHEMAS_DIR`].
pub const CASE_SCHEMA_FILE: &str = "case.schema.json";
/// The settings schema's file name in [`SCHEMAS_DIR`].
pub const CONFIG_SCHEMA_FILE: &str = "sluss.schema.json";
/// The first line of a new case file: Taplo's schema directive, relative to the file.
pub const CASE_DIRECTIVE: &str = "#:schema ../schemas/case.schema.json";
/// The partner-network member schema's file name in [`SCHEMAS_DIR`].
pub const NETWORK_SCHEMA_FILE: &str = "network.schema.json";
/// The program participants schema's file name in [`SCHEMAS_DIR`].
pub const PROGRAM_SCHEMA_FILE: &str = "program.schema.json";
/// The first line of a new `network/<key>.toml`.
pub const NETWORK_DIRECTIVE: &str = "#:schema ../schemas/network.schema.json";
/// The first line of a new `programs/<key>.toml`.
pub const PROGRAM_DIRECTIVE: &str = "#:schema ../schemas/program.schema.json";
/// The maturity self-assessment schema's file name in [`SCHEMAS_DIR`].
pub const MATURITY_SCHEMA_FILE: &str = "maturity.schema.json";
/// The first line of a new `maturity/<date>-<unit>.toml`.
pub const MATURITY_DIRECTIVE: &str = "#:schema ../schemas/maturity.schema.json";

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";

/// The schemas a repository keeps, as (file name in [`SCHEMAS_DIR`], schema).
pub fn all() -> Vec<(&'static str, Value)> {
    vec![
        (CASE_SCHEMA_FILE, case_schema()),
        (CONFIG_SCHEMA_FILE, config_schema()),
        (NETWORK_SCHEMA_FILE, network_schema()),
        (PROGRAM_SCHEMA_FILE, program_schema()),
        (MATURITY_SCHEMA_FILE, maturity_schema()),
    ]
}

/// A schema as the text of its file: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("a schema serialises");
    s.push('\n');
    s
}

/// An RFC 3339 date-time with an offset, as Taplo turns a TOML offset date-time into
/// text (TOML lets the `T` be a space and the seconds be left out).
const OFFSET_DATETIME_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
/// A local date, as Taplo turns a TOML local date into text.
const LOCAL_DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

fn offset_datetime(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "format": "date-time",
        "pattern": OFFSET_DATETIME_PATTERN,
        "examples": ["2019-03-02T09:15:00+01:00"]
    })
}

fn local_date(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "format": "date",
        "pattern": LOCAL_DATE_PATTERN,
        "examples": ["2019-03-05"]
    })
}

/// A key (`domain::key`): lowercase letters, digits, `-` and `_`, starting with a
/// letter, and no name Windows reserves.
fn key(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "pattern": KEY_PATTERN,
        "not": { "pattern": RESERVED_PATTERN }
    })
}

/// A key, or `""` for none (history's `previous_coach`, `program`, `previous_program`).
fn key_or_empty(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "anyOf": [
            { "const": "" },
            { "pattern": KEY_PATTERN, "not": { "pattern": RESERVED_PATTERN } }
        ]
    })
}

/// A string with something other than white space in it.
fn non_blank(description: &str) -> Value {
    json!({ "description": description, "type": "string", "pattern": "\\S" })
}

/// A person named in a record (a member's contact, a program's participant): the name is
/// required, and not blank, unless the person was forgotten (`sluss forget` leaves
/// `forgotten = true` and no name).
fn named_unless_forgotten() -> Value {
    json!({
        "if": { "properties": { "forgotten": { "const": true } }, "required": ["forgotten"] },
        "else": { "required": ["name"] }
    })
}

fn text(description: &str) -> Value {
    json!({ "description": description, "type": "string" })
}

fn status() -> Value {
    json!({
        "description": "open: being worked on; parked: waiting; closed: done, with an outcome.",
        "type": "string",
        "enum": ["open", "parked", "closed"]
    })
}

fn outcome() -> Value {
    json!({
        "description": "How a closed case ended.",
        "type": "string",
        "enum": ["implemented", "handed_over", "stopped", "duplicate", "referred"]
    })
}

/// `status = "closed"` requires `outcome`; any other status forbids it (a `false`
/// schema on the key, so that an editor marks the key itself).
fn outcome_only_when_closed() -> Value {
    json!({
        "if": { "properties": { "status": { "const": "closed" } }, "required": ["status"] },
        "then": { "required": ["outcome"] },
        "else": { "properties": { "outcome": false } }
    })
}

/// The schema of a case file, `cases/<id>.toml`.
pub fn case_schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "sluss case",
        "description": "One case of an idea sluice (idésluss), kept as cases/<id>.toml. See docs/case-format.md in sluss's source. Rules a schema cannot express, which `sluss check` applies: stage, coach and program keys (in the case, its history and its sessions) are defined in sluss.toml; partners are members of the network (network/<key>.toml); the id matches the file name and no other case's id, whatever the case of its letters; created, history entries and sessions are not in the future; history is in time order and each move starts from the stage the move before it went to; and the fields agree with the history: stage with the last move, status and outcome with the last status change (with none, the case is open), coach, program and partners with their last change. A date may also be written as a quoted string: a schema sees both alike, and so does sluss.",
        "type": "object",
        "required": ["id", "title", "created", "stage", "status"],
        "properties": {
            "id": {
                "description": "Unique without coordination and never reused; the file is named after it: letters, digits and _, and no name Windows reserves for a device (con, prn, aux, nul, com0–com9, lpt0–lpt9).",
                "type": "string",
                "pattern": ID_PATTERN,
                "not": { "pattern": RESERVED_PATTERN },
                "examples": ["01jd3k7f3q"]
            },
            "title": non_blank("A short title of the idea."),
            "created": offset_datetime("When the case was registered: a TOML offset date-time."),
            "stage": key("The stage the case is in: a stage key from sluss.toml."),
            "status": status(),
            "outcome": outcome(),
            "coach": key("The coach who has the case: a coach key from sluss.toml."),
            "unit": text("The organisational unit the idea comes from."),
            "program": key("The innovation program the case belongs to: a program key from sluss.toml."),
            "tags": {
                "description": "Free-form tags.",
                "type": "array",
                "items": { "type": "string" }
            },
            "partners": {
                "description": "Partner-network members that take part in the case: keys of network/<key>.toml files, each once (`sluss check` warns about a repeat).",
                "type": "array",
                "items": key("A member's key.")
            },
            "result": text("What the idea brought about, in a sentence or two (`sluss result`); the newsletter quotes it under an implemented idea. Published: name only people who agreed to be named."),
            "follow_up": local_date("The day a coach means to come back to the case (`sluss set ID --follow-up DAY`): a TOML local date."),
            "duplicate_of": {
                "description": "The case this one repeats (`sluss close ID --outcome duplicate --of OTHER`): the id of another case, which is not itself a duplicate.",
                "type": "string",
                "pattern": ID_PATTERN
            },
            "handed_to": key("The partner-network member a case closed as handed over went to: a key of network/<key>.toml."),
            "benefits": {
                "description": "What the idea gave or is expected to give (`sluss benefit add`).",
                "type": "array",
                "items": { "$ref": "#/definitions/benefit" }
            },
            "adoptions": {
                "description": "Who else took the idea up (`sluss adopt`): organisations of the partner network or units of the organisation.",
                "type": "array",
                "items": { "$ref": "#/definitions/adoption" }
            },
            "submitter": { "$ref": "#/definitions/person" },
            "description": {
                "description": "What the idea is about.",
                "type": "object",
                "properties": {
                    "need": text("The need, and for whom."),
                    "idea": text("The proposed change.")
                }
            },
            "history": {
                "description": "Append-only, in time order: one entry per change.",
                "type": "array",
                "items": { "$ref": "#/definitions/history_entry" }
            },
            "sessions": {
                "description": "The coaching log, append-only.",
                "type": "array",
                "items": { "$ref": "#/definitions/session" }
            }
        },
        "allOf": [outcome_only_when_closed()],
        "definitions": {
            "person": {
                "description": "Personal data: named in published output only with consent = true. A forgotten person (`sluss forget`) leaves forgotten = true and no name.",
                "type": "object",
                "if": { "properties": { "forgotten": { "const": true } }, "required": ["forgotten"] },
                "else": { "required": ["name"], "properties": { "name": { "pattern": "\\S" } } },
                "properties": {
                    "name": text("The person's name: required, and not blank, unless forgotten = true."),
                    "forgotten": {
                        "description": "The person was forgotten (`sluss forget`): their name and contact are gone.",
                        "type": "boolean"
                    },
                    "consent": {
                        "description": "May this person be named in published reports?",
                        "type": "boolean",
                        "default": false
                    },
                    "contact": text("An e-mail address or telephone number.")
                }
            },
            "history_entry": {
                "description": "One change. A stage move has from and to; a status change has status (and outcome when, and only when, closing); an assignment has coach.",
                "type": "object",
                "required": ["at", "by"],
                "properties": {
                    "at": offset_datetime("When it happened: a TOML offset date-time."),
                    "by": non_blank("Who made the change."),
                    "from": key("The stage the case left."),
                    "to": key("The stage the case entered."),
                    "status": status(),
                    "outcome": outcome(),
                    "coach": key_or_empty("The coach the case was assigned to: a coach key from sluss.toml, or \"\" when it was unassigned (`sluss unassign`)."),
                    "previous_coach": key_or_empty("The coach the case had before (\"\" when it had none): a coach key from sluss.toml."),
                    "program": key_or_empty("The program the case joined: a program key from sluss.toml, or \"\" when it left its program."),
                    "previous_program": key_or_empty("The program the case was in before (\"\" when it was in none): a program key from sluss.toml."),
                    "partner_added": key("A partner-network member the case started to name."),
                    "partner_removed": key("A partner-network member the case no longer names."),
                    "result": text("The result text the case was given (`sluss result`), or \"\" when it was cleared."),
                    "set": {
                        "description": "The fields `sluss set` changed in this entry that have no key of their own (a program or result it changed is recorded as program or result).",
                        "type": "array",
                        "items": { "enum": ["title", "need", "idea", "unit", "tags", "follow_up"] },
                        "uniqueItems": true
                    },
                    "tags_added": {
                        "description": "The tags `sluss set` added (+TAG).",
                        "type": "array",
                        "items": { "type": "string" }
                    },
                    "tags_removed": {
                        "description": "The tags `sluss set` took out (-TAG).",
                        "type": "array",
                        "items": { "type": "string" }
                    },
                    "duplicate_of": {
                        "description": "The case that a case closed as a duplicate repeats.",
                        "type": "string",
                        "pattern": ID_PATTERN
                    },
                    "handed_to": key("The partner-network member a case closed as handed over went to."),
                    "benefit": { "$ref": "#/definitions/benefit" },
                    "adoption": { "$ref": "#/definitions/adoption" },
                    "note": text("Why, in a few words."),
                    "forced": {
                        "description": "The case went past a gate that was not met (`--force`, with the note saying why), so that a leader can audit overrides. Written only as true.",
                        "type": "boolean"
                    }
                },
                "dependencies": {
                    "from": ["to"],
                    "outcome": ["status"]
                },
                "allOf": [outcome_only_when_closed()]
            },
            "benefit": {
                "description": "A benefit: kronor or hours saved, quality, or another kind with its unit; projected (an estimate made ahead) or realised (measured afterwards); for a year or a period from–to.",
                "type": "object",
                "required": ["kind", "amount", "basis"],
                "properties": {
                    "kind": non_blank("kronor (money saved), hours (working hours saved), quality, or another kind, with unit naming what amount counts."),
                    "amount": { "description": "How much, in kronor, hours or the kind's unit.", "type": "number" },
                    "unit": text("What amount counts, for a kind other than kronor and hours (\"besök\", \"NKI-poäng\")."),
                    "basis": {
                        "description": "projected: an estimate made ahead; realised: measured or counted afterwards.",
                        "enum": ["projected", "realised"]
                    },
                    "year": { "description": "The calendar year the amount applies to.", "type": "integer", "minimum": 1900, "maximum": 9999 },
                    "from": local_date("The first day of the period the amount applies to (instead of a year): a TOML local date."),
                    "to": local_date("The last day of that period: a TOML local date."),
                    "recorded": local_date("The day it was recorded: reports as of an earlier day do not count it."),
                    "note": text("How it was estimated or measured.")
                }
            },
            "adoption": {
                "description": "Someone else who took the idea up: an organisation of the partner network (org) or a unit of the organisation (unit), not both.",
                "type": "object",
                "required": ["date"],
                "oneOf": [{ "required": ["org"] }, { "required": ["unit"] }],
                "properties": {
                    "org": key("A partner-network member: a key of network/<key>.toml."),
                    "unit": non_blank("A unit of the organisation, as a case names its unit."),
                    "date": local_date("The day it was taken up: a TOML local date."),
                    "how": {
                        "description": "copied: taken up as it was; adapted: changed to fit.",
                        "enum": ["copied", "adapted"]
                    },
                    "note": text("What was taken up, and how.")
                }
            },
            "next_step": {
                "description": "A next step: its text, or a table { text = \"…\", due = 2026-12-10, done = 2026-12-09 }. It is open until it has a done day.",
                "oneOf": [
                    { "type": "string" },
                    {
                        "type": "object",
                        "required": ["text"],
                        "properties": {
                            "text": text("What is to be done."),
                            "due": local_date("The day it should be done by: a TOML local date."),
                            "done": local_date("The day it was done: a TOML local date.")
                        }
                    }
                ]
            },
            "session": {
                "description": "One coaching session.",
                "type": "object",
                "required": ["date", "coach", "minutes"],
                "properties": {
                    "date": local_date("The day of the session: a TOML local date."),
                    "coach": key("The coach who held it: a coach key from sluss.toml."),
                    "minutes": {
                        "description": "How long it took, in whole minutes: at most a day.",
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_SESSION_MINUTES
                    },
                    "kind": text("What kind of session: möte, workshop, telefon, test …"),
                    "notes": text("What was said and done."),
                    "next_steps": {
                        "description": "Next steps agreed on, numbered from 1 through the case's sessions in file order (`sluss step list`): each a string, or a table with a day it is due and the day it was done (`sluss step done`).",
                        "type": "array",
                        "items": { "$ref": "#/definitions/next_step" }
                    }
                }
            }
        }
    })
}

/// The schema of a repository's settings, `sluss.toml`.
pub fn config_schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "sluss settings",
        "description": "The settings of an idea sluice (idésluss): its pipeline, gates, coaches and programs. See docs/case-format.md in sluss's source. Rules a schema cannot express, which every command and `sluss check` apply: stage, coach, program and unit keys are each defined once; unit names are each used once (case and Swedish letters aside); a program does not end before it starts; [policy] need_after names a stage; [maturity] scale is [lowest, highest] with the lowest first, and its question keys are each defined once.",
        "type": "object",
        "required": ["name", "stages"],
        "properties": {
            "name": text("The portfolio's name, shown at the top of reports."),
            "language": {
                "description": "The language of what the sluice publishes (reports, the digest, HTML): sv (Swedish) or en (English). `--lang` overrides it; English when unset.",
                "enum": ["sv", "en"]
            },
            "stale_after_days": {
                "description": "An open case with no activity for longer than this many days is stale.",
                "type": "integer",
                "minimum": 0,
                "maximum": 4294967295u64,
                "default": 60
            },
            "stages": {
                "description": "The pipeline, in order.",
                "type": "array",
                "minItems": 1,
                "items": { "$ref": "#/definitions/stage" }
            },
            "coaches": {
                "description": "The idea coaches.",
                "type": "array",
                "items": { "$ref": "#/definitions/coach" }
            },
            "programs": {
                "description": "Innovation programs (cohorts).",
                "type": "array",
                "items": { "$ref": "#/definitions/program" }
            },
            "units": {
                "description": "The organisation's units. Empty or left out: a case's unit is free text. Otherwise every case names one of them, by name (or key), case and Swedish letters aside.",
                "type": "array",
                "items": { "$ref": "#/definitions/unit" }
            },
            "policy": {
                "description": "Rules that `sluss check` enforces on the whole portfolio, for CI.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "require_coach": {
                        "description": "Every open case has a coach.",
                        "type": "boolean",
                        "default": false
                    },
                    "max_stale_days": {
                        "description": "No open case is idle longer than this many days.",
                        "type": "integer",
                        "minimum": 0,
                        "maximum": 4294967295u64
                    },
                    "need_after": key("Every case that has gone past this stage describes its need: a stage key.")
                }
            },
            "reports": {
                "description": "How reports describe this repository.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "as_of": local_date("The day reports describe unless --as-of names another (summary, program show, network report, maturity report, and the end of the digest's window), for a portfolio that is archived or a demo: a TOML local date. Reports made with it say so.")
                }
            },
            "goals": {
                "description": "The sluice's targets, each a number of cases over the portfolio's life to the report's day; `summary` and `kpi` show progress against each.",
                "type": "object",
                "additionalProperties": false,
                "dependencies": { "tested": ["tested_stage"] },
                "properties": {
                    "ideas": { "description": "Ideas received (cases registered).", "type": "integer", "minimum": 0, "maximum": 4294967295u64 },
                    "tested": { "description": "Cases that reached tested_stage or a later stage.", "type": "integer", "minimum": 0, "maximum": 4294967295u64 },
                    "tested_stage": key("The stage that counts as tested: a stage key."),
                    "implemented": { "description": "Cases closed as implemented in the organisation's own work.", "type": "integer", "minimum": 0, "maximum": 4294967295u64 },
                    "handed_over": { "description": "Cases closed as handed over to another organisation.", "type": "integer", "minimum": 0, "maximum": 4294967295u64 }
                }
            },
            "benefits": {
                "description": "How benefits are valued.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "hourly_cost": { "description": "Kronor per working hour: with it, hours saved are also counted in kronor; without it, hours stay hours.", "type": "number", "exclusiveMinimum": 0 }
                }
            },
            "git": {
                "description": "How sluss works with git.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "auto_commit": {
                        "description": "Every write command commits the file it changed, as --commit does.",
                        "type": "boolean",
                        "default": false
                    }
                }
            },
            "digest": {
                "description": "What the newsletter (`sluss digest`) says around its news. A text left out takes the default in the sluice's language; {name} and {period} in a text become the portfolio's name and the period (\"april–juni 2020\").",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "intro": text("The paragraph that opens the newsletter; a blank line starts another paragraph."),
                    "closing": text("The paragraph that ends it, before the contact line."),
                    "contact": text("The last line: whom to tell about an idea (\"Har du en idé? Kontakta Anna Berg, anna.berg@kommun.se\")."),
                    "template": {
                        "description": "A text file inside the repository, relative to sluss.toml (\"digest.txt\"): its text before a line {news} is the introduction and after it the closing, which then holds the contact line too. intro, closing and contact set beside it win over it.",
                        "type": "string",
                        "pattern": "\\S"
                    }
                }
            },
            "csv": {
                "description": "How every CSV sluss writes is laid out.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "dialect": {
                        "description": "standard: RFC 4180 (commas, decimal points, no byte-order mark); excel: a UTF-8 byte-order mark, semicolons and decimal commas, so that Excel in Swedish opens it right. `--csv-dialect` overrides it.",
                        "enum": ["standard", "excel"],
                        "default": "standard"
                    }
                }
            },
            "privacy": {
                "description": "What `sluss forget` keeps so that `sluss check` notices a forgotten name that comes back: salted digests, never the names.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "salt": text("This repository's salt for the digests (hex), written by the first `sluss forget` from the portfolio's name."),
                    "forgotten": {
                        "description": "sha256:<hex> of the salt, a colon and each forgotten name or contact detail, normalised as the name matcher reads it (NFC, lower case, invisible characters dropped, whitespace, dashes or a lone . or _ between words as one space).",
                        "type": "array",
                        "items": { "type": "string", "pattern": "^sha256:[0-9a-f]{64}$" }
                    }
                }
            },
            "maturity": {
                "description": "The innovation-maturity self-assessment: its scale and questions (`sluss maturity`).",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "scale": {
                        "description": "The lowest and the highest score.",
                        "type": "array",
                        "items": { "type": "integer" },
                        "minItems": 2,
                        "maxItems": 2,
                        "default": [1, 5]
                    },
                    "questions": {
                        "description": "The statements each unit scores itself on.",
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["key", "text"],
                            "properties": {
                                "key": key("What assessment files store for this question."),
                                "text": text("The statement people score.")
                            }
                        }
                    }
                }
            }
        },
        "definitions": {
            "stage": {
                "type": "object",
                "required": ["key", "name"],
                "properties": {
                    "key": key("What case files store for this stage."),
                    "name": text("The label people see."),
                    "wip": {
                        "description": "A work-in-progress limit: how many open cases the stage should hold at most. `sluss board` shows it beside the count and marks a stage over it.",
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 4294967295u64
                    },
                    "gate": {
                        "description": "What a case must have before it may enter this stage.",
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "coach": {
                                "description": "A coach is assigned.",
                                "type": "boolean",
                                "default": false
                            },
                            "need": {
                                "description": "description.need is filled in.",
                                "type": "boolean",
                                "default": false
                            },
                            "idea": {
                                "description": "description.idea is filled in.",
                                "type": "boolean",
                                "default": false
                            },
                            "min_sessions": {
                                "description": "At least this many coaching sessions are logged.",
                                "type": "integer",
                                "minimum": 0,
                                "maximum": 4294967295u64,
                                "default": 0
                            }
                        }
                    }
                }
            },
            "coach": {
                "type": "object",
                "required": ["key", "name"],
                "properties": {
                    "key": key("What case files store for this coach."),
                    "name": text("The coach's name."),
                    "consent": {
                        "description": "May this coach be named in published output (--public reports)?",
                        "type": "boolean",
                        "default": false
                    },
                    "active": {
                        "description": "false for a coach who has left (`sluss coach retire KEY`): kept in history and reports, refused by assign and session.",
                        "type": "boolean",
                        "default": true
                    }
                }
            },
            "program": {
                "type": "object",
                "required": ["key", "name"],
                "properties": {
                    "key": key("What case files store for this program."),
                    "name": text("The program's name."),
                    "start": local_date("The first day: a TOML local date."),
                    "end": local_date("The last day: a TOML local date.")
                }
            },
            "unit": {
                "type": "object",
                "required": ["key", "name"],
                "additionalProperties": false,
                "properties": {
                    "key": key("A short key for the unit: `sluss new --unit` takes it as well as the name."),
                    "name": text("The unit's name: what case files store as unit."),
                    "headcount": {
                        "description": "How many people work in the unit.",
                        "type": "integer",
                        "minimum": 1,
                        "maximum": 4294967295u64
                    }
                }
            }
        }
    })
}

/// The schema of a partner-network member, `network/<key>.toml`.
pub fn network_schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "sluss partner-network member",
        "description": "One organisation of the partner network, kept as network/<key>.toml. Cases name it in partners. Rules a schema cannot express, which `sluss check` applies: the key matches the file name and no other member's key; joined and left are not in the future, and left is not before joined. A date may also be written as a quoted string: a schema sees both alike, and so does sluss.",
        "type": "object",
        "required": ["key", "organisation", "kind", "joined"],
        "properties": {
            "key": key("What cases store in partners; the file is named after it."),
            "organisation": non_blank("The organisation's name."),
            "kind": {
                "description": "company, research (universities, institutes), public (municipalities, regions, agencies) or civic (associations, the voluntary sector).",
                "type": "string",
                "enum": ["company", "research", "public", "civic"]
            },
            "joined": local_date("The day it joined the network: a TOML local date."),
            "left": local_date("The day it left the network, if it has: a TOML local date."),
            "contact": {
                "description": "The contact person: personal data, named in published output only with consent = true. A forgotten person (`sluss forget`) leaves forgotten = true and no name.",
                "type": "object",
                "allOf": [named_unless_forgotten()],
                "properties": {
                    "name": non_blank("The contact person's name."),
                    "forgotten": {
                        "description": "The person was forgotten: their name and contact are gone.",
                        "type": "boolean"
                    },
                    "email": text("An e-mail address."),
                    "phone": text("A telephone number."),
                    "consent": {
                        "description": "May this person be named in published reports?",
                        "type": "boolean",
                        "default": false
                    }
                }
            }
        }
    })
}

/// The schema of an innovation program's participants, `programs/<key>.toml`.
pub fn program_schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "sluss program participants",
        "description": "The participants (people or teams) of one innovation program, kept as programs/<key>.toml. Rules a schema cannot express, which `sluss check` applies: program is a program key defined in sluss.toml and matches the file name.",
        "type": "object",
        "required": ["program"],
        "properties": {
            "program": key("The program: a program key from sluss.toml; the file is named after it."),
            "participants": {
                "description": "The people and teams taking part.",
                "type": "array",
                "items": {
                    "description": "Personal data: named in published output only with consent = true.",
                    "type": "object",
                    "required": ["kind"],
                    "allOf": [named_unless_forgotten()],
                    "properties": {
                        "name": non_blank("The person's or team's name."),
                        "forgotten": {
                            "description": "The person was forgotten (`sluss forget`): their name and contact are gone.",
                            "type": "boolean"
                        },
                        "unit": text("The organisational unit they come from."),
                        "kind": {
                            "description": "A person or a team.",
                            "type": "string",
                            "enum": ["person", "team"]
                        },
                        "consent": {
                            "description": "May they be named in published reports?",
                            "type": "boolean",
                            "default": false
                        },
                        "contact": text("An e-mail address or telephone number.")
                    }
                }
            }
        }
    })
}

/// The schema of a maturity self-assessment, `maturity/<date>-<unit>.toml`.
pub fn maturity_schema() -> Value {
    json!({
        "$schema": DRAFT,
        "title": "sluss maturity self-assessment",
        "description": "One unit's innovation-maturity self-assessment on one day, kept as maturity/<date>-<unit>.toml. It names no people. Rules a schema cannot express, which `sluss check` applies: every score's key is a question of [maturity] in sluss.toml and its score lies within the scale; the date is not in the future; no other file assesses the same unit on the same day. A date may also be written as a quoted string: a schema sees both alike, and so does sluss.",
        "type": "object",
        "required": ["date", "unit", "scores"],
        "properties": {
            "date": local_date("The day of the assessment: a TOML local date."),
            "unit": non_blank("The organisational unit that assessed itself, spelled as in cases."),
            "respondents": {
                "description": "How many people answered.",
                "type": "integer",
                "minimum": 1,
                "maximum": 4294967295u64
            },
            "note": text("Free text about the assessment; no names."),
            "scores": {
                "description": "Question key (from [maturity] in sluss.toml) to score, within the scale. A question left out was not answered.",
                "type": "object",
                "minProperties": 1,
                "additionalProperties": { "type": "integer" }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_keys_follow_the_spec() {
        let case = case_schema();
        assert_eq!(
            case["required"],
            json!(["id", "title", "created", "stage", "status"])
        );
        assert_eq!(case["properties"]["created"]["format"], "date-time");
        assert_eq!(
            case["definitions"]["session"]["properties"]["date"]["format"],
            "date"
        );
        assert_eq!(config_schema()["required"], json!(["name", "stages"]));
    }

    #[test]
    fn the_enums_are_the_domain_enums() {
        use crate::domain::{Outcome, Status};
        let case = case_schema();
        let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(case["properties"]["status"]["enum"], json!(statuses));
        assert_eq!(case["properties"]["outcome"]["enum"], json!(outcomes));
    }

    #[test]
    fn every_reference_resolves() {
        fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r);
                    }
                    m.values().for_each(|x| refs(x, out));
                }
                Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
                _ => {}
            }
        }
        for (_, schema) in all() {
            let mut found = Vec::new();
            refs(&schema, &mut found);
            for r in found {
                let pointer = r.strip_prefix('#').expect("a local reference");
                assert!(schema.pointer(pointer).is_some(), "{r} does not resolve");
            }
        }
    }
}
