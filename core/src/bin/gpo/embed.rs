//! `gpo embed`: fill the embedding cache for a task, with a progress bar.

use anyhow::Context;
use gpo_core::embed::fill::{fill_store, open_store};
use gpo_core::embed::weights::{ModelFiles, resolve_cache_dir, resolve_model_dir};
use gpo_core::embed::{EMBED_DIM, EmbeddingStore, SentenceEncoder, StoreDType, TaskEmbeddings, TextFormat};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{Common, EmbedArgs, Selection};

/// Loads the encoder on the chosen device.
pub fn encoder(common: &Common, device: &burn::prelude::Device) -> anyhow::Result<(SentenceEncoder, String)> {
    let dir = resolve_model_dir(common.model.as_deref())?;
    let files = ModelFiles::read(&dir)?;
    let sha = files.sha256.clone();
    Ok((SentenceEncoder::new(files.weights, &files.tokenizer_json, device)?, sha))
}

pub fn progress_bar(message: String) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:>14} [{bar:32}] {pos}/{len} texts · {per_sec} · ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// The cache file of a format, opened (rebuilt if corrupted).
pub fn store_for(
    common: &Common,
    sha: &str,
    format: TextFormat,
) -> anyhow::Result<(EmbeddingStore, std::path::PathBuf)> {
    let cache = resolve_cache_dir(common.cache.as_deref())?;
    let path = EmbeddingStore::path_in(&cache, sha, format.id());
    let store = open_store(&path, sha, format.id(), EMBED_DIM, |w| eprintln!("warning: {w}"));
    Ok((store, path))
}

/// The survey's (question, option) embeddings from the cache, embedding (on the CPU) whatever
/// is missing first.
pub fn task_embeddings(
    common: &Common,
    survey: &gpo_core::data::Survey,
    format: TextFormat,
) -> anyhow::Result<TaskEmbeddings> {
    let dir = resolve_model_dir(common.model.as_deref());
    // The cache is keyed by the model's hash; without the model files, use the known hash.
    let sha = gpo_core::embed::weights::MINILM_SHA256;
    let (mut store, path) = store_for(common, sha, format)?;
    let texts = TaskEmbeddings::texts(survey, format);
    if texts.iter().any(|t| !store.contains(t)) {
        let device = burn::prelude::Device::flex();
        let files = ModelFiles::read(&dir?)?;
        let encoder = SentenceEncoder::new(files.weights, &files.tokenizer_json, &device)?;
        let bar = progress_bar(format!("{}/{}", survey.info.id, format.id()));
        fill_store(&encoder, &mut store, &path, &texts, |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })?;
        bar.finish_and_clear();
    }
    TaskEmbeddings::from_store(survey, format, &store)
        .map_err(|missing| anyhow::anyhow!("{} texts are still missing from {}", missing.len(), path.display()))
}

pub fn run(common: &Common, args: EmbedArgs) -> anyhow::Result<()> {
    let device = args.device.init()?;
    let (encoder, sha) = encoder(common, &device)?;
    eprintln!("all-MiniLM-L6-v2 on {}", gpo_core::device::describe(&device));
    for format in args.format.formats() {
        let (mut store, path) = store_for(common, &sha, format)?;
        for source in args.surveys.all_or_named() {
            let survey = source.load(common, &Selection::default())?;
            let task = &survey.info.id;
            let texts = TaskEmbeddings::texts(&survey, format);
            let bar = progress_bar(format!("{task}/{}", format.id()));
            let report = fill_store(&encoder, &mut store, &path, &texts, |done, total| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            })?;
            bar.finish_and_clear();
            eprintln!(
                "{task}/{}: {} texts, {} newly embedded in {:.1} s ({:.1} texts/s), {} truncated at 256 tokens → {}",
                format.id(),
                report.requested,
                report.embedded,
                report.seconds,
                report.embedded as f64 / report.seconds.max(1e-9),
                report.truncated.len(),
                path.display()
            );
            for text in report.truncated.iter().take(3) {
                eprintln!("  truncated: {}…", text.chars().take(80).collect::<String>());
            }
            if let Some(export) = &args.export {
                let embeddings = TaskEmbeddings::from_store(&survey, format, &store)
                    .map_err(|missing| anyhow::anyhow!("{} texts missing after embedding", missing.len()))?;
                let mut out = EmbeddingStore::new(&sha, format.id(), EMBED_DIM);
                for (row, text) in texts.iter().enumerate() {
                    out.insert(text, embeddings.row(row));
                }
                let dtype = if args.f16 { StoreDType::F16 } else { StoreDType::F32 };
                out.save(export, dtype).with_context(|| format!("writing {}", export.display()))?;
                eprintln!("exported {} vectors ({dtype:?}) to {}", out.len(), export.display());
            }
        }
    }
    Ok(())
}

/// `gpo encode`: embeddings of given texts as JSON (the page's editor is checked against these).
#[derive(clap::Args)]
pub struct EncodeArgs {
    /// Texts to embed (repeat the flag).
    #[arg(long = "text", required = true)]
    pub texts: Vec<String>,
    #[arg(long, default_value = "cpu")]
    pub device: crate::cli::DeviceArg,
}

pub fn encode(common: &Common, args: EncodeArgs) -> anyhow::Result<()> {
    let device = args.device.init()?;
    let (encoder, _) = encoder(common, &device)?;
    let embedded = encoder.embed(&args.texts, 32, |_| {})?;
    let rows: Vec<&[f32]> = (0..args.texts.len()).map(|i| embedded.row(i)).collect();
    println!("{}", serde_json::json!({ "vectors": rows, "truncated": embedded.truncated }));
    Ok(())
}
