//! `gpo curve`: the few-shot curve (score vs number of context questions) for GPO and the
//! baselines, averaged over seeds, as JSON and an SVG chart in docs/.

use std::collections::BTreeMap;

use anyhow::Context;
use clap::Args;
use gpo_core::eval::curve::{CONTEXT_SIZES, CurvePoint, build_all, curve};
use gpo_core::eval::factor::FactorMethod;
use gpo_core::eval::knn::KnnMethod;
use gpo_core::eval::ridge::RidgeMethod;
use gpo_core::eval::run::{Fold, Method, PriorMethod, UniformMethod};
use gpo_core::model::{GpoRunner, Population};
use gpo_core::protocol::score::Predictor;
use gpo_core::protocol::{self, ProtocolConfig};
use gpo_core::train::saved::load_model;

use crate::chart::{Series, line_chart};
use crate::cli::{Common, Selection, Surveys};

#[derive(Args)]
pub struct CurveArgs {
    /// The survey (default: the three built-in tasks).
    #[command(flatten)]
    pub surveys: Surveys,
    #[arg(long, default_value_t = 0.6)]
    pub split: f64,
    #[arg(long, value_delimiter = ',', default_values_t = vec![0u64, 1, 2])]
    pub seeds: Vec<u64>,
    /// Write docs/curves/<task>.json and .svg.
    #[arg(long)]
    pub write_docs: bool,
}

pub fn run(common: &Common, args: CurveArgs) -> anyhow::Result<()> {
    let device = burn::prelude::Device::flex();
    for source in args.surveys.all_or_named() {
        let survey = source.load(common, &Selection::default())?;
        let task = survey.info.id.clone();
        let mut all: Vec<CurvePoint> = Vec::new();
        for &seed in &args.seeds {
            let dir = crate::context::default_model_dir(common, &task, args.split, seed)?;
            let (model, config, meta) = load_model(&dir, &device).with_context(|| {
                format!("no model in {} — run `gpo reproduce {}` first", dir.display(), source.flag())
            })?;
            let format = gpo_core::embed::TextFormat::parse(&meta.format).context("unknown text format")?;
            let embeddings = crate::context::task_embeddings(common, &survey, format)?;
            let protocol_config = ProtocolConfig::new(args.split, seed);
            let split = protocol::split(&survey, &protocol_config)?;
            let fold = Fold { survey: &survey, split: &split, config: &protocol_config };
            let population =
                Population::fit(&survey, &embeddings, &split.meta_train(), config.model.population_factors);
            let gpo = GpoRunner::new(model, embeddings.clone(), population, config.model.offset(), &device);
            let (ridge, knn, factor) = (
                RidgeMethod { embeddings: &embeddings, base: None },
                KnnMethod::new(&embeddings),
                FactorMethod::new(&survey),
            );
            let methods: Vec<&dyn Method> = vec![&UniformMethod, &PriorMethod, &ridge, &knn, &factor];
            let built = build_all(&methods, &fold)?;
            let mut predictors: Vec<(String, &dyn Predictor)> =
                built.iter().map(|(n, p)| (n.clone(), p.as_ref())).collect();
            predictors.push(("gpo".into(), &gpo));
            all.extend(curve(&survey, &fold, &predictors, &CONTEXT_SIZES)?);
            eprintln!("{task} seed {seed}: done");
        }
        // Mean over seeds.
        let mut sums: BTreeMap<(String, usize), (f64, usize, usize)> = BTreeMap::new();
        for p in &all {
            let e = sums.entry((p.method.clone(), p.context)).or_default();
            e.0 += p.value;
            e.1 += 1;
            e.2 = e.2.max(p.respondents);
        }
        let order = ["uniform", "prior", "ridge", "knn", "factor", "gpo"];
        let mut table =
            format!("{} — mean over seeds {:?}, split {}\n| method |", survey.info.title, args.seeds, args.split);
        let sizes: Vec<usize> = CONTEXT_SIZES.iter().copied().filter(|c| sums.keys().any(|k| k.1 == *c)).collect();
        for c in &sizes {
            table.push_str(&format!(" {c} |"));
        }
        table.push_str(&format!("\n|---|{}\n", "---|".repeat(sizes.len())));
        let mut series = Vec::new();
        for method in order {
            let points: Vec<(f64, f64)> = sizes
                .iter()
                .filter_map(|c| sums.get(&(method.to_string(), *c)).map(|(s, n, _)| (*c as f64, s / *n as f64)))
                .collect();
            table.push_str(&format!("| {method} |"));
            for (_, v) in &points {
                table.push_str(&format!(" {v:.4} |"));
            }
            table.push('\n');
            series.push(Series { name: method.to_string(), points });
        }
        println!("{table}");
        if args.write_docs {
            let docs = gpo_core::embed::weights::repo_root().context("no repository root")?.join("docs").join("curves");
            let json = serde_json::json!({ "task": task, "split": args.split, "seeds": args.seeds, "points": all });
            gpo_core::util::fs::write_atomic(
                &docs.join(format!("{task}.json")),
                serde_json::to_string_pretty(&json)?.as_bytes(),
            )?;
            let y = if survey.info.scoring == gpo_core::data::Scoring::Accuracy { "accuracy" } else { "alignment" };
            line_chart(
                &docs.join(format!("{task}.svg")),
                &format!("{}: few-shot curve", survey.info.title),
                "context questions",
                y,
                &series,
                true,
            )?;
        }
    }
    Ok(())
}
