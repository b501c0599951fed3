//! Per-respondent ridge regression from a (question, option) embedding to the option's logit,
//! fitted on the respondent's context questions alone (kernel form: n ≤ a few hundred options).
//! The regularisation strength is chosen on the validation respondents.
//!
//! With a `base` population it fits the respondent's *departure* from the population instead
//! (its log-probabilities minus the log prior) and adds that to the log prior of each target —
//! for a new question, the prior estimated from its text.

use super::run::{Fold, Method, validation_select};
use crate::data::Survey;
use crate::embed::TaskEmbeddings;
use crate::model::Population;
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};
use crate::util::linalg::{cholesky_solve, dot, softmax};

/// Probability floor before taking logs of the targets.
const FLOOR: f64 = 0.01;
pub const LAMBDAS: [f64; 4] = [0.1, 1.0, 10.0, 100.0];

pub struct Ridge<'a> {
    pub embeddings: &'a TaskEmbeddings,
    pub lambda: f64,
    pub base: Option<&'a Population>,
}

impl Ridge<'_> {
    /// The log of the base prior of an embedding row (0 without a base).
    fn log_base(&self, row: usize) -> f64 {
        self.base.map_or(0.0, |p| (p.features(row)[0] as f64).max(FLOOR).ln())
    }

    fn predict_episode(&self, survey: &Survey, episode: &Episode) -> Vec<Vec<f32>> {
        let e = self.embeddings;
        let respondent = &survey.respondents[episode.respondent];
        // Training rows: every option of every context question; targets: centred log-probs.
        let mut rows: Vec<usize> = Vec::new();
        let mut targets: Vec<f64> = Vec::new();
        for &q in &episode.context {
            let probs = &respondent.answer(q).expect("context is answered").probs;
            let logs: Vec<f64> = probs
                .iter()
                .enumerate()
                .map(|(o, &p)| (p as f64).max(FLOOR).ln() - self.log_base(e.offsets[q] + o))
                .collect();
            let mean = logs.iter().sum::<f64>() / logs.len() as f64;
            for (o, l) in logs.iter().enumerate() {
                rows.push(e.offsets[q] + o);
                targets.push(l - mean);
            }
        }
        let n = rows.len();
        let mut gram = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let k = dot(e.row(rows[i]), e.row(rows[j]));
                gram[i * n + j] = k;
                gram[j * n + i] = k;
            }
            gram[i * n + i] += self.lambda;
        }
        let alpha = cholesky_solve(&gram, &targets, n).unwrap_or_else(|| vec![0.0; n]);
        // Primal weights w = Xᵀα: each target option is then one dot product.
        let mut w = vec![0.0f64; e.dim];
        for (&r, a) in rows.iter().zip(&alpha) {
            for (wi, x) in w.iter_mut().zip(e.row(r)) {
                *wi += a * *x as f64;
            }
        }
        episode
            .targets
            .iter()
            .map(|&q| {
                let logits: Vec<f64> = (0..e.options(q))
                    .map(|o| {
                        let shift: f64 = w.iter().zip(e.option(q, o)).map(|(wi, x)| wi * *x as f64).sum();
                        self.log_base(e.offsets[q] + o) + shift
                    })
                    .collect();
                softmax(&logits)
            })
            .collect()
    }
}

impl Predictor for Ridge<'_> {
    fn name(&self) -> String {
        format!("ridge(λ={})", self.lambda)
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes.iter().map(|e| self.predict_episode(survey, e)).collect())
    }
}

pub struct RidgeMethod<'a> {
    pub embeddings: &'a TaskEmbeddings,
    pub base: Option<&'a Population>,
}

impl Method for RidgeMethod<'_> {
    fn name(&self) -> String {
        if self.base.is_some() { "prior+ridge".into() } else { "ridge".into() }
    }

    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        let candidates: Vec<Ridge> =
            LAMBDAS.iter().map(|&lambda| Ridge { embeddings: self.embeddings, lambda, base: self.base }).collect();
        let best = validation_select(fold, candidates)?;
        Ok(Box::new(best))
    }
}
