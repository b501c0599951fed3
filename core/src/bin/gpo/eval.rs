//! `gpo eval`: score a saved GPO model on its fold's test respondents, beside the baselines.

use std::path::PathBuf;

use clap::Args;
use gpo_core::eval::factor::{FactorMethod, FactorModel};
use gpo_core::eval::knn::KnnMethod;
use gpo_core::eval::new_questions;
use gpo_core::eval::protocol::{self, ProtocolConfig};
use gpo_core::eval::ridge::RidgeMethod;
use gpo_core::eval::run::{Fold, Method, PriorMethod, UniformMethod, test_episodes};
use gpo_core::eval::score::{Score, evaluate};
use gpo_core::export::model::load_model;
use gpo_core::model::{GpoRunner, Population};

use crate::cli::{Common, DeviceArg, FoldArgs, Selection, TaskChoice};

#[derive(Args)]
pub struct EvalArgs {
    #[arg(long)]
    pub task: TaskChoice,
    #[command(flatten)]
    pub fold: FoldArgs,
    /// The model folder (default: <cache>/models/<task>-<split>-<seed>).
    #[arg(long)]
    pub model_dir: Option<PathBuf>,
    /// Context questions per test respondent.
    #[arg(long, default_value_t = 20)]
    pub context: usize,
    #[arg(long, default_value = "cpu")]
    pub device: DeviceArg,
    #[command(flatten)]
    pub selection: Selection,
    #[arg(long)]
    pub json: bool,
    /// Score a model trained with `--holdout-questions` on the questions it never saw (as a
    /// question written in the page's editor), beside the baselines that need no statistics of
    /// them: the prior estimated from their text, uniform, ridge, kNN.
    #[arg(long)]
    pub new_questions: bool,
}

pub fn run(common: &Common, args: EvalArgs) -> anyhow::Result<()> {
    let tasks = args.task.tasks();
    anyhow::ensure!(tasks.len() == 1, "--task: evaluate one task at a time");
    let task = tasks[0];
    let dir = match &args.model_dir {
        Some(dir) => dir.clone(),
        None => crate::train::default_model_dir(common, task.id(), args.fold.split, args.fold.seed)?,
    };
    let device = args.device.init()?;
    let (model, train_config, meta) = load_model(&dir, &device)?;
    anyhow::ensure!(
        meta.task == task.id() && meta.split == args.fold.split && meta.seed == args.fold.seed,
        "{} was trained on {} split {} seed {}, not {task} split {} seed {}",
        dir.display(),
        meta.task,
        meta.split,
        meta.seed,
        args.fold.split,
        args.fold.seed
    );
    let survey = crate::cli::load(common, task, &args.selection)?;
    let format = gpo_core::embed::TextFormat::parse(&meta.format)
        .ok_or_else(|| anyhow::anyhow!("{}: unknown text format {}", dir.display(), meta.format))?;
    let embeddings = crate::embed::task_embeddings(common, &survey, format)?;
    let mut config = ProtocolConfig::new(args.fold.split, args.fold.seed);
    config.context = args.context;
    let split = protocol::split(&survey, &config)?;
    let names: Vec<String> = split.train.iter().map(|&i| survey.respondents[i].name.clone()).collect();
    anyhow::ensure!(
        names == meta.train_respondents,
        "the model's training respondents differ from this split's (another data selection?)"
    );
    let fold = Fold { survey: &survey, split: &split, config: &config };
    let factors = train_config.model.population_factors;
    let mut rows: Vec<(String, Score)> = Vec::new();
    let started = std::time::Instant::now();
    let gpo_seconds;
    if args.new_questions {
        anyhow::ensure!(
            meta.holdout_questions > 0.0,
            "--new-questions: {} was trained on every question; train one with --holdout-questions to score it on questions it never saw",
            dir.display()
        );
        let held_out = new_questions::holdout_questions(&survey, meta.holdout_questions, meta.seed);
        let visible = new_questions::without_answers_to(&survey, &held_out);
        let episodes =
            new_questions::new_question_episodes(&survey, &split.test, &held_out, args.context, args.fold.seed);
        // What the page knows of a question written in its editor: nothing but its text.
        let population = Population::fit(&visible, &embeddings, &split.meta_train(), factors);
        let text_prior = new_questions::TextPrior { population: &population, offsets: &embeddings.offsets };
        let text_prior = evaluate(&survey, &episodes, &text_prior)?;
        let position_prior = new_questions::PositionPrior::fit(&population, &embeddings.offsets);
        let position_prior = evaluate(&survey, &episodes, &position_prior)?;
        // The factor model on the loadings estimated from the text, with the training's strength.
        let text_factor = FactorModel {
            population: &population,
            offsets: &embeddings.offsets,
            factors,
            lambda: train_config.model.factor_lambda,
        };
        let text_factor = evaluate(&survey, &episodes, &text_factor)?;
        let runner =
            GpoRunner::new(model, embeddings.clone(), population.clone(), train_config.model.offset(), &device);
        rows.push(("gpo-new".into(), evaluate(&survey, &episodes, &runner)?));
        gpo_seconds = started.elapsed().as_secs_f64();
        rows.push(("text-prior".into(), text_prior));
        rows.push(("position-prior".into(), position_prior));
        rows.push(("text-factor".into(), text_factor));
        let baselines: Vec<Box<dyn Method>> = vec![
            Box::new(UniformMethod),
            Box::new(RidgeMethod { embeddings: &embeddings, base: None }),
            Box::new(RidgeMethod { embeddings: &embeddings, base: Some(&population) }),
            Box::new(KnnMethod::new(&embeddings)),
        ];
        // The baselines choose their settings on validation respondents' visible answers only.
        let visible_fold = Fold { survey: &visible, split: &split, config: &config };
        for method in &baselines {
            let predictor = method.build(&visible_fold)?;
            rows.push((method.name(), evaluate(&survey, &episodes, predictor.as_ref())?));
        }
        eprintln!(
            "{task}: {} of {} questions never seen in training; {} test respondents answered some",
            held_out.len(),
            survey.questions.len(),
            episodes.len()
        );
    } else {
        let episodes = test_episodes(&fold);
        let population = Population::fit(&survey, &embeddings, &split.meta_train(), factors);
        let runner = GpoRunner::new(model, embeddings.clone(), population, train_config.model.offset(), &device);
        rows.push(("gpo".into(), evaluate(&survey, &episodes, &runner)?));
        gpo_seconds = started.elapsed().as_secs_f64();
        let baselines: Vec<Box<dyn Method>> = vec![
            Box::new(UniformMethod),
            Box::new(PriorMethod),
            Box::new(RidgeMethod { embeddings: &embeddings, base: None }),
            Box::new(KnnMethod::new(&embeddings)),
            Box::new(FactorMethod::new(&survey)),
        ];
        for method in &baselines {
            let predictor = method.build(&fold)?;
            rows.push((method.name(), evaluate(&survey, &episodes, predictor.as_ref())?));
        }
    }
    if args.json {
        let json: Vec<serde_json::Value> = rows
            .iter()
            .map(|(m, s)| serde_json::json!({"method": m, "split": args.fold.split, "seed": args.fold.seed, "value": s.value, "loglik": s.loglik, "pairs": s.pairs}))
            .collect();
        println!("{}", serde_json::to_string(&json)?);
    } else {
        println!(
            "{task}, split {}, seed {}: {} test respondents, {} context questions each",
            args.fold.split,
            args.fold.seed,
            split.test.len(),
            args.context
        );
        for (method, score) in &rows {
            let loglik = score.loglik.map_or(String::new(), |l| format!("  loglik {l:.3}"));
            println!("  {method:>14}  {:.4}{loglik}  ({} pairs)", score.value, score.pairs);
        }
        println!("GPO predicted {} pairs in {:.2} s", rows[0].1.pairs, gpo_seconds);
    }
    Ok(())
}
