//! Maturity self-assessments on disk: one file per assessment in `maturity/`, created
//! atomically and never overwritten.

use std::path::{Path, PathBuf};

use crate::domain::datetime::local_date_to_toml;
use crate::domain::maturity::{Assessment, MaturitySettings};
use crate::storage::Repo;
use crate::storage::records::BrokenFile;
use crate::storage::write;
use crate::{Error, Result};

/// The folder of a repository that holds the assessments.
pub const MATURITY_DIR: &str = "maturity";

/// An assessment read from its file.
#[derive(Debug, Clone)]
pub struct LoadedAssessment {
    pub path: PathBuf,
    pub assessment: Assessment,
}

/// Every assessment that could be read, in file-name order, and the files that could
/// not.
#[derive(Debug, Default)]
pub struct Assessments {
    pub loaded: Vec<LoadedAssessment>,
    pub broken: Vec<BrokenFile>,
}

impl Repo {
    pub fn maturity_dir(&self) -> PathBuf {
        self.root.join(MATURITY_DIR)
    }

    /// The assessment files, sorted by name; hidden files (a writer's temporary files)
    /// and anything that is not `.toml` are left out.
    pub fn maturity_files(&self) -> Result<Vec<PathBuf>> {
        self.toml_files(&self.maturity_dir())
    }

    /// Reads every assessment. A broken file does not stop the others.
    pub fn load_assessments(&self) -> Result<Assessments> {
        let mut all = Assessments::default();
        for path in self.maturity_files()? {
            match self
                .read_text(&path)
                .and_then(|text| parse_assessment(&path, &text))
            {
                Ok(assessment) => all.loaded.push(LoadedAssessment { path, assessment }),
                Err(error) => all.broken.push(BrokenFile { path, error }),
            }
        }
        Ok(all)
    }

    /// Writes a new assessment as `maturity/<date>-<unit-slug>.toml`. Refuses a second
    /// assessment of the same unit on the same day, whatever its file is called; the
    /// check and the write happen under one lock, so two people recording at once cannot
    /// both get in.
    pub fn create_assessment(
        &self,
        assessment: &Assessment,
        settings: &MaturitySettings,
    ) -> Result<PathBuf> {
        self.ensure_state_dir()?;
        let dir = self.maturity_dir();
        // The folder's lock, for the check over every assessment, and then the file's own.
        let _lock = self.lock(&dir)?;
        let same =
            |a: &Assessment| a.date == assessment.date && a.unit.trim() == assessment.unit.trim();
        let existing = self.load_assessments()?;
        // Another unit whose name folds to the same slug may hold the usual name.
        let path = [assessment.file_name(), assessment.distinct_file_name()]
            .into_iter()
            .map(|name| dir.join(name))
            .find(|path| !path.exists())
            .unwrap_or_else(|| dir.join(assessment.file_name()));
        let taken = existing
            .loaded
            .iter()
            .find(|l| same(&l.assessment))
            .map(|l| l.path.clone())
            .or_else(|| path.exists().then(|| path.clone()));
        if let Some(taken) = taken {
            let shown = taken.strip_prefix(&self.root).unwrap_or(&taken);
            return Err(Error::refused(
                format!(
                    "{} already has an assessment on {}: {}",
                    assessment.unit,
                    assessment.date,
                    shown.display()
                ),
                "edit that file to change its scores, or record this one with another --date",
            ));
        }
        self.guard_write(&path)?;
        let _file_lock = self.lock(&path)?;
        self.create_dir_all(&dir)?;
        self.create_file(&path, render_assessment(assessment, settings).as_bytes())?;
        write::sweep_stale_temp_files(&dir);
        Ok(path)
    }
}

/// Parses an assessment file's text, locating any error by line and column.
pub fn parse_assessment(path: &Path, text: &str) -> Result<Assessment> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    if body.trim().is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "the file is empty".to_string(),
        });
    }
    Assessment::from_toml(body).map_err(|e| Error::syntax(path, body, e.span(), e.message()))
}

/// The text of a new assessment: its schema directive, then date, unit, respondents and
/// note, then the scores in the order of the questions (any others after them).
pub fn render_assessment(a: &Assessment, settings: &MaturitySettings) -> String {
    let mut doc = toml_edit::DocumentMut::new();
    doc.insert("date", toml_edit::value(local_date_to_toml(a.date)));
    if let Some(mut date) = doc.key_mut("date") {
        date.leaf_decor_mut()
            .set_prefix(format!("{}\n", crate::schema::MATURITY_DIRECTIVE));
    }
    doc.insert("unit", toml_edit::value(a.unit.as_str()));
    if let Some(n) = a.respondents {
        doc.insert("respondents", toml_edit::value(i64::from(n)));
    }
    if let Some(note) = &a.note {
        doc.insert("note", toml_edit::value(note.as_str()));
    }
    let mut scores = toml_edit::Table::new();
    for q in &settings.questions {
        if let Some(score) = a.scores.get(&q.key) {
            scores.insert(&q.key, toml_edit::value(*score));
        }
    }
    for (key, score) in &a.scores {
        if settings.question(key).is_none() {
            scores.insert(key, toml_edit::value(*score));
        }
    }
    doc.insert("scores", toml_edit::Item::Table(scores));
    doc.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::maturity::Question;

    #[test]
    fn a_new_assessment_reads_back_the_same() {
        let settings = MaturitySettings {
            scale: [1, 5],
            questions: ["ledning", "tid", "ideer"]
                .iter()
                .map(|k| Question {
                    key: k.to_string(),
                    text: format!("Fråga {k}"),
                })
                .collect(),
        };
        let a = Assessment {
            date: chrono::NaiveDate::from_ymd_opt(2019, 3, 14).unwrap(),
            unit: "Vård och omsorg".into(),
            respondents: Some(12),
            note: Some("Workshop med \"hela\" ledningsgruppen".into()),
            scores: [("tid".to_string(), 2), ("ledning".to_string(), 4)]
                .into_iter()
                .collect(),
        };
        let text = render_assessment(&a, &settings);
        assert_eq!(
            text,
            "#:schema ../schemas/maturity.schema.json\ndate = 2019-03-14\nunit = \"Vård och omsorg\"\nrespondents = 12\nnote = 'Workshop med \"hela\" ledningsgruppen'\n\n[scores]\nledning = 4\ntid = 2\n"
        );
        assert_eq!(parse_assessment(Path::new("x.toml"), &text).unwrap(), a);
    }
}
