//! Scoring a predictor on episodes: pooled over (respondent, target question) pairs.

use serde::{Deserialize, Serialize};

use super::metrics::{Metric, MetricError, score_pair};
use super::{Episode, ProtocolError};
use crate::data::Survey;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    Metric(#[from] MetricError),
    #[error(transparent)]
    Protocol(#[from] ProtocolError),
    #[error("{method}: {message}")]
    Predictor { method: String, message: String },
}

/// Anything that predicts a respondent's target distributions from its context answers.
pub trait Predictor {
    fn name(&self) -> String;

    /// For each episode, one distribution per target question (in `episode.targets` order).
    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError>;
}

/// A pooled score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Mean over scored (respondent, question) pairs.
    pub value: f64,
    /// Mean log-likelihood of the chosen option (individuals only).
    pub loglik: Option<f64>,
    pub pairs: usize,
    /// Pairs not scored (maxWD = 0).
    pub skipped: usize,
}

/// Scores `predictions` (as returned by a [`Predictor`]) against the truth.
pub fn score_episodes(
    survey: &Survey,
    episodes: &[Episode],
    predictions: &[Vec<Vec<f32>>],
) -> Result<Score, EvalError> {
    tally(survey, episodes, predictions)?
        .ok_or_else(|| EvalError::Predictor { method: "score".into(), message: "no scorable pair".into() })
}

/// Scores each episode on its own (one respondent each): `None` where none of its pairs is
/// scorable (every target has maxWD = 0).
pub fn score_each(
    survey: &Survey,
    episodes: &[Episode],
    predictions: &[Vec<Vec<f32>>],
) -> Result<Vec<Option<Score>>, EvalError> {
    episodes
        .iter()
        .zip(predictions)
        .map(|(episode, predicted)| tally(survey, std::slice::from_ref(episode), std::slice::from_ref(predicted)))
        .collect()
}

/// The pooled score; `None` when no pair is scorable.
fn tally(survey: &Survey, episodes: &[Episode], predictions: &[Vec<Vec<f32>>]) -> Result<Option<Score>, EvalError> {
    let metric = Metric::for_survey(&survey.info);
    let (mut total, mut loglik, mut pairs, mut skipped) = (0.0, 0.0, 0usize, 0usize);
    for (episode, predicted) in episodes.iter().zip(predictions) {
        let respondent = &survey.respondents[episode.respondent];
        if predicted.len() != episode.targets.len() {
            return Err(EvalError::Predictor {
                method: "score".into(),
                message: format!("{} predictions for {} targets", predicted.len(), episode.targets.len()),
            });
        }
        for (&question, probs) in episode.targets.iter().zip(predicted) {
            let truth = &respondent.answer(question).expect("targets are answered questions").probs;
            match score_pair(metric, &survey.questions[question], probs, truth)? {
                Some(score) => {
                    total += score.value;
                    loglik += score.loglik.unwrap_or(0.0);
                    pairs += 1;
                }
                None => skipped += 1,
            }
        }
    }
    Ok((pairs > 0).then(|| Score {
        value: total / pairs as f64,
        loglik: (metric == Metric::Accuracy).then(|| loglik / pairs as f64),
        pairs,
        skipped,
    }))
}

/// Predicts and scores in one go.
pub fn evaluate(survey: &Survey, episodes: &[Episode], predictor: &dyn Predictor) -> Result<Score, EvalError> {
    score_episodes(survey, episodes, &predict(survey, episodes, predictor)?)
}

/// The predictor's distributions for every episode, checked to be one per episode.
pub fn predict(
    survey: &Survey,
    episodes: &[Episode],
    predictor: &dyn Predictor,
) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
    let predictions = predictor.predict(survey, episodes)?;
    if predictions.len() != episodes.len() {
        return Err(EvalError::Predictor {
            method: predictor.name(),
            message: format!("{} predictions for {} episodes", predictions.len(), episodes.len()),
        });
    }
    Ok(predictions)
}
