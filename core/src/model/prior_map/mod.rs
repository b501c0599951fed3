//! The population statistics of a question nobody has answered yet, estimated from its options'
//! text and their place on the option scale: the log prior and the factor loadings of an option
//! are its scale position's typical values (`position`) plus a kernel ridge regression on the
//! known options (`kernel`: alike texts in the same slot of a scale of the same length), fitted
//! with strengths chosen by cross-validation over questions (`fit`). A question unlike any known
//! one gets its option scale's typical answer; one close to known questions moves towards theirs.
//!
//! GPO reads these estimates wherever the real statistics are unknown: for a question written in
//! the page's editor, and in training for the questions whose statistics are hidden. There each
//! known question's estimate comes from a fit on the other question folds ("cross-fitted"), so it
//! is as wrong as it will be for a new question, and GPO learns how far to trust it.

mod fit;
pub mod kernel;
pub mod position;

use serde::{Deserialize, Serialize};

pub use fit::{Basis, CrossFit, LAMBDAS, QUESTION_FOLDS, cross_fit, cross_fit_with, fit_questions};
pub use kernel::{Kernel, Slot};
pub use position::PositionTable;

use crate::embed::TaskEmbeddings;
use crate::util::linalg::softmax;

/// Probability floor before taking logs of a prior.
pub const LOG_FLOOR: f64 = 1e-3;
/// A known question at least this similar to a new one (the kernel's text similarity of their
/// closest options) is one the estimate drew on; below it the estimate is close to the option
/// scale's typical answer.
pub const CLOSE: f64 = 0.5;

/// A question's known statistics: its prior, and its loadings (`options × factors`).
#[derive(Clone, Copy)]
pub struct Known<'a> {
    pub prior: &'a [f32],
    pub loadings: &'a [f32],
}

/// The fitted map: the position table, and per landmark option of the survey (a row of its
/// embeddings) the kernel weight of its similarity in the log prior and in each loading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriorMap {
    pub kernel: Kernel,
    /// Rows of the survey's embeddings that a new option is compared with.
    pub landmarks: Vec<usize>,
    pub positions: PositionTable,
    /// Per landmark: its weight in the log prior's departure from the scale's typical answer.
    pub weights: Vec<f32>,
    pub lambda: f64,
    /// `factors × landmarks`: its weight in each loading's departure.
    pub loading_weights: Vec<f32>,
    pub loading_lambda: f64,
}

/// A known question like a new one, by the kernel's text similarity of their closest options.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Neighbour {
    pub question: usize,
    pub similarity: f64,
}

impl PriorMap {
    /// The estimated prior and loadings (`options × factors`, centred) of a question whose
    /// options embed as `vectors` (`options × dim`); `source`: the survey's embeddings, whose
    /// rows the landmarks are.
    pub fn estimate(&self, source: &TaskEmbeddings, vectors: &[f32]) -> (Vec<f32>, Vec<f32>) {
        let options = vectors.len() / source.dim.max(1);
        let m = self.landmarks.len();
        let k = self.kernel.rows(source, &self.landmarks, vectors);
        let weigh = |weights: &[f32], o: usize| -> f64 {
            k[o * m..(o + 1) * m].iter().zip(weights).map(|(a, w)| a * *w as f64).sum()
        };
        let base = self.positions.prior(options);
        let logits: Vec<f64> =
            (0..options).map(|o| (base[o] as f64).max(LOG_FLOOR).ln() + weigh(&self.weights, o)).collect();
        let factors = self.positions.factors;
        let mut loadings = self.positions.loadings(options);
        if self.loading_weights.len() == factors * m {
            for f in 0..factors {
                let w = &self.loading_weights[f * m..(f + 1) * m];
                let raw: Vec<f64> = (0..options).map(|o| weigh(w, o)).collect();
                let mean = raw.iter().sum::<f64>() / options.max(1) as f64;
                (0..options).for_each(|o| loadings[o * factors + f] += (raw[o] - mean) as f32);
            }
        }
        (softmax(&logits), loadings)
    }

    /// The map over the rows of `questions` only (`offsets` numbers the current rows), as
    /// [`Population::select`](super::Population::select) renumbers them: landmarks outside the
    /// selection are dropped with their weights, so a map meant to serve the selection alone is
    /// better fitted on it again (`gpo export-web` does).
    pub fn select(&self, offsets: &[usize], questions: &[usize]) -> Self {
        let mut renumbered = std::collections::HashMap::new();
        let mut next = 0;
        for &q in questions {
            for row in offsets[q]..offsets[q + 1] {
                renumbered.entry(row).or_insert(next);
                next += 1;
            }
        }
        let m = self.landmarks.len();
        let kept: Vec<(usize, usize)> =
            self.landmarks.iter().enumerate().filter_map(|(i, l)| renumbered.get(l).map(|&row| (i, row))).collect();
        let factors = self.loading_weights.len().checked_div(m).unwrap_or(0);
        Self {
            landmarks: kept.iter().map(|&(_, row)| row).collect(),
            weights: kept.iter().filter_map(|&(i, _)| self.weights.get(i).copied()).collect(),
            loading_weights: (0..factors)
                .flat_map(|f| kept.iter().map(move |&(i, _)| self.loading_weights[f * m + i]))
                .collect(),
            ..self.clone()
        }
    }

    /// The `count` questions among `candidates` of `source` most like a new one (`vectors`),
    /// most alike first.
    pub fn nearest(
        &self,
        source: &TaskEmbeddings,
        candidates: impl IntoIterator<Item = usize>,
        vectors: &[f32],
        count: usize,
    ) -> Vec<Neighbour> {
        let questions = source.offsets.len().saturating_sub(1);
        let mut all: Vec<Neighbour> = candidates
            .into_iter()
            .filter(|&q| q < questions)
            .map(|question| {
                let rows = source.offsets[question]..source.offsets[question + 1];
                let similarity = rows
                    .flat_map(|r| vectors.chunks_exact(source.dim).map(move |x| (r, x)))
                    .map(|(r, x)| self.kernel.text(x, source.row(r)))
                    .fold(0.0, f64::max);
                Neighbour { question, similarity }
            })
            .collect();
        all.sort_by(|a, b| b.similarity.total_cmp(&a.similarity).then(a.question.cmp(&b.question)));
        all.truncate(count);
        all
    }
}
