//! The population prior of a question nobody has answered yet, estimated from its options' text:
//! a ridge regression from an option's embedding to its log prior. Within a question only
//! differences between options matter (a softmax), so both sides are centred per question.
//!
//! GPO reads this estimate wherever the real prior is unknown: for a question written in the
//! page's editor, and in training for the questions whose statistics are hidden. There each known
//! question's estimate comes from a fit on the other question folds ("cross-fitted"), so it is
//! as wrong as it will be for a new question, and GPO learns how far to trust it.

use serde::{Deserialize, Serialize};

use crate::embed::TaskEmbeddings;
use crate::util::linalg::cholesky_solve;
use crate::util::rng::Rng;

/// Ridge strengths tried; the one with the best cross-fitted log-likelihood is kept.
pub const LAMBDAS: [f64; 5] = [0.03, 0.1, 0.3, 1.0, 3.0];
/// Question folds of the cross-fit.
pub const QUESTION_FOLDS: usize = 5;
/// Probability floor before taking logs of a prior.
const LOG_FLOOR: f64 = 1e-3;

/// Ridge weights from an option embedding to its (centred) log prior.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriorMap {
    pub weights: Vec<f32>,
    pub lambda: f64,
}

impl PriorMap {
    /// The estimated prior of a question whose options embed as `vectors` (`options × dim`).
    pub fn estimate(&self, vectors: &[f32]) -> Vec<f32> {
        let dim = self.weights.len();
        let logits: Vec<f64> = vectors.chunks_exact(dim).map(|x| dot(x, &self.weights)).collect();
        softmax(&logits)
    }
}

/// What a cross-fit gives: every known question's out-of-fold estimate, and the map fitted on
/// every known question (for questions without a prior).
pub struct CrossFit {
    /// Per embedding row; `None` for rows of questions without a known prior.
    pub estimated: Vec<Option<f32>>,
    pub map: PriorMap,
}

fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum()
}

fn softmax(logits: &[f64]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| (e / total) as f32).collect()
}

/// XᵀX and Xᵀy of the centred rows of some questions.
#[derive(Clone)]
struct Normal {
    xtx: Vec<f64>,
    xty: Vec<f64>,
}

impl Normal {
    fn zero(dim: usize) -> Self {
        Self { xtx: vec![0.0; dim * dim], xty: vec![0.0; dim] }
    }

    fn add_question(&mut self, embeddings: &TaskEmbeddings, question: usize, prior: &[f32]) {
        let dim = embeddings.dim;
        let n = prior.len();
        let mut mean = vec![0.0f64; dim];
        for o in 0..n {
            mean.iter_mut().zip(embeddings.option(question, o)).for_each(|(m, x)| *m += *x as f64 / n as f64);
        }
        let logs: Vec<f64> = prior.iter().map(|p| (*p as f64).max(LOG_FLOOR).ln()).collect();
        let log_mean = logs.iter().sum::<f64>() / n as f64;
        let mut x = vec![0.0f64; dim];
        for (o, log) in logs.iter().enumerate() {
            x.iter_mut().zip(embeddings.option(question, o)).zip(&mean).for_each(|((c, v), m)| *c = *v as f64 - m);
            let y = log - log_mean;
            for i in 0..dim {
                self.xty[i] += x[i] * y;
                let row = &mut self.xtx[i * dim..i * dim + i + 1];
                row.iter_mut().zip(&x[..=i]).for_each(|(a, xj)| *a += x[i] * xj);
            }
        }
    }

    fn minus(&self, other: &Self) -> Self {
        let sub = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x - y).collect();
        Self { xtx: sub(&self.xtx, &other.xtx), xty: sub(&self.xty, &other.xty) }
    }

    fn plus(mut self, other: &Self) -> Self {
        self.xtx.iter_mut().zip(&other.xtx).for_each(|(a, b)| *a += b);
        self.xty.iter_mut().zip(&other.xty).for_each(|(a, b)| *a += b);
        self
    }

    /// Ridge weights (only the lower triangle of XᵀX is accumulated).
    fn solve(&self, dim: usize, lambda: f64) -> Vec<f32> {
        let mut a = self.xtx.clone();
        for i in 0..dim {
            for j in 0..i {
                a[j * dim + i] = a[i * dim + j];
            }
            a[i * dim + i] += lambda;
        }
        cholesky_solve(&a, &self.xty, dim).unwrap_or_else(|| vec![0.0; dim]).iter().map(|w| *w as f32).collect()
    }
}

/// Cross-fits the map on the questions whose prior is known (`priors[q]`), choosing the ridge
/// strength by the out-of-fold log-likelihood of the true priors.
pub fn cross_fit(embeddings: &TaskEmbeddings, priors: &[Option<&[f32]>]) -> CrossFit {
    let dim = embeddings.dim;
    let known: Vec<usize> = (0..priors.len()).filter(|&q| priors[q].is_some_and(|p| p.len() > 1)).collect();
    let mut order = known.clone();
    Rng::derived(0x9_12, &[known.len() as u64]).shuffle(&mut order);
    let folds = QUESTION_FOLDS.min(known.len()).max(1);
    let mut fold_of = vec![usize::MAX; priors.len()];
    order.iter().enumerate().for_each(|(i, &q)| fold_of[q] = i % folds);
    let mut parts = vec![Normal::zero(dim); folds];
    for &q in &known {
        parts[fold_of[q]].add_question(embeddings, q, priors[q].expect("known"));
    }
    let total = parts.iter().fold(Normal::zero(dim), |sum, part| sum.plus(part));
    let rows = *embeddings.offsets.last().unwrap_or(&0);
    let estimate = |weights: &[f32], q: usize| {
        let rows = embeddings.offsets[q]..embeddings.offsets[q + 1];
        PriorMap { weights: weights.to_vec(), lambda: 0.0 }.estimate(&embeddings.data[rows.start * dim..rows.end * dim])
    };
    let mut best: Option<(f64, f64, Vec<Option<f32>>)> = None;
    for &lambda in &LAMBDAS {
        let mut estimated = vec![None; rows];
        let mut loglik = 0.0;
        for (f, part) in parts.iter().enumerate() {
            let weights = if folds > 1 { total.minus(part).solve(dim, lambda) } else { vec![0.0; dim] };
            for &q in known.iter().filter(|&&q| fold_of[q] == f) {
                let e = estimate(&weights, q);
                let prior = priors[q].expect("known");
                loglik += prior.iter().zip(&e).map(|(p, e)| *p as f64 * (*e as f64).max(LOG_FLOOR).ln()).sum::<f64>();
                (embeddings.offsets[q]..).zip(&e).for_each(|(row, v)| estimated[row] = Some(*v));
            }
        }
        if best.as_ref().is_none_or(|(b, _, _)| loglik > *b) {
            best = Some((loglik, lambda, estimated));
        }
    }
    let (_, lambda, estimated) = best.expect("at least one lambda");
    let weights = if known.is_empty() { vec![0.0; dim] } else { total.solve(dim, lambda) };
    CrossFit { estimated, map: PriorMap { weights, lambda } }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Questions whose option embeddings carry the log prior along the first axis.
    fn linear_task(questions: usize) -> (TaskEmbeddings, Vec<Vec<f32>>) {
        let dim = 4;
        let mut rng = Rng::new(3);
        let mut embeddings = TaskEmbeddings { dim, offsets: vec![0], data: Vec::new() };
        let mut priors = Vec::new();
        for _ in 0..questions {
            let logits: Vec<f64> = (0..3).map(|_| rng.unit() * 2.0 - 1.0).collect();
            let vectors: Vec<f32> =
                logits.iter().flat_map(|&l| [l as f32, rng.unit() as f32 * 0.1, 0.3, 0.0]).collect();
            embeddings.push_question(&vectors);
            priors.push(softmax(&logits));
        }
        (embeddings, priors)
    }

    #[test]
    fn recovers_a_linear_prior_out_of_fold() {
        let (embeddings, priors) = linear_task(60);
        let known: Vec<Option<&[f32]>> = priors.iter().map(|p| Some(p.as_slice())).collect();
        let fit = cross_fit(&embeddings, &known);
        assert_eq!(fit.map.lambda, LAMBDAS[0], "noise-free data wants the weakest ridge");
        for (q, prior) in priors.iter().enumerate() {
            for (o, p) in prior.iter().enumerate() {
                let e = fit.estimated[embeddings.offsets[q] + o].expect("known question");
                assert!((e - p).abs() < 0.02, "question {q} option {o}: {e} vs {p}");
            }
        }
        // A new question, from the full fit.
        let new = fit.map.estimate(&[1.0, 0.0, 0.3, 0.0, -1.0, 0.0, 0.3, 0.0]);
        let truth = softmax(&[1.0, -1.0]);
        assert!((new[0] - truth[0]).abs() < 0.02, "{new:?} vs {truth:?}");
    }

    #[test]
    fn unknown_questions_get_no_out_of_fold_estimate() {
        let (embeddings, priors) = linear_task(12);
        let mut known: Vec<Option<&[f32]>> = priors.iter().map(|p| Some(p.as_slice())).collect();
        known[4] = None;
        let fit = cross_fit(&embeddings, &known);
        assert!(fit.estimated[embeddings.offsets[4]..embeddings.offsets[5]].iter().all(Option::is_none));
        assert!(fit.estimated[embeddings.offsets[5]].is_some());
        // Nothing known at all: the map is flat and its estimates uniform.
        let fit = cross_fit(&embeddings, &[None; 12]);
        assert_eq!(fit.map.estimate(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]), vec![0.5, 0.5]);
    }
}
