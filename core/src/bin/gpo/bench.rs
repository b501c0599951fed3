//! `gpo bench`: speed and memory of embedding, training and prediction (docs/BENCHMARKS.md).

use std::time::Instant;

use clap::{Args, Subcommand};
use gpo_core::data::Task;
use gpo_core::embed::weights::{ModelFiles, resolve_model_dir};
use gpo_core::embed::{SentenceEncoder, TaskEmbeddings, TextFormat};
use gpo_core::model::{EpisodeInput, GpoRunner, Population};
use gpo_core::protocol::{self, ProtocolConfig};
use gpo_core::train::trainer::{TrainData, TrainRun, init_model, train};

use crate::cli::{Common, DeviceArg, Selection, SurveySource, Surveys};
use crate::train_settings::TrainSettings;

#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchWhat,
}

#[derive(Subcommand)]
pub enum BenchWhat {
    /// Texts per second embedding a task's (question, option) texts (none from the cache).
    Embed {
        /// The survey (default: --task oqa).
        #[command(flatten)]
        surveys: Surveys,
        #[arg(long, default_value = "qa", value_parser = crate::cli::parse_format)]
        format: TextFormat,
        #[arg(long, default_value = "cpu")]
        device: DeviceArg,
        #[arg(long, default_value_t = 32)]
        batch: usize,
        /// Embed only the first N texts (0: all).
        #[arg(long, default_value_t = 0)]
        limit: usize,
    },
    /// Training steps per second.
    Train {
        /// The survey (default: --task oqa).
        #[command(flatten)]
        surveys: Surveys,
        #[command(flatten)]
        settings: TrainSettings,
    },
    /// Time of one prediction as the number of target tokens grows.
    Predict {
        /// The survey (default: --task oqa).
        #[command(flatten)]
        surveys: Surveys,
        #[arg(long, value_delimiter = ',', default_values_t = vec![1000usize, 2000, 4000, 8000])]
        targets: Vec<usize>,
        #[arg(long, default_value_t = 5)]
        repeats: usize,
        #[command(flatten)]
        settings: TrainSettings,
    },
}

/// Peak resident memory of this process (Linux), in MB.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The survey benchmarked: the one named, or OpinionQA.
fn load(common: &Common, surveys: &Surveys) -> anyhow::Result<gpo_core::data::Survey> {
    let source = match (&surveys.task, &surveys.survey) {
        (None, None) => SurveySource::Task(Task::Oqa),
        _ => surveys.one()?,
    };
    source.load(common, &Selection::default())
}

pub fn run(common: &Common, args: BenchArgs) -> anyhow::Result<()> {
    match args.what {
        BenchWhat::Embed { surveys, format, device, batch, limit } => {
            let survey = load(common, &surveys)?;
            let task = survey.info.id.clone();
            let mut texts = TaskEmbeddings::texts(&survey, format);
            texts.sort();
            texts.dedup();
            if limit > 0 {
                texts.truncate(limit);
            }
            let device = device.init()?;
            let files = ModelFiles::read(&resolve_model_dir(common.model.as_deref())?)?;
            let encoder = SentenceEncoder::new(files.weights, &files.tokenizer_json, &device)?;
            // Warm-up (kernel compilation on GPUs).
            encoder.embed(&texts[..batch.min(texts.len())], batch, |_| {})?;
            let started = Instant::now();
            encoder.embed(&texts, batch, |_| {})?;
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "embed {task}/{}: {} texts in {seconds:.1} s = {:.1} texts/s on {} (batch {batch}); peak RSS {:.0} MB",
                format.id(),
                texts.len(),
                texts.len() as f64 / seconds,
                gpo_core::device::describe(&device),
                peak_rss_mb().unwrap_or(f64::NAN)
            );
        }
        BenchWhat::Train { surveys, settings } => {
            let survey = load(common, &surveys)?;
            let task = survey.info.id.clone();
            let embeddings = crate::context::task_embeddings(common, &survey, settings.format)?;
            let split = protocol::split(&survey, &ProtocolConfig::new(0.6, 0))?;
            let config = settings.config(0, survey.info.kind)?.with_eval_every(usize::MAX);
            let device = settings.device.init()?;
            let data = TrainData { survey: &survey, embeddings: &embeddings, train: &split.train, validation: &[] };
            let run = TrainRun {
                config: config.clone(),
                device: device.clone(),
                checkpoint: None,
                checkpoint_every: usize::MAX,
                resume: false,
                stop_after: None,
            };
            let started = Instant::now();
            let outcome = train(&data, &run, |_| {})?;
            // Before the first step: the population statistics and text maps of every fold table.
            let setup = started.elapsed().as_secs_f64() - outcome.seconds;
            println!(
                "train {task}: setup {setup:.1} s, then {} steps in {:.1} s = {:.2} steps/s on {} ({} layers, d_model {}, batch {}, context ≤{} / targets ≤{} questions); peak RSS {:.0} MB",
                outcome.steps_run,
                outcome.seconds,
                outcome.steps_run as f64 / outcome.seconds,
                gpo_core::device::describe(&device),
                config.model.layers,
                config.model.d_model,
                config.batch_size,
                config.sampling.context_max,
                config.sampling.target_max,
                peak_rss_mb().unwrap_or(f64::NAN)
            );
        }
        BenchWhat::Predict { surveys, targets, repeats, settings } => {
            let survey = load(common, &surveys)?;
            let task = survey.info.id.clone();
            let embeddings = crate::context::task_embeddings(common, &survey, settings.format)?;
            let config = settings.config(0, survey.info.kind)?;
            let device = settings.device.init()?;
            let respondents: Vec<usize> = (0..survey.respondents.len()).collect();
            let population = Population::fit(&survey, &embeddings, &respondents, config.model.population_factors);
            let model = init_model(&config.model, 0, &device);
            let runner = GpoRunner::new(model, embeddings.clone(), population, config.model.offset(), &device);
            let r = &survey.respondents[0];
            let context: Vec<(usize, &[f32])> =
                r.answers[..20].iter().map(|a| (a.question, a.probs.as_slice())).collect();
            println!(
                "predict {task} on {} ({} layers, d_model {}), 20 context questions:",
                gpo_core::device::describe(&device),
                config.model.layers,
                config.model.d_model
            );
            for &tokens in &targets {
                // Cycle through the survey's questions until `tokens` target tokens.
                let mut list = Vec::new();
                let mut count = 0;
                let mut q = 0;
                while count < tokens {
                    list.push(q % survey.questions.len());
                    count += embeddings.options(q % survey.questions.len());
                    q += 1;
                }
                let episode = [EpisodeInput::new(context.clone(), list)];
                runner.predict(&episode); // warm-up
                let started = Instant::now();
                for _ in 0..repeats {
                    runner.predict(&episode);
                }
                let ms = started.elapsed().as_secs_f64() * 1000.0 / repeats as f64;
                println!("  {count:>6} target tokens: {ms:8.1} ms  ({:.2} µs/token)", ms * 1000.0 / count as f64);
            }
        }
    }
    Ok(())
}
