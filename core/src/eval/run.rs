//! Runs methods over splits × seeds with the protocol and collects the table.

use super::baselines::{PopulationPrior, Uniform};
use super::table::{CellValues, ResultRow, ResultTable};
use crate::data::Survey;
use crate::protocol::metrics::Metric;
use crate::protocol::score::{EvalError, Predictor, Score, evaluate};
use crate::protocol::{self, Episode, ProtocolConfig, Split};

/// Everything a method may fit on: the survey and one split (never the test answers beyond
/// each test respondent's context).
pub struct Fold<'a> {
    pub survey: &'a Survey,
    pub split: &'a Split,
    pub config: &'a ProtocolConfig,
}

/// Builds a method's predictor for one fold.
pub trait Method {
    fn name(&self) -> String;
    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError>;
}

pub struct UniformMethod;

impl Method for UniformMethod {
    fn name(&self) -> String {
        "uniform".into()
    }
    fn build(&self, _fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        Ok(Box::new(Uniform))
    }
}

pub struct PriorMethod;

impl Method for PriorMethod {
    fn name(&self) -> String {
        "prior".into()
    }
    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        Ok(Box::new(PopulationPrior::fit(fold.survey, &fold.split.meta_train())))
    }
}

/// Of several candidate settings, the one scoring best on the fold's validation respondents
/// (their own context questions; test respondents are never looked at).
pub fn validation_select<P: Predictor>(fold: &Fold, candidates: Vec<P>) -> Result<P, EvalError> {
    let episodes = protocol::episodes(fold.survey, &fold.split.validation, fold.config.context, fold.config.seed);
    let mut best: Option<(f64, P)> = None;
    for candidate in candidates {
        let score = evaluate(fold.survey, &episodes, &candidate)?.value;
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, p)| p).ok_or_else(|| EvalError::Predictor { method: "select".into(), message: "no candidate".into() })
}

/// The test episodes of one fold.
pub fn test_episodes(fold: &Fold) -> Vec<Episode> {
    protocol::episodes(fold.survey, &fold.split.test, fold.config.context, fold.config.seed)
}

/// Runs every method on every (split, seed); `progress` is told of each finished cell.
pub fn run_methods(
    survey: &Survey,
    methods: &[&dyn Method],
    splits: &[f64],
    seeds: &[u64],
    mut progress: impl FnMut(&str, f64, u64, &Score),
) -> Result<ResultTable, EvalError> {
    let mut cells: Vec<(String, f64, CellValues)> = Vec::new();
    for &fraction in splits {
        for &seed in seeds {
            let config = ProtocolConfig::new(fraction, seed);
            let split = protocol::split(survey, &config)?;
            let fold = Fold { survey, split: &split, config: &config };
            let episodes = test_episodes(&fold);
            for method in methods {
                let predictor = method.build(&fold)?;
                let score = evaluate(survey, &episodes, predictor.as_ref())?;
                progress(&method.name(), fraction, seed, &score);
                let name = method.name();
                let index = match cells.iter().position(|(m, s, _)| *m == name && *s == fraction) {
                    Some(i) => i,
                    None => {
                        cells.push((name, fraction, CellValues::default()));
                        cells.len() - 1
                    }
                };
                let cell = &mut cells[index].2;
                cell.seeds.push(seed);
                cell.values.push(score.value);
                if let Some(l) = score.loglik {
                    cell.logliks.push(l);
                }
            }
        }
    }
    // Rows grouped by method, then split.
    let mut rows = Vec::new();
    for method in methods {
        for (name, split, cell) in &cells {
            if *name == method.name() {
                rows.push(ResultRow::from_cell(name, *split, cell));
            }
        }
    }
    Ok(ResultTable { task: survey.info.id.clone(), metric: Metric::for_survey(&survey.info).name().to_string(), rows })
}
