//! `gpo reproduce`: the paper's table on our data. For each task × split × seed: train GPO
//! (selected on validation respondents), evaluate it on the test respondents with 20 context
//! questions beside every baseline; print the table and, with `--write-docs`, record it in
//! docs/results/<task>.json and docs/RESULTS.md.

use std::time::Instant;

use anyhow::Context;
use clap::Args;
use gpo_core::eval::factor::FactorMethod;
use gpo_core::eval::gpo_method::GpoMethod;
use gpo_core::eval::knn::KnnMethod;
use gpo_core::eval::ridge::RidgeMethod;
use gpo_core::eval::run::{Method, PriorMethod, UniformMethod, run_methods};
use gpo_core::eval::table::ResultTable;
use serde::Serialize;

use crate::cli::{Common, FoldsArgs, Selection, Surveys};
use crate::context::training_progress;
use crate::records::{command_line, docs_dir, machine, replace_section};
use crate::train_settings::TrainSettings;

#[derive(Args)]
pub struct ReproduceArgs {
    /// The survey (default: the three built-in tasks).
    #[command(flatten)]
    pub surveys: Surveys,
    #[command(flatten)]
    pub folds: FoldsArgs,
    #[command(flatten)]
    pub settings: TrainSettings,
    #[command(flatten)]
    pub selection: Selection,
    /// Print the table as JSON (the row shape of `gpo baselines --json`).
    #[arg(long)]
    pub json: bool,
    /// Record the table in docs/results/<task>.json and docs/RESULTS.md.
    #[arg(long)]
    pub write_docs: bool,
    /// Skip saving the trained models to <cache>/models.
    #[arg(long)]
    pub no_save: bool,
}

#[derive(Serialize)]
struct TrainingRecord {
    split: f64,
    seed: u64,
    best_step: usize,
    best_validation: Option<f64>,
    seconds: f64,
}

#[derive(Serialize)]
struct Recorded<'a> {
    command: String,
    wall_seconds: f64,
    training_seconds: f64,
    machine: String,
    table: &'a ResultTable,
    training: Vec<TrainingRecord>,
    settings: serde_json::Value,
}

pub fn run(common: &Common, args: ReproduceArgs) -> anyhow::Result<()> {
    for source in args.surveys.all_or_named() {
        let started = Instant::now();
        let survey = source.load(common, &args.selection)?;
        let task = survey.info.id.clone();
        let format = args.settings.format;
        let embeddings = crate::context::task_embeddings(common, &survey, format)?;
        let config = args.settings.config(0, survey.info.kind)?;
        let device = args.settings.device.init()?;
        let bar = training_progress(config.steps);
        let mut gpo = GpoMethod::new(&embeddings, format, config.clone(), device, |split, seed, p| {
            bar.set_position(p.step as u64);
            bar.set_message(format!("{task} {split}/{seed}"));
            bar.set_prefix(format!(
                "loss {:.3} · validation {}",
                p.loss,
                p.last_validation.map_or("–".into(), |v| format!("{v:.4}"))
            ));
        });
        if !args.no_save {
            let cache = gpo_core::embed::weights::resolve_cache_dir(common.cache.as_deref())?;
            gpo.save_dir = Some(cache.join("models"));
        }
        let methods: Vec<Box<dyn Method + '_>> = vec![
            Box::new(UniformMethod),
            Box::new(PriorMethod),
            Box::new(RidgeMethod { embeddings: &embeddings, base: None }),
            Box::new(KnnMethod::new(&embeddings)),
            Box::new(FactorMethod::new(&survey)),
        ];
        let mut all: Vec<&dyn Method> = methods.iter().map(|m| m.as_ref()).collect();
        all.push(&gpo);
        let table = run_methods(&survey, &all, &args.folds.splits, &args.folds.seeds, |method, split, seed, score| {
            bar.println(format!("{task} split {split} seed {seed} {method:>8}: {:.4}", score.value));
        })?;
        bar.finish_and_clear();
        let wall = started.elapsed().as_secs_f64();
        let training: Vec<TrainingRecord> = gpo
            .trained
            .borrow()
            .iter()
            .map(|t| TrainingRecord {
                split: t.split,
                seed: t.seed,
                best_step: t.best_step,
                best_validation: t.best_validation,
                seconds: t.seconds,
            })
            .collect();
        let training_seconds = training.iter().map(|t| t.seconds).sum();
        if args.json {
            println!("{}", serde_json::to_string(&table)?);
        } else {
            println!(
                "{} — {} ({wall:.0} s, of which training {training_seconds:.0} s)\n{}",
                survey.info.title,
                table.metric,
                table.to_markdown()
            );
        }
        if args.write_docs {
            let record = Recorded {
                command: command_line(),
                wall_seconds: wall,
                training_seconds,
                machine: machine(),
                table: &table,
                training,
                settings: serde_json::from_str(&config.to_string())?,
            };
            write_docs(&task, &record)?;
        }
    }
    Ok(())
}

fn write_docs(task: &str, record: &Recorded) -> anyhow::Result<()> {
    let docs = docs_dir()?;
    let json_path = docs.join("results").join(format!("{task}.json"));
    gpo_core::util::fs::write_atomic(&json_path, serde_json::to_string_pretty(record)?.as_bytes())
        .with_context(|| format!("writing {}", json_path.display()))?;
    let section = format!(
        "Command: `{}` — wall time {:.0} s ({:.0} s training) on {}.\n\n{}",
        record.command,
        record.wall_seconds,
        record.training_seconds,
        record.machine,
        record.table.to_markdown()
    );
    replace_section(&docs.join("RESULTS.md"), &format!("reproduce:{task}"), &section)
}
