//! The gpo survey format (docs/FORMATS.md): a folder with `survey.json`, `questions.csv`,
//! `answers.csv` and optionally `respondents.csv`. The built-in corpora are written in it by
//! `gpo data import`, and every command reads a folder in it with `--survey PATH`.
//!
//! Reading collects every problem (file, line, field) instead of stopping at the first, so
//! `gpo data check` can list them all; a survey with any problem is not loaded.

mod answers_file;
mod csv_table;
mod manifest;
mod read;
mod write;

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;

pub use answers_file::{SKIPPED_UNKNOWN, read_answers_file};
pub use manifest::{
    ANSWERS_FILE, FORMAT_VERSION, MANIFEST_FILE, Manifest, QUESTIONS_FILE, RESPONDENTS_FILE, RespondentsDeclared,
};
pub use read::check_survey;
pub use write::write_survey;

use std::path::Path;

use super::{DataError, Survey};

/// Reads a survey folder; any problem is an error naming the first (and how many more).
pub fn read_survey(dir: &Path) -> Result<Survey, DataError> {
    check_survey(dir).map_err(DataError::Survey)
}
