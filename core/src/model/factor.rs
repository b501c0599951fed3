//! The population factor model: the population prior plus the respondent's coordinates on the
//! K main directions of deviation among the meta-train respondents (a truncated SVD), fitted by
//! ridge regression on its context answers. A strong, cheap collaborative-filtering baseline,
//! and the offset GPO learns corrections to (`Offset::Factor`).

use super::Population;
use crate::data::Survey;
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};
use crate::util::linalg::cholesky_solve;

/// Probability floor of a factor-model estimate before renormalising.
pub const ESTIMATE_FLOOR: f64 = 1e-4;

/// The factor model on the population's statistics: a respondent's coordinates from its
/// answers, and the distribution they give a question.
impl Population {
    fn loading(&self, row: usize, k: usize) -> f64 {
        self.loadings[row * self.factors + k] as f64
    }

    /// Ridge estimate (strength `lambda`) of a respondent's coordinates on the first `k`
    /// factors from its `(row, probability)` answers on rows with a known prior.
    pub fn coordinates(&self, answers: impl Iterator<Item = (usize, f32)>, k: usize, lambda: f64) -> Vec<f64> {
        let k = k.min(self.factors);
        if k == 0 {
            return Vec::new();
        }
        let mut ata = vec![0.0; k * k];
        let mut atb = vec![0.0; k];
        for (row, p) in answers.filter(|(row, _)| self.known[*row]) {
            let deviation = p as f64 - self.probs[row] as f64;
            for i in 0..k {
                atb[i] += self.loading(row, i) * deviation;
                for j in 0..k {
                    ata[i * k + j] += self.loading(row, i) * self.loading(row, j);
                }
            }
        }
        (0..k).for_each(|i| ata[i * k + i] += lambda);
        cholesky_solve(&ata, &atb, k).unwrap_or_else(|| vec![0.0; k])
    }

    /// The factor model's distribution over a question's `rows` given coordinates: from its
    /// known statistics, or from those estimated from its text where they are unknown or
    /// `hidden`.
    pub fn estimate(&self, rows: std::ops::Range<usize>, coordinates: &[f64], hidden: bool) -> Vec<f32> {
        let text = hidden || !self.known[rows.start];
        let raw: Vec<f64> = rows
            .map(|row| {
                let (prior, loadings) = if text {
                    (self.estimated[row], &self.estimated_loadings)
                } else {
                    (self.probs[row], &self.loadings)
                };
                let shift: f64 =
                    coordinates.iter().enumerate().map(|(i, c)| loadings[row * self.factors + i] as f64 * c).sum();
                (prior as f64 + shift).max(ESTIMATE_FLOOR)
            })
            .collect();
        let total: f64 = raw.iter().sum();
        raw.iter().map(|v| (v / total) as f32).collect()
    }
}

pub struct FactorModel<'a> {
    pub population: &'a Population,
    pub offsets: &'a [usize],
    pub factors: usize,
    pub lambda: f64,
}

impl FactorModel<'_> {
    fn predict_episode(&self, survey: &Survey, episode: &Episode) -> Vec<Vec<f32>> {
        let respondent = &survey.respondents[episode.respondent];
        let answers = episode.context.iter().flat_map(|&q| {
            let probs = &respondent.answer(q).expect("context is answered").probs;
            probs.iter().enumerate().map(move |(o, p)| (self.offsets[q] + o, *p))
        });
        let coordinates = self.population.coordinates(answers, self.factors, self.lambda);
        episode
            .targets
            .iter()
            .map(|&q| {
                let rows = self.offsets[q]..self.offsets[q + 1];
                self.population.estimate(rows, &coordinates, false)
            })
            .collect()
    }
}

impl Predictor for FactorModel<'_> {
    fn name(&self) -> String {
        format!("factor(K={}, λ={})", self.factors, self.lambda)
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes.iter().map(|e| self.predict_episode(survey, e)).collect())
    }
}
