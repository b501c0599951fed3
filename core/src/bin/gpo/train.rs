//! `gpo train`: meta-train GPO on one (task, split, seed) and save the best model.

use std::path::PathBuf;

use clap::Args;
use gpo_core::eval::new_questions;
use gpo_core::eval::protocol::{self, ProtocolConfig};
use gpo_core::export::model::{ModelMeta, save_model};
use gpo_core::model::GpoConfig;
use gpo_core::train::trainer::{TrainData, TrainRun, train};
use gpo_core::train::{SamplingConfig, SamplingMode, TrainConfig};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{Common, DeviceArg, FoldArgs, Selection, Surveys};

/// GPO's architecture and training settings (shared by train and reproduce).
#[derive(Args, Clone, Debug)]
pub struct TrainSettings {
    #[arg(long, default_value_t = 500)]
    pub steps: usize,
    /// Respondents per step.
    #[arg(long, default_value_t = 8)]
    pub batch: usize,
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Encoder layers (the paper: 6; 2 measured as accurate here, see docs/RESULTS.md).
    #[arg(long, default_value_t = 2)]
    pub layers: usize,
    /// Model width (the paper: 128; 64 measured as accurate here).
    #[arg(long, default_value_t = 64)]
    pub d_model: usize,
    #[arg(long, default_value_t = 4)]
    pub heads: usize,
    #[arg(long, default_value_t = 128)]
    pub d_ff: usize,
    #[arg(long, default_value_t = 4)]
    pub embed_depth: usize,
    #[arg(long, default_value_t = 0.0)]
    pub dropout: f64,
    /// `reference` (per batch, U{min..max} context and target questions) or `paper` (m ~ U[1, n−1]).
    #[arg(long, default_value = "reference")]
    pub sampling: String,
    #[arg(long, default_value_t = 10)]
    pub context_min: usize,
    #[arg(long, default_value_t = 40)]
    pub context_max: usize,
    #[arg(long, default_value_t = 10)]
    pub target_min: usize,
    #[arg(long, default_value_t = 40)]
    pub target_max: usize,
    #[arg(long, default_value_t = 100)]
    pub eval_every: usize,
    /// Text format of the embeddings.
    #[arg(long, default_value = "qa", value_parser = crate::cli::parse_format)]
    pub format: gpo_core::embed::TextFormat,
    #[arg(long, default_value = "cpu")]
    pub device: DeviceArg,
    /// The paper's model: no population prior as input.
    #[arg(long)]
    pub no_prior: bool,
    #[arg(long, default_value_t = 0.15)]
    pub prior_dropout: f64,
    /// Choose the model on validation scores for known and new questions alike (see
    /// `TrainConfig::select_for_new_questions`).
    #[arg(long)]
    pub select_for_new_questions: bool,
    /// Factor loadings of the population per token.
    #[arg(long, default_value_t = 8)]
    pub factors: usize,
    /// Offset the logits by the log prior instead of the factor model's estimate.
    #[arg(long)]
    pub prior_offset: bool,
    /// Share of episodes whose respondent is a mixture of two training respondents
    /// (default: 0.5 for groups, 0 for individuals).
    #[arg(long)]
    pub mixup: Option<f64>,
}

impl TrainSettings {
    pub fn config(&self, seed: u64, kind: gpo_core::data::RespondentKind) -> anyhow::Result<TrainConfig> {
        let mode = match self.sampling.as_str() {
            "reference" => SamplingMode::Reference,
            "paper" => SamplingMode::Paper,
            other => anyhow::bail!("--sampling: unknown mode '{other}' (reference, paper)"),
        };
        let model = GpoConfig::new()
            .with_d_model(self.d_model)
            .with_layers(self.layers)
            .with_heads(self.heads)
            .with_d_ff(self.d_ff)
            .with_embed_depth(self.embed_depth)
            .with_dropout(self.dropout)
            .with_prior_input(!self.no_prior)
            .with_population_factors(self.factors)
            .with_factor_offset(!self.prior_offset);
        let groups = kind == gpo_core::data::RespondentKind::Group;
        let mixup = self.mixup.unwrap_or(if groups { 0.5 } else { 0.0 });
        let sampling = SamplingConfig::new()
            .with_mode(mode)
            .with_context_min(self.context_min)
            .with_context_max(self.context_max)
            .with_target_min(self.target_min)
            .with_target_max(self.target_max);
        Ok(TrainConfig::new(model, sampling)
            .with_steps(self.steps)
            .with_batch_size(self.batch)
            .with_learning_rate(self.lr)
            .with_eval_every(self.eval_every)
            .with_prior_dropout(self.prior_dropout)
            .with_select_for_new_questions(self.select_for_new_questions)
            .with_mixup(mixup)
            .with_seed(seed))
    }
}

#[derive(Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub surveys: Surveys,
    #[command(flatten)]
    pub fold: FoldArgs,
    #[command(flatten)]
    pub settings: TrainSettings,
    #[command(flatten)]
    pub selection: Selection,
    /// Where to save the model (default: <cache>/models/<task>-<split>-<seed>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Checkpoint file (default: <out>/checkpoint.gpockpt).
    #[arg(long)]
    pub checkpoint: Option<PathBuf>,
    #[arg(long, default_value_t = 100)]
    pub checkpoint_every: usize,
    /// Continue from the checkpoint if there is one.
    #[arg(long)]
    pub resume: bool,
    /// Hold this share of the questions out of training altogether (no answer to them is
    /// seen), so that `gpo eval --new-questions` can score the model on questions it never saw.
    #[arg(long, default_value_t = 0.0)]
    pub holdout_questions: f64,
}

pub fn progress_bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:28}] {pos}/{len} steps · {per_sec} · {prefix}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

pub fn default_model_dir(common: &Common, task: &str, split: f64, seed: u64) -> anyhow::Result<PathBuf> {
    let cache = gpo_core::embed::weights::resolve_cache_dir(common.cache.as_deref())?;
    Ok(cache.join("models").join(format!("{task}-{split}-{seed}")))
}

pub fn run(common: &Common, args: TrainArgs) -> anyhow::Result<()> {
    let survey = args.surveys.one()?.load(common, &args.selection)?;
    let task = survey.info.id.clone();
    let embeddings = crate::embed::task_embeddings(common, &survey, args.settings.format)?;
    let split = protocol::split(&survey, &ProtocolConfig::new(args.fold.split, args.fold.seed))?;
    anyhow::ensure!(
        (0.0..1.0).contains(&args.holdout_questions),
        "--holdout-questions: {} is not in [0, 1)",
        args.holdout_questions
    );
    // Respondents are split on the whole survey (so that eval finds the same split); training
    // then never sees an answer to a held-out question.
    let held_out = new_questions::holdout_questions(&survey, args.holdout_questions, args.fold.seed);
    let visible = new_questions::without_answers_to(&survey, &held_out);
    // A training episode needs two answered questions.
    let trainable: Vec<usize> =
        split.train.iter().copied().filter(|&r| visible.respondents[r].answers.len() >= 2).collect();
    let config = args.settings.config(args.fold.seed, survey.info.kind)?;
    let device = args.settings.device.init()?;
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => default_model_dir(common, &task, args.fold.split, args.fold.seed)?,
    };
    let checkpoint = args.checkpoint.clone().unwrap_or_else(|| out.join("checkpoint.gpockpt"));
    eprintln!(
        "training GPO on {task} (split {}, seed {}): {} training and {} validation respondents, {} of {} questions held out, {} on {}",
        args.fold.split,
        args.fold.seed,
        trainable.len(),
        split.validation.len(),
        held_out.len(),
        survey.questions.len(),
        config.model,
        gpo_core::device::describe(&device)
    );
    let data =
        TrainData { survey: &visible, embeddings: &embeddings, train: &trainable, validation: &split.validation };
    let run = TrainRun {
        config: config.clone(),
        device: device.clone(),
        checkpoint: Some(checkpoint),
        checkpoint_every: args.checkpoint_every,
        resume: args.resume,
        stop_after: None,
    };
    let bar = progress_bar(config.steps);
    let outcome = train(&data, &run, |p| {
        bar.set_position(p.step as u64);
        bar.set_message(format!("loss {:.3}", p.loss));
        bar.set_prefix(match p.last_validation {
            Some(v) => format!("validation {v:.4} (best {:.4})", p.best_validation.unwrap_or(v)),
            None => "validation –".into(),
        });
    })?;
    bar.finish_and_clear();
    let names = |ids: &[usize]| ids.iter().map(|&i| survey.respondents[i].name.clone()).collect();
    let meta = ModelMeta {
        holdout_questions: args.holdout_questions,
        task: task.clone(),
        format: args.settings.format.id().into(),
        split: args.fold.split,
        seed: args.fold.seed,
        train_respondents: names(&split.train),
        validation_respondents: names(&split.validation),
        best_step: outcome.best_step,
        best_validation: outcome.best_score,
        history: outcome.history.clone(),
        seconds: outcome.seconds,
        device: gpo_core::device::describe(&device),
    };
    save_model(&out, &outcome.best, &outcome.config, &meta)?;
    eprintln!(
        "{} steps in {:.1} s ({:.2} steps/s); best validation {} at step {} → {}",
        outcome.steps_run,
        outcome.seconds,
        outcome.steps_run as f64 / outcome.seconds.max(1e-9),
        outcome.best_score.map_or("–".into(), |v| format!("{v:.4}")),
        outcome.best_step,
        out.display()
    );
    Ok(())
}
