//! The factor model as an evaluated method (`crate::model::factor`): K and the ridge strength
//! chosen on the validation respondents, then refitted on training and validation.

use super::run::{Fold, Method, validation_select};
use crate::data::Survey;
use crate::model::Population;
use crate::model::factor::FactorModel;
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};

pub const FACTORS: [usize; 3] = [2, 8, 16];
pub const LAMBDAS: [f64; 3] = [0.01, 0.1, 1.0];

pub struct FactorMethod {
    pub offsets: Vec<usize>,
}

impl FactorMethod {
    pub fn new(survey: &Survey) -> Self {
        Self { offsets: survey.option_offsets() }
    }
}

/// Owns the fold's population so that the chosen predictor can borrow it.
struct FittedFactor {
    population: Population,
    offsets: Vec<usize>,
    factors: usize,
    lambda: f64,
}

impl Predictor for FittedFactor {
    fn name(&self) -> String {
        format!("factor(K={}, λ={})", self.factors, self.lambda)
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        FactorModel { population: &self.population, offsets: &self.offsets, factors: self.factors, lambda: self.lambda }
            .predict(survey, episodes)
    }
}

impl Method for FactorMethod {
    fn name(&self) -> String {
        "factor".into()
    }

    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        let max = *FACTORS.iter().max().expect("factor counts");
        // Fitted on the training respondents, selected on validation, then refitted on both.
        let population = Population::from_respondents(fold.survey, &self.offsets, &fold.split.train, max);
        let candidates: Vec<FactorModel> = FACTORS
            .iter()
            .flat_map(|&factors| LAMBDAS.iter().map(move |&lambda| (factors, lambda)))
            .map(|(factors, lambda)| FactorModel { population: &population, offsets: &self.offsets, factors, lambda })
            .collect();
        let best = validation_select(fold, candidates)?;
        let (factors, lambda) = (best.factors, best.lambda);
        let population = Population::from_respondents(fold.survey, &self.offsets, &fold.split.meta_train(), max);
        Ok(Box::new(FittedFactor { population, offsets: self.offsets.clone(), factors, lambda }))
    }
}
