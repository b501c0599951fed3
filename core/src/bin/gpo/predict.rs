//! `gpo predict`: GPO's predictions from a web bundle for a person's answers, natively (the
//! browser tests compare the page's predictions with these).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gpo_core::export::bundle::{BundleSurvey, Manifest, one_hot_answers};
use serde::{Deserialize, Serialize};

use crate::cli::{Common, DeviceArg};

#[derive(Args)]
pub struct PredictArgs {
    /// The bundle folder (from `gpo export-web`).
    #[arg(long)]
    pub bundle: PathBuf,
    #[arg(long)]
    pub task: String,
    /// JSON file: `[{"question": "<key>", "option": <index>}, …]`.
    #[arg(long)]
    pub answers: PathBuf,
    #[arg(long, default_value = "cpu")]
    pub device: DeviceArg,
}

#[derive(Deserialize)]
struct AnswerIn {
    question: String,
    option: usize,
}

#[derive(Serialize)]
struct PredictionOut {
    key: String,
    probs: Vec<f32>,
    std: Vec<f32>,
}

pub fn run(_common: &Common, args: PredictArgs) -> anyhow::Result<()> {
    let read = |name: &str| {
        let path = args.bundle.join(name);
        std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
    };
    let manifest = Manifest::parse(&read("manifest.json")?, "manifest.json")?;
    let entry = manifest
        .surveys
        .iter()
        .find(|s| s.task == args.task)
        .with_context(|| format!("no survey '{}' in the bundle", args.task))?;
    let (survey_bytes, embedding_bytes, model_bytes) =
        (read(&entry.survey)?, read(&entry.embeddings)?, read(&entry.model)?);
    for (name, bytes) in
        [(&entry.survey, &survey_bytes), (&entry.embeddings, &embedding_bytes), (&entry.model, &model_bytes)]
    {
        manifest.verify(name, bytes)?;
    }
    let device = args.device.init()?;
    let loaded = BundleSurvey::load(&survey_bytes, &embedding_bytes, model_bytes, entry, &device)?;
    let answers: Vec<AnswerIn> = serde_json::from_slice(
        &std::fs::read(&args.answers).with_context(|| format!("reading {}", args.answers.display()))?,
    )
    .with_context(|| format!("{}: expected [{{\"question\": key, \"option\": index}}]", args.answers.display()))?;
    let questions = &loaded.survey.questions;
    let chosen: Vec<(usize, usize)> = answers
        .iter()
        .map(|a| {
            let q = questions
                .iter()
                .position(|q| q.key == a.question)
                .with_context(|| format!("unknown question {}", a.question))?;
            anyhow::ensure!(a.option < questions[q].options.len(), "question {}: no option {}", a.question, a.option);
            Ok((q, a.option))
        })
        .collect::<anyhow::Result<_>>()?;
    let context = one_hot_answers(questions, &chosen);
    let targets: Vec<usize> = (0..questions.len()).filter(|q| !chosen.iter().any(|(c, _)| c == q)).collect();
    let prediction = loaded.runner.predict(&[loaded.episode(&context, targets.clone())]).remove(0);
    let out: Vec<PredictionOut> = targets
        .iter()
        .zip(prediction.probs.into_iter().zip(prediction.std))
        .map(|(&q, (probs, std))| PredictionOut { key: questions[q].key.clone(), probs, std })
        .collect();
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
