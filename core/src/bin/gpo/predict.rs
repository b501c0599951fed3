//! `gpo predict`: GPO's predictions from a web bundle, natively — for a person's answers, or
//! for a new question (as written in the page's editor) for every group of the survey. The
//! browser tests compare the page's predictions with these.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gpo_core::embed::TextFormat;
use gpo_core::export::bundle::Manifest;
use gpo_core::export::predictor::{SurveyPredictor, block_on};
use serde::{Deserialize, Serialize};

use crate::cli::{Common, DeviceArg};

#[derive(Args)]
pub struct PredictArgs {
    /// The bundle folder (from `gpo export-web`).
    #[arg(long)]
    pub bundle: PathBuf,
    /// The survey's id in the bundle (`oqa`, `gd4`, `goqa`, or a survey folder's own id).
    #[arg(long, required_unless_present = "survey")]
    pub task: Option<String>,
    /// The survey folder the bundle's survey was exported from (`gpo export-web --survey`).
    #[arg(long, conflicts_with = "task")]
    pub survey: Option<PathBuf>,
    /// JSON file: `[{"question": "<key>", "option": <index>}, …]`.
    #[arg(long, required_unless_present = "question", conflicts_with = "question")]
    pub answers: Option<PathBuf>,
    /// A new question: every group's predicted distribution on it (needs `--option`s).
    #[arg(long, requires = "options")]
    pub question: Option<String>,
    /// An option of the new question (repeat the flag).
    #[arg(long = "option")]
    pub options: Vec<String>,
    /// With `--question`: how many of each group's real answers are its context (in the page's
    /// order); `0`: all.
    #[arg(long, default_value_t = 20)]
    pub context: usize,
    /// With `--question`: print instead the N survey questions most like it, by the text map's
    /// similarity (what its estimated prior drew on; the page's editor lists the same).
    #[arg(long, requires = "question")]
    pub similar: Option<usize>,
    #[arg(long, default_value = "cpu")]
    pub device: DeviceArg,
}

#[derive(Deserialize)]
struct AnswerIn {
    question: String,
    option: usize,
}

#[derive(Serialize)]
struct GroupPredictionOut {
    group: String,
    label: String,
    context: usize,
    probs: Vec<f32>,
    std: Vec<f32>,
}

#[derive(Serialize)]
struct SimilarOut {
    key: String,
    text: String,
    similarity: f64,
}

#[derive(Serialize)]
struct PredictionOut {
    key: String,
    probs: Vec<f32>,
    std: Vec<f32>,
}

pub fn run(common: &Common, args: PredictArgs) -> anyhow::Result<()> {
    let read = |name: &str| {
        let path = args.bundle.join(name);
        std::fs::read(&path).with_context(|| format!("reading {}", path.display()))
    };
    let manifest = Manifest::parse(&read("manifest.json")?, "manifest.json")?;
    let id = match (&args.task, &args.survey) {
        (Some(id), _) => id.clone(),
        (None, Some(dir)) => gpo_core::data::format::read_survey(dir)?.info.id,
        (None, None) => anyhow::bail!("name the survey: --task ID or --survey FOLDER"),
    };
    let entry =
        manifest.surveys.iter().find(|s| s.task == id).with_context(|| format!("no survey '{id}' in the bundle"))?;
    let (survey_bytes, embedding_bytes, model_bytes) =
        (read(&entry.survey)?, read(&entry.embeddings)?, read(&entry.model)?);
    for (name, bytes) in
        [(&entry.survey, &survey_bytes), (&entry.embeddings, &embedding_bytes), (&entry.model, &model_bytes)]
    {
        manifest.verify(name, bytes)?;
    }
    let device = args.device.init()?;
    let predictor = SurveyPredictor::load(entry, &survey_bytes, &embedding_bytes, model_bytes, &device)?;
    if let Some(question) = &args.question {
        let format = manifest.encoder.as_ref().map_or("qa", |e| e.format.as_str());
        return predict_new_question(common, &predictor, question, &args, format, &device);
    }
    let path = args.answers.as_ref().expect("clap: --answers or --question");
    let answers: Vec<AnswerIn> =
        serde_json::from_slice(&std::fs::read(path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("{}: expected [{{\"question\": key, \"option\": index}}]", path.display()))?;
    let questions = &predictor.survey().questions;
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
    let targets: Vec<usize> = (0..questions.len()).filter(|q| !chosen.iter().any(|(c, _)| c == q)).collect();
    let prediction = block_on(predictor.predict_person(&chosen, &targets))?;
    let out: Vec<PredictionOut> = targets
        .iter()
        .zip(prediction.forecasts)
        .map(|(&q, f)| PredictionOut { key: questions[q].key.clone(), probs: f.probs, std: f.std })
        .collect();
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}

/// Every group's prediction for a new question: embedded natively, its prior estimated from its
/// text, each group's first `context` answers (the page's order) as context.
fn predict_new_question(
    common: &Common,
    predictor: &SurveyPredictor,
    question: &str,
    args: &PredictArgs,
    format: &str,
    device: &burn::prelude::Device,
) -> anyhow::Result<()> {
    let (options, context) = (&args.options, args.context);
    anyhow::ensure!(options.len() >= 2, "--option: a question needs at least two options");
    let format =
        TextFormat::parse(format).with_context(|| format!("the bundle's encoder: unknown text format {format}"))?;
    let (encoder, _) = crate::context::encoder(common, device)?;
    let embedded = encoder.embed(&format.texts(question, options), 32, |_| {})?;
    let vectors: Vec<f32> = (0..options.len()).flat_map(|i| embedded.row(i).to_vec()).collect();
    let predictor = predictor.with_questions(&[&vectors]);
    let target = predictor.own_questions();
    if let Some(count) = args.similar {
        let questions = &predictor.survey().questions;
        let out: Vec<SimilarOut> = predictor
            .similar_questions(target, count)
            .into_iter()
            .map(|n| SimilarOut {
                key: questions[n.question].key.clone(),
                text: questions[n.question].text.clone(),
                similarity: n.similarity,
            })
            .collect();
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    let size = (context > 0).then_some(context);
    let forecasts = block_on(predictor.predict_groups(target, size, |_| std::ops::ControlFlow::Continue(())))?
        .expect("never stopped");
    let groups = &predictor.survey().groups;
    let out: Vec<GroupPredictionOut> = groups
        .iter()
        .zip(predictor.group_contexts(size))
        .zip(forecasts)
        .map(|((group, context), f)| GroupPredictionOut {
            group: group.name.clone(),
            label: group.label.clone(),
            context: context.len(),
            probs: f.probs,
            std: f.std,
        })
        .collect();
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
