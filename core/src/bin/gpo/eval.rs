//! `gpo eval`: score a saved GPO model on its fold's test respondents, beside the baselines.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gpo_core::data::DataError;
use gpo_core::data::format::read_answers_file;
use gpo_core::eval::factor::FactorMethod;
use gpo_core::eval::knn::KnnMethod;
use gpo_core::eval::linear_text_prior::LinearTextPrior;
use gpo_core::eval::new_groups::add_groups;
use gpo_core::eval::new_questions;
use gpo_core::eval::ridge::RidgeMethod;
use gpo_core::eval::run::{Fold, Method, PriorMethod, UniformMethod, test_episodes};
use gpo_core::model::factor::FactorModel;
use gpo_core::model::{GpoRunner, Population};
use gpo_core::protocol::score::{Predictor, Score, evaluate, predict, score_each, score_episodes};
use gpo_core::protocol::{self, ProtocolConfig};
use gpo_core::train::saved::load_model;

use crate::cli::{Common, DeviceArg, FoldArgs, Selection, Surveys};

#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub surveys: Surveys,
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
    #[arg(long, conflicts_with = "groups")]
    pub new_questions: bool,
    /// Score these respondents instead of the fold's test respondents: a file in the answers
    /// format (`respondent,question,option,weight`, docs/FORMATS.md) answering the model's
    /// survey. A name of one of the fold's test respondents takes its place; a training or
    /// validation respondent's name is refused. Prints a score per respondent too.
    #[arg(long)]
    pub groups: Option<PathBuf>,
    /// With --groups: skip (and count) rows naming a question or option the survey lacks.
    #[arg(long, requires = "groups")]
    pub skip_unknown: bool,
    /// The model (--model-dir) was trained on another survey: score it on this survey's fold,
    /// its population statistics (prior, factors) taken from this survey's meta-train
    /// respondents, as a pretrained model would serve a new survey without training.
    #[arg(long, requires = "model_dir", conflicts_with = "new_questions")]
    pub transfer: bool,
}

pub fn run(common: &Common, args: EvalArgs) -> anyhow::Result<()> {
    let mut survey = args.surveys.one()?.load(common, &args.selection)?;
    let task = survey.info.id.clone();
    let dir = match &args.model_dir {
        Some(dir) => dir.clone(),
        None => crate::context::default_model_dir(common, &task, args.fold.split, args.fold.seed)?,
    };
    let device = args.device.init()?;
    let (model, train_config, meta) = load_model(&dir, &device)?;
    anyhow::ensure!(
        args.transfer || (meta.task == task && meta.split == args.fold.split && meta.seed == args.fold.seed),
        "{} was trained on {} split {} seed {}, not {task} split {} seed {}",
        dir.display(),
        meta.task,
        meta.split,
        meta.seed,
        args.fold.split,
        args.fold.seed
    );
    let format = gpo_core::embed::TextFormat::parse(&meta.format)
        .ok_or_else(|| anyhow::anyhow!("{}: unknown text format {}", dir.display(), meta.format))?;
    let embeddings = crate::context::task_embeddings(common, &survey, format)?;
    let mut config = ProtocolConfig::new(args.fold.split, args.fold.seed);
    config.context = args.context;
    let mut split = protocol::split(&survey, &config)?;
    let names: Vec<String> = split.train.iter().map(|&i| survey.respondents[i].name.clone()).collect();
    anyhow::ensure!(
        args.transfer || names == meta.train_respondents,
        "the model's training respondents differ from this split's (another data selection?)"
    );
    if let Some(path) = &args.groups {
        let (given, report) = read_answers_file(path, &survey, args.skip_unknown)
            .map_err(DataError::Survey)
            .with_context(|| format!("reading the groups in {}", path.display()))?;
        let skipped = report.dropped.iter().map(|(_, n)| n).sum::<usize>();
        let added = add_groups(&mut survey, &split, given)?;
        eprintln!(
            "{}: {} respondents ({} in place of the fold's test respondents of the same name, {} new){}",
            path.display(),
            added.test.len(),
            added.replaced,
            added.test.len() - added.replaced,
            if skipped > 0 {
                format!("; {skipped} rows naming an unknown question or option skipped")
            } else {
                String::new()
            }
        );
        split.test = added.test;
    }
    let survey = survey;
    let fold = Fold { survey: &survey, split: &split, config: &config };
    let factors = train_config.model.population_factors;
    let mut rows: Vec<(String, Score)> = Vec::new();
    // With --groups: each method's score of each given respondent.
    let mut per_group: Vec<(String, Vec<Option<Score>>)> = Vec::new();
    let mut group_names: Vec<String> = Vec::new();
    // With --new-questions: (method, similarity band, questions in it, score).
    let mut bands: Vec<(&str, f64, f64, usize, Score)> = Vec::new();
    let started = std::time::Instant::now();
    let gpo_seconds;
    if args.new_questions {
        anyhow::ensure!(
            meta.holdout_questions > 0.0,
            "--new-questions: {} was trained on every question; train one with --holdout-questions to score it on questions it never saw",
            dir.display()
        );
        let held_out = new_questions::holdout_questions(&survey, meta.holdout_questions, meta.seed, meta.holdout);
        let visible = new_questions::without_answers_to(&survey, &held_out);
        let episodes =
            new_questions::new_question_episodes(&survey, &split.test, &held_out, args.context, args.fold.seed);
        // What the page knows of a question written in its editor: nothing but its text.
        let population = Population::fit(&visible, &embeddings, &split.meta_train(), factors);
        let text_predictor = new_questions::TextPrior { population: &population, offsets: &embeddings.offsets };
        let text_prior = evaluate(&survey, &episodes, &text_predictor)?;
        let position_predictor = new_questions::PositionPrior::fit(&population, &embeddings.offsets);
        let position_prior = evaluate(&survey, &episodes, &position_predictor)?;
        let linear_prior = LinearTextPrior::fit(&embeddings, &population);
        let linear_prior = evaluate(&survey, &episodes, &linear_prior)?;
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
        // The same, by how close each held-out question is to a known one.
        let predictors: [(&str, &dyn Predictor); 3] =
            [("gpo-new", &runner), ("text-prior", &text_predictor), ("position-prior", &position_predictor)];
        let banded = new_questions::by_similarity(&episodes, &held_out, &population, &embeddings);
        for ((questions, episodes), (low, high)) in banded.into_iter().zip(new_questions::SIMILARITY_BANDS) {
            for (method, predictor) in predictors {
                if !episodes.is_empty() {
                    bands.push((method, low, high, questions, evaluate(&survey, &episodes, predictor)?));
                }
            }
        }
        gpo_seconds = started.elapsed().as_secs_f64();
        rows.push(("text-prior".into(), text_prior));
        rows.push(("position-prior".into(), position_prior));
        rows.push(("linear-text-prior".into(), linear_prior));
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
            "{task}: {} of {} questions never seen in training ({} held out); {} test respondents answered some",
            held_out.len(),
            survey.questions.len(),
            match meta.holdout {
                new_questions::Holdout::Random => "drawn at random",
                new_questions::Holdout::Blocks => "whole blocks",
            },
            episodes.len()
        );
    } else {
        let episodes = test_episodes(&fold);
        let population = Population::fit(&survey, &embeddings, &split.meta_train(), factors);
        let runner = GpoRunner::new(model, embeddings.clone(), population, train_config.model.offset(), &device);
        let predictions = predict(&survey, &episodes, &runner)?;
        gpo_seconds = started.elapsed().as_secs_f64();
        let mut scored = vec![("gpo".to_string(), predictions)];
        let baselines: Vec<Box<dyn Method>> = vec![
            Box::new(UniformMethod),
            Box::new(PriorMethod),
            Box::new(RidgeMethod { embeddings: &embeddings, base: None }),
            Box::new(KnnMethod::new(&embeddings)),
            Box::new(FactorMethod::new(&survey)),
        ];
        for method in &baselines {
            let predictor = method.build(&fold)?;
            scored.push((method.name(), predict(&survey, &episodes, predictor.as_ref())?));
        }
        for (method, predictions) in &scored {
            rows.push((method.clone(), score_episodes(&survey, &episodes, predictions)?));
            if args.groups.is_some() {
                per_group.push((method.clone(), score_each(&survey, &episodes, predictions)?));
            }
        }
        group_names = episodes.iter().map(|e| survey.respondents[e.respondent].name.clone()).collect();
    }
    if args.transfer {
        eprintln!(
            "{task}: a model trained on {} (split {}, seed {}), population statistics from this survey",
            meta.task, meta.split, meta.seed
        );
    }
    if args.json {
        let mut json: Vec<serde_json::Value> = rows
            .iter()
            .map(|(m, s)| serde_json::json!({"method": m, "split": args.fold.split, "seed": args.fold.seed, "value": s.value, "loglik": s.loglik, "pairs": s.pairs}))
            .collect();
        for (method, scores) in &per_group {
            for (name, score) in group_names.iter().zip(scores) {
                let (value, loglik, pairs) = score.map_or((None, None, 0), |s| (Some(s.value), s.loglik, s.pairs));
                json.push(serde_json::json!({"method": method, "group": name, "value": value, "loglik": loglik, "pairs": pairs}));
            }
        }
        for (method, low, high, questions, s) in &bands {
            let high = high.is_finite().then_some(*high);
            json.push(serde_json::json!({"method": method, "similarity": [low, high], "questions": questions, "value": s.value, "pairs": s.pairs}));
        }
        println!("{}", serde_json::to_string(&json)?);
    } else {
        let who = if args.groups.is_some() { "given" } else { "test" };
        println!(
            "{task}, split {}, seed {}: {} {who} respondents, {} context questions each",
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
        if !bands.is_empty() {
            println!("by similarity to the closest known question (the text map's kernel):");
        }
        for (method, low, high, questions, s) in &bands {
            println!(
                "  [{low:.1}, {high:.1})  {questions:>4} questions  {method:>14}  {:.4}  ({} pairs)",
                s.value, s.pairs
            );
        }
        if !per_group.is_empty() {
            print!("{}", per_group_table(&group_names, &per_group));
        }
    }
    Ok(())
}

/// One line per given respondent: its pairs and each method's score, worst GPO score first.
fn per_group_table(names: &[String], per_group: &[(String, Vec<Option<Score>>)]) -> String {
    let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0).max(10);
    let mut out = format!("\nper respondent (worst GPO score first):\n  {:<width$} {:>6}", "respondent", "pairs");
    for (method, _) in per_group {
        out.push_str(&format!(" {method:>8}"));
    }
    out.push('\n');
    let gpo = &per_group[0].1;
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        let value = |i: usize| gpo[i].map_or(f64::INFINITY, |s| s.value);
        value(a).total_cmp(&value(b))
    });
    for i in order {
        out.push_str(&format!("  {:<width$} {:>6}", names[i], gpo[i].map_or(0, |s| s.pairs)));
        for (_, scores) in per_group {
            out.push_str(&scores[i].map_or(format!(" {:>8}", "–"), |s| format!(" {:>8.4}", s.value)));
        }
        out.push('\n');
    }
    out
}
