//! `gpo export-web`: the bundle the web page loads.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use gpo_core::data::{ContextOrder, Survey, Task};
use gpo_core::embed::TextFormat;
use gpo_core::embed::weights::{ModelFiles, resolve_cache_dir, resolve_model_dir};
use gpo_core::export::bundle::{WebSurvey, embeddings_to_bytes};
use gpo_core::export::web::{BundleWriter, safetensors_to_f16, web_groups};
use gpo_core::model::Population;
use gpo_core::protocol::Metric;
use gpo_core::train::saved::{load_model, record_bytes};

use crate::cli::{Common, Selection, SurveySource};

#[derive(Args)]
pub struct ExportWebArgs {
    /// Output folder (default: <cache>/bundle).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Surveys offered to a person to answer.
    #[arg(long, value_delimiter = ',', default_values_t = vec!["oqa".to_string(), "gd4".to_string()])]
    pub personal: Vec<String>,
    /// Surveys whose groups the question editor predicts (in addition to the personal ones).
    #[arg(long, value_delimiter = ',', default_values_t = vec!["goqa".to_string()])]
    pub editor: Vec<String>,
    /// Survey folders (docs/FORMATS.md) offered to a person to answer, beside the built-in
    /// ones (repeat the flag; `--personal ''` to offer only these). Each needs a model in
    /// `<models>/web-<id>` (`gpo train --survey DIR --split 0.8 --out <models>/web-<id>`).
    #[arg(long)]
    pub survey: Vec<PathBuf>,
    /// Leave out the MiniLM encoder (the page's question editor then cannot embed).
    #[arg(long)]
    pub no_encoder: bool,
    /// Folder holding the page's trained models `web-<task>` (default: <cache>/models).
    #[arg(long, env = "GPO_WEB_MODELS")]
    pub models: Option<PathBuf>,
}

/// The model trained for the page on survey `id` (see README: `gpo train --task T --out …/web-T`).
pub fn web_model_dir(common: &Common, models: Option<&std::path::Path>, id: &str) -> anyhow::Result<PathBuf> {
    let models = match models {
        Some(dir) => dir.to_path_buf(),
        None => resolve_cache_dir(common.cache.as_deref())?.join("models"),
    };
    Ok(models.join(format!("web-{id}")))
}

/// Where groups share one context order (OpinionQA), the questions most groups answered (the
/// religion-only ones are left out); elsewhere every answered question.
fn page_questions(survey: &Survey) -> Vec<usize> {
    let mut answered = vec![0usize; survey.questions.len()];
    for r in &survey.respondents {
        for a in &r.answers {
            answered[a.question] += 1;
        }
    }
    let need = if survey.info.context_order == ContextOrder::Shared { survey.respondents.len() / 2 } else { 1 };
    (0..survey.questions.len()).filter(|&q| answered[q] >= need).collect()
}

pub fn run(common: &Common, args: ExportWebArgs) -> anyhow::Result<()> {
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => resolve_cache_dir(common.cache.as_deref())?.join("bundle"),
    };
    let mut writer = BundleWriter::default();
    let device = burn::prelude::Device::flex();
    let format = TextFormat::QuestionOption;
    let task = |id: &String| -> anyhow::Result<SurveySource> {
        Ok(SurveySource::Task(Task::parse(id).with_context(|| format!("unknown task '{id}' (oqa, goqa, gd4)"))?))
    };
    let mut sources: Vec<(SurveySource, bool)> = Vec::new();
    for id in args.personal.iter().filter(|id| !id.is_empty()) {
        sources.push((task(id)?, true));
    }
    for id in args.editor.iter().filter(|id| !id.is_empty() && !args.personal.contains(id)) {
        sources.push((task(id)?, false));
    }
    sources.extend(args.survey.iter().map(|dir| (SurveySource::Folder(dir.clone()), true)));
    for (source, personal) in sources {
        let full = source.load(common, &Selection::default())?;
        let id = full.info.id.clone();
        let dir = web_model_dir(common, args.models.as_deref(), &id)?;
        let (model, config, meta) = load_model(&dir, &device).with_context(|| {
            format!(
                "no model for the page in {}: train one with `gpo train {} --split 0.8 --out {}`",
                dir.display(),
                source.flag(),
                dir.display()
            )
        })?;
        anyhow::ensure!(
            meta.task == id && meta.format == format.id(),
            "{} was trained on {} / {}",
            dir.display(),
            meta.task,
            meta.format
        );
        let embeddings = crate::context::task_embeddings(common, &full, format)?;
        let train: Vec<usize> = meta
            .train_respondents
            .iter()
            .chain(&meta.validation_respondents)
            .map(|name| {
                full.respondents
                    .iter()
                    .position(|r| &r.name == name)
                    .with_context(|| format!("{}: unknown respondent {name}", dir.display()))
            })
            .collect::<anyhow::Result<_>>()?;
        let population = Population::fit(&full, &embeddings, &train, config.model.population_factors);
        let keep = page_questions(&full);
        // The page holds the embeddings of its own questions only: its text map is fitted on them.
        let population = population.select(&embeddings.offsets, &keep);
        let embeddings = embeddings.select(&keep);
        let population = population.with_text_priors(&embeddings);
        let mut survey = full.clone();
        let keep_set: std::collections::HashSet<usize> = keep.iter().copied().collect();
        let keys: std::collections::HashSet<String> = full
            .questions
            .iter()
            .enumerate()
            .filter(|(q, _)| keep_set.contains(q))
            .map(|(_, q)| q.key.clone())
            .collect();
        survey.retain_questions(|q| keys.contains(&q.key));
        let web = WebSurvey {
            task: id.clone(),
            title: full.info.title.clone(),
            description: full.info.description.clone(),
            metric: Metric::for_survey(&full.info).name().into(),
            scoring: Some(full.info.scoring),
            questions: survey.questions.clone(),
            groups: web_groups(&survey),
            model: config.model.clone(),
            population,
            offset: config.model.offset(),
        };
        eprintln!("{id}: {} questions, {} groups, {} rows", web.questions.len(), web.groups.len(), embeddings.rows());
        writer.add_survey(&web, embeddings_to_bytes(&embeddings), record_bytes(&model)?, personal);
    }
    if !args.no_encoder {
        let files = ModelFiles::read(&resolve_model_dir(common.model.as_deref())?)?;
        let weights = safetensors_to_f16(&files.weights).context("converting the encoder's weights to f16")?;
        writer.set_encoder(weights, files.tokenizer_json, format.id());
    }
    let manifest = writer.write(&out).with_context(|| format!("writing {}", out.display()))?;
    let total: u64 = manifest.files.iter().map(|f| f.bytes).sum();
    eprintln!("bundle: {} files, {:.1} MB → {}", manifest.files.len(), total as f64 / 1e6, out.display());
    Ok(())
}
