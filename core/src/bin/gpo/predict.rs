//! `gpo predict`: GPO's predictions from a web bundle, natively — for a person's answers, or
//! for a new question (as written in the page's editor) for every group of the survey. The
//! browser tests compare the page's predictions with these.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gpo_core::embed::TextFormat;
use gpo_core::export::bundle::{BundleSurvey, Manifest, one_hot_answers};
use gpo_core::model::EpisodeInput;
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
    let loaded = BundleSurvey::load(&survey_bytes, &embedding_bytes, model_bytes, entry, &device)?;
    if let Some(question) = &args.question {
        let format = manifest.encoder.as_ref().map_or("qa", |e| e.format.as_str());
        return predict_new_question(common, loaded, question, &args.options, format, args.context, &device);
    }
    let path = args.answers.as_ref().expect("clap: --answers or --question");
    let answers: Vec<AnswerIn> =
        serde_json::from_slice(&std::fs::read(path).with_context(|| format!("reading {}", path.display()))?)
            .with_context(|| format!("{}: expected [{{\"question\": key, \"option\": index}}]", path.display()))?;
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

/// Every group's prediction for a new question: embedded natively, its prior estimated from its
/// text, each group's first `context` answers (the page's order) as context.
fn predict_new_question(
    common: &Common,
    mut loaded: BundleSurvey,
    question: &str,
    options: &[String],
    format: &str,
    context: usize,
    device: &burn::prelude::Device,
) -> anyhow::Result<()> {
    anyhow::ensure!(options.len() >= 2, "--option: a question needs at least two options");
    let format =
        TextFormat::parse(format).with_context(|| format!("the bundle's encoder: unknown text format {format}"))?;
    let (encoder, _) = crate::embed::encoder(common, device)?;
    let embedded = encoder.embed(&format.texts(question, options), 32, |_| {})?;
    let vectors: Vec<f32> = (0..options.len()).flat_map(|i| embedded.row(i).to_vec()).collect();
    let target = loaded.runner.push_question(&vectors);
    let groups = &loaded.survey.groups;
    let episodes: Vec<EpisodeInput> = groups
        .iter()
        .map(|group| {
            let mut order = group.context_order();
            if context > 0 {
                order.truncate(context);
            }
            let answers = order.iter().map(|&a| (group.answers[a].0, group.answers[a].1.as_slice())).collect();
            EpisodeInput::new(answers, vec![target])
        })
        .collect();
    let predictions = episodes.chunks(8).flat_map(|chunk| loaded.runner.predict(chunk));
    let out: Vec<GroupPredictionOut> = groups
        .iter()
        .zip(&episodes)
        .zip(predictions)
        .map(|((group, episode), mut p)| GroupPredictionOut {
            group: group.name.clone(),
            label: group.label.clone(),
            context: episode.context.len(),
            probs: p.probs.remove(0),
            std: p.std.remove(0),
        })
        .collect();
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
