//! GPO in the results table: for each fold, meta-train on its training respondents, pick the
//! checkpoint on its validation respondents, predict its test respondents.

#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;

use burn::prelude::*;

use super::run::{Fold, Method};
use crate::embed::TaskEmbeddings;
use crate::model::{GpoRunner, Population};
use crate::protocol::score::{EvalError, Predictor};
use crate::train::TrainConfig;
use crate::train::saved::{ModelMeta, save_model};
use crate::train::trainer::{Progress, TrainData, TrainOutcome, TrainRun, train};

/// One fold's training, kept for the report.
pub struct TrainedFold {
    pub split: f64,
    pub seed: u64,
    pub best_step: usize,
    pub best_validation: Option<f64>,
    pub seconds: f64,
    pub history: Vec<crate::train::checkpoint::HistoryPoint>,
}

/// Told of every training step: (split, seed, progress).
pub type ProgressFn<'a> = Box<dyn FnMut(f64, u64, &Progress) + 'a>;

pub struct GpoMethod<'a> {
    pub embeddings: &'a TaskEmbeddings,
    /// Where each fold's model is saved (`<dir>/<task>-<split>-<seed>`), if anywhere.
    pub save_dir: Option<std::path::PathBuf>,
    /// Text format of the embeddings (recorded with saved models).
    pub format: crate::embed::TextFormat,
    /// Training settings; the fold's seed replaces `seed`.
    pub config: TrainConfig,
    pub device: Device,
    pub progress: RefCell<ProgressFn<'a>>,
    pub trained: RefCell<Vec<TrainedFold>>,
}

impl<'a> GpoMethod<'a> {
    pub fn new(
        embeddings: &'a TaskEmbeddings,
        format: crate::embed::TextFormat,
        config: TrainConfig,
        device: Device,
        progress: impl FnMut(f64, u64, &Progress) + 'a,
    ) -> Self {
        Self {
            embeddings,
            save_dir: None,
            format,
            config,
            device,
            progress: RefCell::new(Box::new(progress)),
            trained: RefCell::new(Vec::new()),
        }
    }

    /// Trains on one fold.
    pub fn train_fold(&self, fold: &Fold) -> Result<TrainOutcome, EvalError> {
        let config = self.config.clone().with_seed(fold.config.seed);
        let data = TrainData {
            survey: fold.survey,
            embeddings: self.embeddings,
            train: &fold.split.train,
            validation: &fold.split.validation,
        };
        let run = TrainRun {
            config,
            device: self.device.clone(),
            checkpoint: None,
            checkpoint_every: usize::MAX,
            resume: false,
            stop_after: None,
        };
        let (split, seed) = (fold.config.train_fraction, fold.config.seed);
        let mut progress = self.progress.borrow_mut();
        let outcome = train(&data, &run, |p| progress(split, seed, p))
            .map_err(|e| EvalError::Predictor { method: "gpo".into(), message: e.to_string() })?;
        if let Some(dir) = &self.save_dir {
            let names = |ids: &[usize]| ids.iter().map(|&i| fold.survey.respondents[i].name.clone()).collect();
            let meta = ModelMeta {
                holdout_questions: 0.0,
                holdout: Default::default(),
                task: fold.survey.info.id.clone(),
                format: self.format.id().into(),
                split,
                seed,
                train_respondents: names(&fold.split.train),
                validation_respondents: names(&fold.split.validation),
                best_step: outcome.best_step,
                best_validation: outcome.best_score,
                history: outcome.history.clone(),
                seconds: outcome.seconds,
                device: crate::device::describe(&self.device),
            };
            let path = dir.join(format!("{}-{split}-{seed}", fold.survey.info.id));
            save_model(&path, &outcome.best, &outcome.config, &meta)
                .map_err(|e| EvalError::Predictor { method: "gpo".into(), message: e.to_string() })?;
        }
        self.trained.borrow_mut().push(TrainedFold {
            split,
            seed,
            best_step: outcome.best_step,
            best_validation: outcome.best_score,
            seconds: outcome.seconds,
            history: outcome.history.clone(),
        });
        Ok(outcome)
    }
}

impl Method for GpoMethod<'_> {
    fn name(&self) -> String {
        "gpo".into()
    }

    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        let outcome = self.train_fold(fold)?;
        // At test time GPO reads the statistics of all meta-train respondents (training and
        // validation; the test respondents are never among them), as the baselines do.
        let population = Population::fit(
            fold.survey,
            self.embeddings,
            &fold.split.meta_train(),
            self.config.model.population_factors,
        );
        Ok(Box::new(GpoRunner::new(
            outcome.best,
            self.embeddings.clone(),
            population,
            outcome.config.model.offset(),
            &self.device,
        )))
    }
}
