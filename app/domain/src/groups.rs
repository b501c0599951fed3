//! Every group's predicted answer to one of the person's questions, as the editor shows it.

use crate::answers::Forecast;

/// Context sizes the slider offers (`None`: all of a group's answers).
pub const CONTEXT_SIZES: [Option<usize>; 7] = [Some(5), Some(10), Some(20), Some(50), Some(100), Some(200), None];
/// The slider's start: the size GPO was validated with in training.
pub const DEFAULT_CONTEXT: usize = 2;

pub fn context_label(size: Option<usize>) -> String {
    match size {
        Some(n) => format!("{n} answers per group"),
        None => "all of each group's answers".into(),
    }
}

/// One group's predicted distribution on the selected question.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupForecast {
    pub name: String,
    pub label: String,
    /// Real answers GPO read as context.
    pub context: usize,
    pub forecast: Option<Forecast>,
}

/// The person's own predicted answer, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum YouForecast {
    Predicted { forecast: Forecast, answers: usize, survey: String },
    Missing(String),
}

/// A survey question like the custom one, by the text map's similarity (0–1): what its
/// estimated prior and loadings drew on.
#[derive(Clone, Debug, PartialEq)]
pub struct SimilarQuestion {
    pub text: String,
    pub similarity: f64,
}

/// Predictions of one custom question for every group of one survey.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPredictions {
    pub task: String,
    pub key: String,
    /// The survey's questions most like this one, most alike first.
    pub similar: Vec<SimilarQuestion>,
    pub context_size: Option<usize>,
    pub groups: Vec<GroupForecast>,
    pub you: Option<YouForecast>,
    /// Every group predicted (a large context is predicted a few groups at a time).
    pub complete: bool,
}
