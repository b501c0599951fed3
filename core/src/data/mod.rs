//! Data: the three real survey sources and survey folders in the gpo survey format
//! (docs/FORMATS.md), loaded into one canonical [`Survey`] type.

mod error;
pub mod format;
#[cfg(test)]
mod fuzz;
pub mod gd4;
pub mod goqa;
mod info_row;
pub mod opinionqa;
mod paths;
pub mod pylit;
pub mod religion;
mod stats;
mod survey;

use std::path::Path;

pub use error::{DataError, Problem};
pub use paths::{DATA_ENV, resolve_data_dir};
pub use stats::{SurveyStats, survey_stats};
pub use survey::{
    Answer, ContextOrder, LoadReport, Question, Respondent, RespondentKind, Scoring, Survey, SurveyInfo, Task,
    normalise,
};

/// Which OpinionQA questions to keep.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QuestionSubset {
    #[default]
    All,
    /// The 500 high-disagreement questions the GPO paper evaluates on.
    Disagreement500,
}

/// Which respondents to keep.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RespondentSelection {
    #[default]
    All,
    /// The GPO paper's 22 OpinionQA groups.
    Paper22,
    Named(Vec<String>),
}

/// How to load a task.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    pub questions: QuestionSubset,
    pub respondents: RespondentSelection,
}

/// Loads one task's survey from the data folder.
pub fn load_task(task: Task, data: &Path, options: &LoadOptions) -> Result<Survey, DataError> {
    let survey = match task {
        Task::Oqa => opinionqa::load_opinionqa(data)?,
        Task::Goqa => goqa::load_goqa(data)?,
        Task::Gd4 => gd4::load_gd4(data)?,
    };
    select(survey, Some(task), data, options)
}

/// Loads a survey folder (docs/FORMATS.md) with the same selection as a task.
pub fn load_survey_dir(dir: &Path, options: &LoadOptions) -> Result<Survey, DataError> {
    let survey = format::read_survey(dir)?;
    select(survey, None, dir, options)
}

/// Applies the question subset and respondent selection (the paper's subsets exist for the
/// built-in OpinionQA task only).
fn select(mut survey: Survey, task: Option<Task>, data: &Path, options: &LoadOptions) -> Result<Survey, DataError> {
    let name = survey.info.id.clone();
    if options.questions == QuestionSubset::Disagreement500 {
        if task != Some(Task::Oqa) {
            return Err(DataError::Selection {
                message: format!("the disagreement-500 subset exists only for --task oqa, not {name}"),
            });
        }
        let keys: std::collections::HashSet<String> = opinionqa::disagreement_500_keys(data)?.into_iter().collect();
        let before = survey.questions.len();
        survey.retain_questions(|q| keys.contains(&q.key));
        survey.report.note(format!(
            "disagreement-500 subset: {} of {before} questions kept ({} of the 500 keys have answers)",
            survey.questions.len(),
            survey.questions.len()
        ));
    }
    let names: Option<Vec<String>> = match &options.respondents {
        RespondentSelection::All => None,
        RespondentSelection::Paper22 if task == Some(Task::Oqa) => {
            Some(opinionqa::PAPER_GROUPS.iter().map(|s| s.to_string()).collect())
        }
        RespondentSelection::Paper22 => {
            return Err(DataError::Selection {
                message: format!("the paper's 22 groups exist only for --task oqa, not {name}"),
            });
        }
        RespondentSelection::Named(names) => Some(names.clone()),
    };
    if let Some(names) = names {
        survey.select_respondents(&names)?;
    }
    Ok(survey)
}
