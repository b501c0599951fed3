//! The few-shot curve: the score as the number of context questions grows, for GPO and the
//! baselines, on the test respondents that answered enough questions for the largest context.

use super::run::{Fold, Method};
use crate::data::Survey;
use crate::protocol::score::{EvalError, Predictor, evaluate};
use crate::protocol::{self, Episode};

/// The paper's context sizes.
pub const CONTEXT_SIZES: [usize; 7] = [1, 2, 5, 10, 20, 50, 100];

/// One point of the curve.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    pub method: String,
    pub context: usize,
    pub value: f64,
    pub respondents: usize,
}

/// Test episodes with `context` questions for respondents that can spare `context + 5`.
pub fn curve_episodes(fold: &Fold, context: usize) -> Vec<Episode> {
    let eligible: Vec<usize> =
        fold.split.test.iter().copied().filter(|&r| fold.survey.respondents[r].answers.len() >= context + 5).collect();
    protocol::episodes(fold.survey, &eligible, context, fold.config.seed)
}

/// Scores every predictor at every context size (predictors are built once per fold).
pub fn curve(
    survey: &Survey,
    fold: &Fold,
    predictors: &[(String, &dyn Predictor)],
    sizes: &[usize],
) -> Result<Vec<CurvePoint>, EvalError> {
    let mut points = Vec::new();
    for &context in sizes {
        let episodes = curve_episodes(fold, context);
        if episodes.is_empty() {
            continue;
        }
        for (name, predictor) in predictors {
            let score = evaluate(survey, &episodes, *predictor)?;
            points.push(CurvePoint { method: name.clone(), context, value: score.value, respondents: episodes.len() });
        }
    }
    Ok(points)
}

/// A predictor with its method's name.
pub type Named<'m> = (String, Box<dyn Predictor + 'm>);

/// Builds the baselines of a fold as named predictors.
pub fn build_all<'m>(methods: &'m [&'m dyn Method], fold: &Fold) -> Result<Vec<Named<'m>>, EvalError> {
    methods.iter().map(|m| Ok((m.name(), m.build(fold)?))).collect()
}
