//! Scoring a predictor on episodes: pooled over (respondent, target question) pairs.

use serde::{Deserialize, Serialize};

use super::metrics::{Metric, MetricError, score_pair};
use super::protocol::{Episode, ProtocolError};
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
    let metric = Metric::for_task(survey.task);
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
    if pairs == 0 {
        return Err(EvalError::Predictor { method: "score".into(), message: "no scorable pair".into() });
    }
    Ok(Score {
        value: total / pairs as f64,
        loglik: (metric == Metric::Accuracy).then(|| loglik / pairs as f64),
        pairs,
        skipped,
    })
}

/// Predicts and scores in one go.
pub fn evaluate(survey: &Survey, episodes: &[Episode], predictor: &dyn Predictor) -> Result<Score, EvalError> {
    let predictions = predictor.predict(survey, episodes)?;
    if predictions.len() != episodes.len() {
        return Err(EvalError::Predictor {
            method: predictor.name(),
            message: format!("{} predictions for {} episodes", predictions.len(), episodes.len()),
        });
    }
    score_episodes(survey, episodes, &predictions)
}
