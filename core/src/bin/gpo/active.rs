//! `gpo active`: does asking the most informative next question (GPO's predictive uncertainty)
//! reach a given accuracy with fewer answers than a random order? On held-out individuals.

use anyhow::Context;
use clap::Args;
use gpo_core::data::{RespondentKind, Task};
use gpo_core::eval::active::experiment;
use gpo_core::model::{GpoRunner, Population};
use gpo_core::protocol::{self, ProtocolConfig};
use gpo_core::train::saved::load_model;

use crate::chart::{Series, line_chart};
use crate::cli::{Common, FoldArgs, Selection, SurveySource, Surveys};

#[derive(Args)]
pub struct ActiveArgs {
    /// A survey of individual people (default: --task gd4).
    #[command(flatten)]
    pub surveys: Surveys,
    #[command(flatten)]
    pub fold: FoldArgs,
    /// Questions asked, one at a time.
    #[arg(long, default_value_t = 30)]
    pub answers: usize,
    /// Questions per person scored and never asked.
    #[arg(long, default_value_t = 40)]
    pub held_out: usize,
    /// At most this many test individuals.
    #[arg(long, default_value_t = 150)]
    pub people: usize,
    #[arg(long)]
    pub write_docs: bool,
}

pub fn run(common: &Common, args: ActiveArgs) -> anyhow::Result<()> {
    let source = match (&args.surveys.task, &args.surveys.survey) {
        (None, None) => SurveySource::Task(Task::Gd4),
        _ => args.surveys.one()?,
    };
    let device = burn::prelude::Device::flex();
    let survey = source.load(common, &Selection::default())?;
    anyhow::ensure!(
        survey.info.kind == RespondentKind::Person,
        "{}: asking the next question is for individual people; this survey's respondents are groups",
        survey.info.id
    );
    let dir = crate::context::default_model_dir(common, &survey.info.id, args.fold.split, args.fold.seed)?;
    let (model, config, meta) = load_model(&dir, &device)
        .with_context(|| format!("no model in {} — run `gpo reproduce {}` first", dir.display(), source.flag()))?;
    let format = gpo_core::embed::TextFormat::parse(&meta.format).context("unknown text format")?;
    let embeddings = crate::context::task_embeddings(common, &survey, format)?;
    let split = protocol::split(&survey, &ProtocolConfig::new(args.fold.split, args.fold.seed))?;
    let population = Population::fit(&survey, &embeddings, &split.meta_train(), config.model.population_factors);
    let runner = GpoRunner::new(model, embeddings, population, config.model.offset(), &device);
    let people: Vec<usize> = split.test.iter().copied().take(args.people).collect();
    let curve = experiment::run(&runner, &survey, &people, args.answers, args.held_out, args.fold.seed);
    println!(
        "answers | most informative | random   ({} people, {} held-out questions each)",
        curve.respondents, curve.held_out
    );
    for (i, (a, b)) in curve.informative.iter().zip(&curve.random).enumerate() {
        println!("{i:>7} | {a:.4} | {b:.4}");
    }
    // Answers needed to reach a level: the random order's accuracy after 10 and 20 answers.
    for target in [10usize, 20].iter().filter(|&&k| k <= args.answers) {
        let level = curve.random[*target];
        let needed = curve.informative.iter().position(|v| *v >= level);
        println!(
            "accuracy {level:.4} (random order after {target} answers): most informative needs {}",
            needed.map_or("more than the budget".into(), |n| format!("{n} answers"))
        );
    }
    if args.write_docs {
        let docs = gpo_core::embed::weights::repo_root().context("no repository root")?.join("docs").join("curves");
        gpo_core::util::fs::write_atomic(
            &docs.join(format!("active_{}.json", survey.info.id)),
            serde_json::to_string_pretty(&curve)?.as_bytes(),
        )?;
        let points = |v: &[f64]| v.iter().enumerate().map(|(i, y)| (i as f64, *y)).collect();
        let series = vec![
            Series { name: "most informative next question".into(), points: points(&curve.informative) },
            Series { name: "random order".into(), points: points(&curve.random) },
        ];
        line_chart(
            &docs.join(format!("active_{}.svg", survey.info.id)),
            &format!("{}: accuracy on held-out questions vs answers given", survey.info.title),
            "answers given",
            "accuracy",
            &series,
            false,
        )?;
    }
    Ok(())
}
