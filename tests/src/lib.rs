//! Shared helpers for the cross-crate tests in `tests/tests/`.

use gpo_core::data::{LoadOptions, Survey, Task, load_task, resolve_data_dir};
use gpo_core::embed::fill::{fill_store, open_store};
use gpo_core::embed::weights::{ModelFiles, resolve_cache_dir, resolve_model_dir};
use gpo_core::embed::{EMBED_DIM, EmbeddingStore, SentenceEncoder, TaskEmbeddings, TextFormat};

/// A task's real survey from the data folder (`../shared/data` or `GPO_DATA_DIR`).
pub fn survey(task: Task) -> Survey {
    let dir = resolve_data_dir(None).unwrap_or_else(|e| panic!("{e}"));
    load_task(task, &dir, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The survey's (question, option) embeddings from the cache, embedding what is missing.
pub fn embeddings(survey: &Survey, format: TextFormat) -> TaskEmbeddings {
    let cache = resolve_cache_dir(None).expect("cache folder");
    let sha = gpo_core::embed::weights::MINILM_SHA256;
    let path = EmbeddingStore::path_in(&cache, sha, format.id());
    let mut store = open_store(&path, sha, format.id(), EMBED_DIM, |w| eprintln!("warning: {w}"));
    let texts = TaskEmbeddings::texts(survey, format);
    if texts.iter().any(|t| !store.contains(t)) {
        let files = ModelFiles::read(&resolve_model_dir(None).unwrap_or_else(|e| panic!("{e}"))).expect("model files");
        let encoder = SentenceEncoder::new(files.weights, &files.tokenizer_json, &burn::prelude::Device::flex())
            .expect("encoder");
        fill_store(&encoder, &mut store, &path, &texts, |_, _| {}).expect("embedding");
    }
    TaskEmbeddings::from_store(survey, format, &store).expect("all texts embedded")
}
