//! The text map the project used before the kernel map (`model::prior_map`), kept as a baseline
//! for new questions: a linear ridge regression from an option's embedding, centred on its
//! question's mean, to its centred log prior, fitted on the questions with a known prior, its
//! strength chosen by cross-validation over question folds. The same for everyone.

use super::new_questions::row_estimates;
use crate::data::Survey;
use crate::embed::TaskEmbeddings;
use crate::model::Population;
use crate::model::prior_map::{LOG_FLOOR, QUESTION_FOLDS};
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};
use crate::util::linalg::{cholesky_solve, dot, softmax};

pub const LAMBDAS: [f64; 5] = [0.03, 0.1, 0.3, 1.0, 3.0];

pub struct LinearTextPrior {
    /// Per embedding row, the estimate: out of fold for known questions, from the full fit else.
    estimated: Vec<f32>,
    offsets: Vec<usize>,
}

/// A question's option rows centred on their mean (`options × dim`), in f64.
fn centred(embeddings: &TaskEmbeddings, q: usize) -> Vec<Vec<f64>> {
    let n = embeddings.options(q);
    let mut mean = vec![0.0; embeddings.dim];
    (0..n).for_each(|o| mean.iter_mut().zip(embeddings.option(q, o)).for_each(|(m, v)| *m += *v as f64 / n as f64));
    (0..n).map(|o| embeddings.option(q, o).iter().zip(&mean).map(|(v, m)| *v as f64 - m).collect()).collect()
}

fn fit(embeddings: &TaskEmbeddings, population: &Population, questions: &[usize], lambda: f64) -> Vec<f32> {
    let dim = embeddings.dim;
    let (mut xtx, mut xty) = (vec![0.0; dim * dim], vec![0.0; dim]);
    for &q in questions {
        let rows = embeddings.offsets[q]..embeddings.offsets[q + 1];
        let logs: Vec<f64> = population.probs[rows].iter().map(|p| (*p as f64).max(LOG_FLOOR).ln()).collect();
        let mean = logs.iter().sum::<f64>() / logs.len() as f64;
        for (x, l) in centred(embeddings, q).iter().zip(&logs) {
            for i in 0..dim {
                xty[i] += x[i] * (l - mean);
                xtx[i * dim..(i + 1) * dim].iter_mut().zip(x).for_each(|(a, xj)| *a += x[i] * xj);
            }
        }
    }
    (0..dim).for_each(|i| xtx[i * dim + i] += lambda);
    cholesky_solve(&xtx, &xty, dim).unwrap_or_else(|| vec![0.0; dim]).iter().map(|w| *w as f32).collect()
}

fn estimate(embeddings: &TaskEmbeddings, q: usize, weights: &[f32]) -> Vec<f32> {
    let logits: Vec<f64> = (0..embeddings.options(q)).map(|o| dot(embeddings.option(q, o), weights)).collect();
    softmax(&logits)
}

impl LinearTextPrior {
    /// Fits on the questions whose prior `population` knows.
    pub fn fit(embeddings: &TaskEmbeddings, population: &Population) -> Self {
        let offsets = &embeddings.offsets;
        let questions = offsets.len() - 1;
        let known: Vec<usize> =
            (0..questions).filter(|&q| population.known[offsets[q]] && embeddings.options(q) > 1).collect();
        let fold = |i: usize| i % QUESTION_FOLDS;
        // Out-of-fold estimates per λ, scored by the log-likelihood of the known priors.
        let mut best: Option<(f64, f64, Vec<f32>)> = None;
        for &lambda in &LAMBDAS {
            let mut estimated = vec![0.0f32; *offsets.last().unwrap_or(&0)];
            let mut loglik = 0.0;
            for f in 0..QUESTION_FOLDS {
                let inside: Vec<usize> =
                    known.iter().enumerate().filter(|(i, _)| fold(*i) != f).map(|(_, q)| *q).collect();
                let weights = fit(embeddings, population, &inside, lambda);
                for (_, &q) in known.iter().enumerate().filter(|(i, _)| fold(*i) == f) {
                    let e = estimate(embeddings, q, &weights);
                    let truth = &population.probs[offsets[q]..offsets[q + 1]];
                    loglik +=
                        truth.iter().zip(&e).map(|(p, e)| *p as f64 * (*e as f64).max(LOG_FLOOR).ln()).sum::<f64>();
                    estimated[offsets[q]..offsets[q + 1]].copy_from_slice(&e);
                }
            }
            if best.as_ref().is_none_or(|(score, _, _)| loglik > *score) {
                best = Some((loglik, lambda, estimated));
            }
        }
        let (_, lambda, mut estimated) = best.expect("a λ");
        let weights = fit(embeddings, population, &known, lambda);
        for q in (0..questions).filter(|q| !known.contains(q)) {
            estimated[offsets[q]..offsets[q + 1]].copy_from_slice(&estimate(embeddings, q, &weights));
        }
        Self { estimated, offsets: offsets.clone() }
    }
}

impl Predictor for LinearTextPrior {
    fn name(&self) -> String {
        "linear-text-prior".into()
    }

    fn predict(&self, _survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(row_estimates(&self.estimated, &self.offsets, episodes))
    }
}
