//! `gpo baselines`: the baseline table with the paper's protocol.

use gpo_core::eval::factor::FactorMethod;
use gpo_core::eval::knn::KnnMethod;
use gpo_core::eval::ridge::RidgeMethod;
use gpo_core::eval::run::{Method, PriorMethod, UniformMethod, run_methods};

use crate::cli::{BaselinesArgs, Common};

pub fn run(common: &Common, args: BaselinesArgs) -> anyhow::Result<()> {
    for source in args.surveys.named()? {
        let started = std::time::Instant::now();
        let survey = source.load(common, &args.selection)?;
        let id = survey.info.id.clone();
        let embeddings = if args.no_embeddings {
            None
        } else {
            Some(crate::context::task_embeddings(common, &survey, args.format)?)
        };
        let mut methods: Vec<Box<dyn Method + '_>> =
            vec![Box::new(UniformMethod), Box::new(PriorMethod), Box::new(FactorMethod::new(&survey))];
        if let Some(embeddings) = &embeddings {
            methods.push(Box::new(RidgeMethod { embeddings, base: None }));
            methods.push(Box::new(KnnMethod::new(embeddings)));
        }
        let methods: Vec<&dyn Method> = methods.iter().map(|m| m.as_ref()).collect();
        let table =
            run_methods(&survey, &methods, &args.folds.splits, &args.folds.seeds, |method, split, seed, score| {
                eprintln!("{id} {method:>8} split {split} seed {seed}: {:.4} over {} pairs", score.value, score.pairs);
            })?;
        if args.json {
            println!("{}", serde_json::to_string(&table)?);
        } else {
            println!("{} — {}\n{}", survey.info.title, table.metric, table.to_markdown());
        }
        if args.write_docs {
            crate::records::record(&format!("baselines-{id}"), &table, started.elapsed().as_secs_f64())?;
        }
    }
    Ok(())
}
