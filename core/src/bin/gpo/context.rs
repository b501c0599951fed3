//! What the commands share: the encoder and the embedding cache, model folders, progress bars.
//! Commands import from here (and `cli`), never from one another.

use std::path::PathBuf;

use gpo_core::embed::fill::{fill_store, open_store};
use gpo_core::embed::weights::{ModelFiles, resolve_cache_dir, resolve_model_dir};
use gpo_core::embed::{EMBED_DIM, EmbeddingStore, SentenceEncoder, TaskEmbeddings, TextFormat};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::Common;

/// Loads the encoder on the chosen device.
pub fn encoder(common: &Common, device: &burn::prelude::Device) -> anyhow::Result<(SentenceEncoder, String)> {
    let dir = resolve_model_dir(common.model.as_deref())?;
    let files = ModelFiles::read(&dir)?;
    let sha = files.sha256.clone();
    Ok((SentenceEncoder::new(files.weights, &files.tokenizer_json, device)?, sha))
}

/// A progress bar over texts embedded.
pub fn embedding_progress(message: String) -> ProgressBar {
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
        let bar = embedding_progress(format!("{}/{}", survey.info.id, format.id()));
        fill_store(&encoder, &mut store, &path, &texts, |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        })?;
        bar.finish_and_clear();
    }
    TaskEmbeddings::from_store(survey, format, &store)
        .map_err(|missing| anyhow::anyhow!("{} texts are still missing from {}", missing.len(), path.display()))
}

/// A progress bar over training steps.
pub fn training_progress(total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:28}] {pos}/{len} steps · {per_sec} · {prefix}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Where `gpo train` saves a (survey, split, seed) model unless told otherwise.
pub fn default_model_dir(common: &Common, task: &str, split: f64, seed: u64) -> anyhow::Result<PathBuf> {
    let cache = gpo_core::embed::weights::resolve_cache_dir(common.cache.as_deref())?;
    Ok(cache.join("models").join(format!("{task}-{split}-{seed}")))
}
