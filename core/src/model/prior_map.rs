//! The population statistics of a question nobody has answered yet, estimated from its options'
//! text: ridge regressions from an option's embedding to its log prior and to its loadings on the
//! population's factors. Within a question only differences between options matter (a softmax;
//! loadings sum to zero), so both sides are centred per question.
//!
//! GPO reads these estimates wherever the real statistics are unknown: for a question written in
//! the page's editor, and in training for the questions whose statistics are hidden. There each
//! known question's estimate comes from a fit on the other question folds ("cross-fitted"), so it
//! is as wrong as it will be for a new question, and GPO learns how far to trust it.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::embed::TaskEmbeddings;
use crate::util::linalg::{cholesky, dot, softmax, solve_factored};
use crate::util::rng::Rng;

/// Ridge strengths tried; per output kind the one with the best cross-fitted score is kept.
pub const LAMBDAS: [f64; 5] = [0.03, 0.1, 0.3, 1.0, 3.0];
/// Question folds of the cross-fit.
pub const QUESTION_FOLDS: usize = 5;
/// Probability floor before taking logs of a prior.
const LOG_FLOOR: f64 = 1e-3;

/// Ridge weights from an option embedding to its (centred) log prior and factor loadings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriorMap {
    pub weights: Vec<f32>,
    pub lambda: f64,
    /// `factors × dim`: the weights of each factor's loading.
    #[serde(default)]
    pub loading_weights: Vec<f32>,
    #[serde(default)]
    pub loading_lambda: f64,
}

impl PriorMap {
    /// The estimated prior of a question whose options embed as `vectors` (`options × dim`).
    pub fn estimate(&self, vectors: &[f32]) -> Vec<f32> {
        let dim = self.weights.len();
        let logits: Vec<f64> = vectors.chunks_exact(dim).map(|x| dot(x, &self.weights)).collect();
        softmax(&logits)
    }

    /// The estimated factor loadings (`options × factors`, centred per question).
    pub fn loadings(&self, vectors: &[f32]) -> Vec<f32> {
        let dim = self.weights.len();
        let factors = self.loading_weights.len() / dim.max(1);
        let options = vectors.len() / dim.max(1);
        let mut out = vec![0.0f32; options * factors];
        for k in 0..factors {
            let w = &self.loading_weights[k * dim..(k + 1) * dim];
            let raw: Vec<f64> = vectors.chunks_exact(dim).map(|x| dot(x, w)).collect();
            let mean = raw.iter().sum::<f64>() / options.max(1) as f64;
            for (o, r) in raw.iter().enumerate() {
                out[o * factors + k] = (r - mean) as f32;
            }
        }
        out
    }
}

/// What a cross-fit gives: every known question's out-of-fold estimates, and the map fitted on
/// every known question (for questions without statistics).
pub struct CrossFit {
    /// Per embedding row; `None` for rows of questions without known statistics.
    pub estimated: Vec<Option<f32>>,
    /// Per embedding row, `factors` loadings; `None` as above.
    pub loadings: Vec<Option<Vec<f32>>>,
    pub map: PriorMap,
}

/// A question's known statistics: its prior, and its loadings (`options × factors`).
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub prior: &'a [f32],
    pub loadings: &'a [f32],
}

/// An option row centred on its question's mean embedding.
fn centred_rows(embeddings: &TaskEmbeddings, question: usize) -> Vec<Vec<f64>> {
    let (dim, n) = (embeddings.dim, embeddings.options(question));
    let mut mean = vec![0.0f64; dim];
    for o in 0..n {
        mean.iter_mut().zip(embeddings.option(question, o)).for_each(|(m, x)| *m += *x as f64 / n as f64);
    }
    (0..n).map(|o| embeddings.option(question, o).iter().zip(&mean).map(|(v, m)| *v as f64 - m).collect()).collect()
}

/// The regression targets of a question's options: its centred log prior, then its loadings
/// (`options × (1 + factors)`).
fn targets(known: Known) -> Vec<Vec<f64>> {
    let n = known.prior.len();
    let factors = known.loadings.len() / n;
    let logs: Vec<f64> = known.prior.iter().map(|p| (*p as f64).max(LOG_FLOOR).ln()).collect();
    let log_mean = logs.iter().sum::<f64>() / n as f64;
    (0..n)
        .map(|o| {
            let mut ys = vec![logs[o] - log_mean];
            ys.extend(known.loadings[o * factors..(o + 1) * factors].iter().map(|l| *l as f64));
            ys
        })
        .collect()
}

/// What a cross-fit needs that does not depend on the respondents, only on which questions
/// have known statistics: the question folds, and the Cholesky factor of XᵀX + λI of every
/// fold's complement (and of all questions) for every λ. Computed once, it serves every
/// population table over the same questions (training reads one per respondent fold).
pub struct Basis {
    dim: usize,
    questions: Vec<usize>,
    fold_of: Vec<usize>,
    folds: usize,
    /// `[fold][λ]`, the last `fold` being all questions; `None`: not positive definite.
    factors: Vec<Vec<Option<Vec<f64>>>>,
}

impl Basis {
    pub fn new(embeddings: &TaskEmbeddings, questions: &[usize]) -> Self {
        let dim = embeddings.dim;
        let mut order = questions.to_vec();
        Rng::derived(0x9_12, &[questions.len() as u64]).shuffle(&mut order);
        let folds = QUESTION_FOLDS.min(questions.len()).max(1);
        let mut fold_of = vec![usize::MAX; embeddings.offsets.len().saturating_sub(1)];
        order.iter().enumerate().for_each(|(i, &q)| fold_of[q] = i % folds);
        // Lower triangles of each fold's XᵀX.
        let mut parts = vec![vec![0.0f64; dim * dim]; folds];
        for &q in questions {
            let xtx = &mut parts[fold_of[q]];
            for x in centred_rows(embeddings, q) {
                for i in 0..dim {
                    xtx[i * dim..i * dim + i + 1].iter_mut().zip(&x[..=i]).for_each(|(a, xj)| *a += x[i] * xj);
                }
            }
        }
        let mut total = vec![0.0f64; dim * dim];
        parts.iter().for_each(|p| total.iter_mut().zip(p).for_each(|(t, v)| *t += v));
        let factor = |xtx: &[f64], lambda: f64| {
            let mut a = xtx.to_vec();
            for i in 0..dim {
                for j in 0..i {
                    a[j * dim + i] = a[i * dim + j];
                }
                a[i * dim + i] += lambda;
            }
            cholesky(&a, dim)
        };
        let mut factors: Vec<Vec<Option<Vec<f64>>>> = Vec::with_capacity(folds + 1);
        for part in &parts {
            let outside: Vec<f64> = total.iter().zip(part).map(|(t, p)| t - p).collect();
            factors.push(LAMBDAS.iter().map(|&l| if folds > 1 { factor(&outside, l) } else { None }).collect());
        }
        factors.push(LAMBDAS.iter().map(|&l| if questions.is_empty() { None } else { factor(&total, l) }).collect());
        Self { dim, questions: questions.to_vec(), fold_of, folds, factors }
    }

    /// The questions it was computed for.
    pub fn questions(&self) -> &[usize] {
        &self.questions
    }

    /// [`Basis::new`], kept for the next call with the same embeddings and questions: every
    /// population table of a task's trainings and evaluations (`gpo reproduce`: 63 per task)
    /// knows the same questions, so the factorisations are computed once.
    pub fn shared(embeddings: &TaskEmbeddings, questions: &[usize]) -> Arc<Self> {
        static LAST: Mutex<Option<(u64, Arc<Basis>)>> = Mutex::new(None);
        let key = fingerprint(embeddings, questions);
        let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((k, basis)) = last.as_ref()
            && *k == key
            && basis.questions == questions
        {
            return basis.clone();
        }
        let basis = Arc::new(Self::new(embeddings, questions));
        *last = Some((key, basis.clone()));
        basis
    }

    /// Ridge weights (`outputs × dim`) for the Xᵀy `xty` with fold `fold`'s factor (`folds`:
    /// all questions) at the `l`-th λ; zero where there is none.
    fn solve(&self, xty: &[f64], fold: usize, l: usize) -> Vec<f32> {
        match &self.factors[fold][l] {
            Some(factor) => {
                xty.chunks_exact(self.dim).flat_map(|b| solve_factored(factor, b, self.dim)).map(|w| w as f32).collect()
            }
            None => vec![0.0; xty.len()],
        }
    }
}

/// FNV-1a over the embeddings and the question list.
fn fingerprint(embeddings: &TaskEmbeddings, questions: &[usize]) -> u64 {
    let words = embeddings.data.iter().map(|x| x.to_bits() as u64);
    let words = words.chain(embeddings.offsets.iter().chain(questions).map(|&v| v as u64));
    words.chain([embeddings.dim as u64]).fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ w).wrapping_mul(0x100_0000_01b3))
}

/// The questions whose known statistics a cross-fit uses (a prior over two or more options).
pub fn fit_questions(known: &[Option<Known>]) -> Vec<usize> {
    (0..known.len()).filter(|&q| known[q].is_some_and(|k| k.prior.len() > 1)).collect()
}

/// Cross-fits the map on the questions whose statistics are known (`known[q]`), choosing the
/// ridge strength of the prior by the out-of-fold log-likelihood of the true priors, and that of
/// the loadings by their out-of-fold squared error.
pub fn cross_fit(embeddings: &TaskEmbeddings, known: &[Option<Known>], factors: usize) -> CrossFit {
    cross_fit_with(&Basis::shared(embeddings, &fit_questions(known)), embeddings, known, factors)
}

/// [`cross_fit`] with a basis computed for the same questions (`basis.questions()` must equal
/// `fit_questions(known)`).
pub fn cross_fit_with(basis: &Basis, embeddings: &TaskEmbeddings, known: &[Option<Known>], factors: usize) -> CrossFit {
    let dim = embeddings.dim;
    let outputs = 1 + factors;
    let (questions, folds) = (&basis.questions, basis.folds);
    // Xᵀy per fold, one column per output.
    let mut parts = vec![vec![0.0f64; dim * outputs]; folds];
    for &q in questions {
        let xty = &mut parts[basis.fold_of[q]];
        for (x, ys) in centred_rows(embeddings, q).iter().zip(targets(known[q].expect("known"))) {
            for (column, y) in xty.chunks_exact_mut(dim).zip(&ys) {
                column.iter_mut().zip(x).for_each(|(c, xi)| *c += xi * y);
            }
        }
    }
    let mut total = vec![0.0f64; dim * outputs];
    parts.iter().for_each(|p| total.iter_mut().zip(p).for_each(|(t, v)| *t += v));
    let vectors = |q: usize| &embeddings.data[embeddings.offsets[q] * dim..embeddings.offsets[q + 1] * dim];
    let map_of = |weights: &[f32]| PriorMap {
        weights: weights[..dim].to_vec(),
        lambda: 0.0,
        loading_weights: weights[dim..].to_vec(),
        loading_lambda: 0.0,
    };
    // Per λ: out-of-fold prior log-likelihood, loading squared error, and the estimates.
    let rows = *embeddings.offsets.last().unwrap_or(&0);
    let mut trials = Vec::new();
    for l in 0..LAMBDAS.len() {
        let (mut estimated, mut loadings) = (vec![None; rows], vec![None; rows]);
        let (mut loglik, mut squared) = (0.0, 0.0);
        for (f, part) in parts.iter().enumerate() {
            let outside: Vec<f64> = total.iter().zip(part).map(|(t, p)| t - p).collect();
            let map = map_of(&basis.solve(&outside, f, l));
            for &q in questions.iter().filter(|&&q| basis.fold_of[q] == f) {
                let k = known[q].expect("known");
                let (prior, loading) = (map.estimate(vectors(q)), map.loadings(vectors(q)));
                loglik +=
                    k.prior.iter().zip(&prior).map(|(p, e)| *p as f64 * (*e as f64).max(LOG_FLOOR).ln()).sum::<f64>();
                squared += k.loadings.iter().zip(&loading).map(|(a, b)| ((a - b) as f64).powi(2)).sum::<f64>();
                for (o, row) in (embeddings.offsets[q]..embeddings.offsets[q + 1]).enumerate() {
                    estimated[row] = Some(prior[o]);
                    loadings[row] = Some(loading[o * factors..(o + 1) * factors].to_vec());
                }
            }
        }
        trials.push((loglik, squared, estimated, loadings));
    }
    let best_prior = (0..trials.len()).max_by(|&a, &b| trials[a].0.total_cmp(&trials[b].0)).expect("a λ");
    let best_loadings = (0..trials.len()).min_by(|&a, &b| trials[a].1.total_cmp(&trials[b].1)).expect("a λ");
    let estimated = std::mem::take(&mut trials[best_prior].2);
    let loadings = std::mem::take(&mut trials[best_loadings].3);
    let map = PriorMap {
        weights: basis.solve(&total[..dim], folds, best_prior),
        lambda: LAMBDAS[best_prior],
        loading_weights: basis.solve(&total[dim..], folds, best_loadings),
        loading_lambda: LAMBDAS[best_loadings],
    };
    CrossFit { estimated, loadings, map }
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
            let vectors: Vec<f32> = logits.iter().flat_map(|&l| [l as f32, rng.unit() as f32, 0.3, 0.0]).collect();
            embeddings.push_question(&vectors);
            priors.push(softmax(&logits));
        }
        (embeddings, priors)
    }

    #[test]
    fn recovers_a_linear_prior_out_of_fold() {
        let (embeddings, priors) = linear_task(60);
        let known: Vec<Option<Known>> = priors.iter().map(|p| Some(Known { prior: p, loadings: &[] })).collect();
        let fit = cross_fit(&embeddings, &known, 0);
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
    fn recovers_linear_loadings_centred_per_question() {
        // Each option's loading on the one factor is its second embedding coordinate (centred).
        let (embeddings, priors) = linear_task(60);
        let loadings: Vec<Vec<f32>> = (0..60)
            .map(|q| {
                let raw: Vec<f32> = (0..3).map(|o| embeddings.option(q, o)[1]).collect();
                let mean = raw.iter().sum::<f32>() / 3.0;
                raw.iter().map(|r| r - mean).collect()
            })
            .collect();
        let known: Vec<Option<Known>> =
            priors.iter().zip(&loadings).map(|(p, l)| Some(Known { prior: p, loadings: l })).collect();
        let fit = cross_fit(&embeddings, &known, 1);
        for (q, l) in loadings.iter().enumerate() {
            for (o, truth) in l.iter().enumerate() {
                let e = fit.loadings[embeddings.offsets[q] + o].as_ref().expect("known")[0];
                assert!((e - truth).abs() < 0.01, "question {q} option {o}: {e} vs {truth}");
            }
        }
        let new = fit.map.loadings(&[0.0, 0.5, 0.3, 0.0, 0.0, -0.5, 0.3, 0.0]);
        assert!((new[0] - 0.5).abs() < 0.02 && (new[0] + new[1]).abs() < 1e-6, "{new:?}");
    }

    #[test]
    fn unknown_questions_get_no_out_of_fold_estimate() {
        let (embeddings, priors) = linear_task(12);
        let mut known: Vec<Option<Known>> = priors.iter().map(|p| Some(Known { prior: p, loadings: &[] })).collect();
        known[4] = None;
        let fit = cross_fit(&embeddings, &known, 0);
        assert!(fit.estimated[embeddings.offsets[4]..embeddings.offsets[5]].iter().all(Option::is_none));
        assert!(fit.estimated[embeddings.offsets[5]].is_some());
        // Nothing known at all: the map is flat and its estimates uniform.
        let fit = cross_fit(&embeddings, &[None; 12], 0);
        assert_eq!(fit.map.estimate(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]), vec![0.5, 0.5]);
    }
}
