//! The meta-training loop: sample episodes from training respondents, Gaussian NLL, Adam with
//! cosine decay; validation respondents pick the best model; resumable from checkpoints.

use std::path::PathBuf;
use std::time::Instant;

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;

use super::checkpoint::{Checkpoint, CheckpointError, CheckpointMeta, HistoryPoint};
use super::config::{TrainConfig, cosine_lr};
use super::resume::{ResumeError, resume};
use super::sampler::EpisodeSampler;
use super::saved::{ExportError, record_bytes};
use crate::data::Survey;
use crate::embed::TaskEmbeddings;
use crate::model::factor::FactorModel;
use crate::model::loss::gaussian_nll;
use crate::model::param_ids::with_stable_ids;
use crate::model::population::folds;
use crate::model::predict::embedding_table;
use crate::model::{Gpo, GpoConfig, GpoRunner, Offset, Population, build_batch};
use crate::protocol::score::{EvalError, score_episodes};
use crate::protocol::{Episode, episodes};
use crate::util::rng::Rng;

#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error(transparent)]
    Resume(#[from] ResumeError),
    #[error(transparent)]
    Model(#[from] ExportError),
    #[error("validation: {0}")]
    Eval(#[from] EvalError),
    #[error("record: {0}")]
    Record(String),
    #[error("training diverged at step {step}: loss is {loss}")]
    Diverged { step: usize, loss: f32 },
    #[error("no training respondents")]
    NoData,
}

/// What a training run learns from.
pub struct TrainData<'a> {
    pub survey: &'a Survey,
    pub embeddings: &'a TaskEmbeddings,
    pub train: &'a [usize],
    pub validation: &'a [usize],
}

/// How a run is carried out.
pub struct TrainRun {
    pub config: TrainConfig,
    pub device: Device,
    /// Where checkpoints go (none: no checkpoints).
    pub checkpoint: Option<PathBuf>,
    pub checkpoint_every: usize,
    /// Continue from `checkpoint` if it exists.
    pub resume: bool,
    /// Stop (after checkpointing) once this many steps are done, as an interruption would.
    pub stop_after: Option<usize>,
}

/// Reported after every step.
#[derive(Clone, Debug)]
pub struct Progress {
    pub step: usize,
    pub total: usize,
    pub loss: f32,
    pub last_validation: Option<f64>,
    pub best_validation: Option<f64>,
    pub steps_per_second: f64,
}

pub struct TrainOutcome {
    /// The configuration trained with (the factor offset's strength chosen on validation).
    pub config: TrainConfig,
    /// The model with the best validation score (the last one when there is no validation).
    pub best: Gpo,
    pub best_step: usize,
    pub best_score: Option<f64>,
    pub history: Vec<HistoryPoint>,
    pub seconds: f64,
    pub steps_run: usize,
}

/// Training respondents are split into this many folds for fold-out population statistics.
pub const POPULATION_FOLDS: usize = 5;
/// Candidate ridge strengths of the factor offset.
pub const FACTOR_LAMBDAS: [f64; 6] = [0.003, 0.01, 0.03, 0.1, 0.3, 1.0];

/// A fresh model, initialised on the CPU (seeded, deterministic) and moved to `device`, its
/// parameter ids numbered by structure so that its records are the same bytes every run.
pub fn init_model(config: &GpoConfig, seed: u64, device: &Device) -> Gpo {
    let cpu = Device::flex();
    let record = crate::device::seeded(&cpu, seed, || with_stable_ids(config.init(&cpu)).into_record());
    with_stable_ids(config.init(device).load_record(record))
}

/// Validation score of `model` on fixed validation episodes; with `new_questions`, the mean of
/// that and the score with every target's statistics hidden (as for a new question).
fn validate(
    runner: &mut GpoRunner,
    survey: &Survey,
    episodes: &[Episode],
    model: Gpo,
    new_questions: bool,
) -> Result<f64, EvalError> {
    runner.set_model(model);
    let predictions = crate::model::episodes::predict_episodes(runner, survey, episodes);
    let known = score_episodes(survey, episodes, &predictions)?.value;
    if !new_questions {
        return Ok(known);
    }
    let predictions = crate::model::episodes::predict_episodes_as_new(runner, survey, episodes);
    Ok((known + score_episodes(survey, episodes, &predictions)?.value) / 2.0)
}

/// The ridge strength of the factor offset that scores best, pooled over the training
/// respondents' fold-out episodes and the validation episodes.
fn choose_factor_lambda(
    data: &TrainData,
    full: &Population,
    fold_tables: &[Population],
    fold: &[usize],
    validation: &[Episode],
    context: usize,
    seed: u64,
) -> Result<f64, TrainError> {
    let offsets = &data.embeddings.offsets;
    let mut sets: Vec<(&Population, Vec<Episode>)> = fold_tables
        .iter()
        .enumerate()
        .map(|(f, table)| {
            let members: Vec<usize> = data.train.iter().zip(fold).filter(|(_, k)| **k == f).map(|(r, _)| *r).collect();
            let members: Vec<usize> =
                members.into_iter().filter(|&r| data.survey.respondents[r].answers.len() > context).collect();
            (table, episodes(data.survey, &members, context, seed))
        })
        .collect();
    sets.push((full, validation.to_vec()));
    let mut best = (f64::NEG_INFINITY, FACTOR_LAMBDAS[0]);
    for lambda in FACTOR_LAMBDAS {
        let (mut total, mut pairs) = (0.0, 0usize);
        for (table, set) in &sets {
            if set.is_empty() {
                continue;
            }
            let model = FactorModel { population: table, offsets, factors: table.factors, lambda };
            let score = crate::protocol::score::evaluate(data.survey, set, &model)?;
            total += score.value * score.pairs as f64;
            pairs += score.pairs;
        }
        let score = total / pairs.max(1) as f64;
        if score > best.0 {
            best = (score, lambda);
        }
    }
    Ok(best.1)
}

pub fn train(
    data: &TrainData,
    run: &TrainRun,
    mut progress: impl FnMut(&Progress),
) -> Result<TrainOutcome, TrainError> {
    if data.train.is_empty() {
        return Err(TrainError::NoData);
    }
    let mut config = run.config.clone();
    let device = run.device.clone();
    let autodiff = device.clone().autodiff();
    let validation_episodes = episodes(data.survey, data.validation, config.eval_context, config.seed);
    // Population statistics: all training respondents (validation, and what a trained model is
    // used with), and one table per fold computed without that fold (training episodes).
    let factors = config.model.population_factors;
    let n_folds = POPULATION_FOLDS.min(data.train.len()).max(1);
    let fold = folds(data.train, n_folds, config.seed);
    let full = Population::fit(data.survey, data.embeddings, data.train, factors);
    let fold_tables: Vec<Population> = (0..n_folds)
        .map(|f| {
            let others: Vec<usize> = data.train.iter().zip(&fold).filter(|(_, k)| **k != f).map(|(r, _)| *r).collect();
            Population::fit(data.survey, data.embeddings, &others, factors)
        })
        .collect();
    let mut tables: Vec<&Population> = vec![&full];
    tables.extend(fold_tables.iter());
    // The factor offset's ridge strength: chosen on the training respondents (each scored with
    // the statistics of the other folds) and the validation respondents together.
    if let Offset::Factor { .. } = config.model.offset() {
        config.model.factor_lambda = choose_factor_lambda(
            data,
            &full,
            &fold_tables,
            &fold,
            &validation_episodes,
            config.eval_context,
            config.seed,
        )?;
    }
    let config_json = config.to_string();
    let fingerprint = format!(
        "{}:{}q:{}r:train{:?}:val{:?}:rows{}",
        data.survey.info.id,
        data.survey.questions.len(),
        data.survey.respondents.len(),
        data.train,
        data.validation,
        data.embeddings.rows()
    );
    let mut optimizer: ModuleOptimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let mut model = init_model(&config.model, config.seed, &autodiff);
    let mut meta = CheckpointMeta {
        step: 0,
        rng: Rng::derived(config.seed, &[0x7A1]),
        history: Vec::new(),
        best_step: None,
        best_score: None,
        config: config_json.clone(),
        fingerprint: fingerprint.clone(),
        pending_loss: (0.0, 0),
    };
    let mut best_model: Option<Gpo> = None;
    if let (true, Some(path)) = (run.resume, &run.checkpoint)
        && path.exists()
    {
        let resumed = resume(path, &config.model, &config_json, &fingerprint, optimizer, &autodiff, &device)?;
        (model, optimizer, best_model, meta) = (resumed.model, resumed.optimizer, resumed.best_model, resumed.meta);
    }

    let table = embedding_table(data.embeddings, &autodiff);
    let mut runner =
        GpoRunner::new(model.valid(), data.embeddings.clone(), full.clone(), config.model.offset(), &device);
    let sampler = EpisodeSampler {
        survey: data.survey,
        respondents: data.train,
        fold: &fold,
        batch_size: config.batch_size,
        sampling: &config.sampling,
        prior_dropout: config.prior_dropout,
        mixup: config.mixup,
    };
    let started = Instant::now();
    let start_step = meta.step;
    let (mut loss_sum, mut loss_count) = meta.pending_loss;
    let mut last_validation = meta.history.iter().rev().find_map(|h| h.validation);
    if start_step == 0 && !validation_episodes.is_empty() {
        // The untrained model (its offset's estimate, for a zero-initialised head) is recorded
        // for comparison but not selected: its std is not learned yet.
        let validation =
            validate(&mut runner, data.survey, &validation_episodes, model.valid(), config.select_for_new_questions)?;
        meta.history.push(HistoryPoint { step: 0, loss: None, validation: Some(validation) });
        last_validation = Some(validation);
    }
    let end = run.stop_after.map_or(config.steps, |n| n.min(config.steps));
    for step in start_step..end {
        let batch_episodes = sampler.sample(&mut meta.rng);
        let batch = build_batch(data.embeddings, &batch_episodes, &tables, config.model.offset(), &autodiff);
        // Re-seeded each step so that a resumed run draws (its dropout masks) what an
        // uninterrupted one would; the backward pass draws nothing.
        let step_seed = Rng::derived(config.seed, &[0xD0, step as u64]).next_u64();
        let output = crate::device::seeded(&autodiff, step_seed, || model.forward_batch(&table, &batch));
        let truth = batch.truth.clone().expect("training episodes carry the truth");
        let loss = gaussian_nll(output.mean, output.std, truth, batch.target_valid.clone());
        let loss_value: f32 = loss.clone().into_scalar();
        if !loss_value.is_finite() {
            return Err(TrainError::Diverged { step, loss: loss_value });
        }
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        model = optimizer.step(cosine_lr(config.learning_rate, step, config.steps), model, grads);
        loss_sum += loss_value as f64;
        loss_count += 1;
        meta.step = step + 1;

        let last = meta.step == config.steps;
        let interrupted = meta.step == end && !last;
        if meta.step.is_multiple_of(config.eval_every.max(1)) || last {
            let validation = if validation_episodes.is_empty() {
                None
            } else {
                Some(validate(
                    &mut runner,
                    data.survey,
                    &validation_episodes,
                    model.valid(),
                    config.select_for_new_questions,
                )?)
            };
            let improved = match (validation, meta.best_score) {
                (Some(v), Some(b)) => v > b,
                (Some(_), None) => true,
                (None, _) => true,
            };
            if improved {
                meta.best_score = validation;
                meta.best_step = Some(meta.step);
                best_model = Some(model.valid());
            }
            meta.history.push(HistoryPoint {
                step: meta.step,
                loss: Some(loss_sum / loss_count.max(1) as f64),
                validation,
            });
            (loss_sum, loss_count) = (0.0, 0);
            last_validation = validation;
        }
        if let Some(path) = &run.checkpoint
            && (meta.step.is_multiple_of(run.checkpoint_every.max(1)) || last || interrupted)
        {
            {
                meta.pending_loss = (loss_sum, loss_count);
                let checkpoint = Checkpoint {
                    meta: meta.clone(),
                    model: record_bytes(&model)?,
                    optimizer: optimizer.into_bytes().map_err(|e| TrainError::Record(format!("{e:?}")))?.to_vec(),
                    best_model: best_model.as_ref().map(record_bytes).transpose()?.unwrap_or_default(),
                };
                checkpoint.save(path)?;
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        progress(&Progress {
            step: meta.step,
            total: config.steps,
            loss: loss_value,
            last_validation,
            best_validation: meta.best_score,
            steps_per_second: (meta.step - start_step) as f64 / elapsed.max(1e-9),
        });
    }
    let best = best_model.unwrap_or_else(|| model.valid());
    Ok(TrainOutcome {
        config,
        best,
        best_step: meta.best_step.unwrap_or(meta.step),
        best_score: meta.best_score,
        history: meta.history,
        seconds: started.elapsed().as_secs_f64(),
        steps_run: meta.step - start_step,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Models built on several threads at once get the weights each seed gives alone: Burn's
    /// generator is one per process, and without `device::seeded` the draws interleave.
    #[test]
    fn models_built_at_once_are_the_models_built_alone() {
        let config = GpoConfig::new().with_layers(2).with_d_model(32).with_d_ff(64);
        let cpu = Device::flex();
        let alone: Vec<Vec<u8>> = (0..4).map(|seed| record_bytes(&init_model(&config, seed, &cpu)).unwrap()).collect();
        std::thread::scope(|scope| {
            let threads: Vec<_> = (0..4u64)
                .map(|seed| {
                    let (config, cpu, alone) = (&config, &cpu, &alone);
                    scope.spawn(move || {
                        (0..25).all(|_| record_bytes(&init_model(config, seed, cpu)).unwrap() == alone[seed as usize])
                    })
                })
                .collect();
            for (seed, thread) in threads.into_iter().enumerate() {
                assert!(thread.join().unwrap(), "seed {seed}: a model built beside others differs");
            }
        });
    }
}
