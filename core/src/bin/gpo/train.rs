//! `gpo train`: meta-train GPO on one (task, split, seed) and save the best model.

use std::path::PathBuf;

use clap::Args;
use gpo_core::eval::new_questions;
use gpo_core::protocol::{self, ProtocolConfig};
use gpo_core::train::saved::{ModelMeta, save_model};
use gpo_core::train::trainer::{TrainData, TrainRun, train};

use crate::cli::{Common, FoldArgs, Selection, Surveys};
use crate::context::{default_model_dir, training_progress};
use crate::train_settings::TrainSettings;

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
    /// How the held-out questions are chosen: `random` (a new question of a known survey) or
    /// `blocks` (whole survey waves, or runs of the survey's order: a new survey).
    #[arg(long, default_value = "random", value_parser = parse_holdout)]
    pub holdout_by: new_questions::Holdout,
}

fn parse_holdout(text: &str) -> Result<new_questions::Holdout, String> {
    new_questions::Holdout::parse(text).ok_or_else(|| format!("'{text}' is not random or blocks"))
}

pub fn run(common: &Common, args: TrainArgs) -> anyhow::Result<()> {
    let survey = args.surveys.one()?.load(common, &args.selection)?;
    let task = survey.info.id.clone();
    let embeddings = crate::context::task_embeddings(common, &survey, args.settings.format)?;
    let split = protocol::split(&survey, &ProtocolConfig::new(args.fold.split, args.fold.seed))?;
    anyhow::ensure!(
        (0.0..1.0).contains(&args.holdout_questions),
        "--holdout-questions: {} is not in [0, 1)",
        args.holdout_questions
    );
    // Respondents are split on the whole survey (so that eval finds the same split); training
    // then never sees an answer to a held-out question.
    let held_out = new_questions::holdout_questions(&survey, args.holdout_questions, args.fold.seed, args.holdout_by);
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
    let bar = training_progress(config.steps);
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
        holdout: args.holdout_by,
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
