//! The population factor model: the population prior plus the respondent's coordinates on the
//! K main directions of deviation among the meta-train respondents (a truncated SVD), fitted by
//! ridge regression on its context answers. A strong, cheap collaborative-filtering baseline,
//! and the offset GPO learns corrections to (`Offset::Factor`).

use super::Population;
use crate::data::Survey;
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};

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
