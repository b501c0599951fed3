//! Shared helpers for the cross-crate tests in `tests/tests/`.

use std::path::{Path, PathBuf};

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

/// The `gpo` binary (`cargo build -p gpo-core --bin gpo`, as `scripts/test.sh` does), at
/// `GPO_BIN` or in the target folder.
pub fn gpo_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GPO_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target.join("debug/gpo");
    assert!(path.exists(), "no gpo binary at {} (cargo build -p gpo-core --bin gpo, or set GPO_BIN)", path.display());
    path
}

/// Runs `gpo` with `args`; its stdout, or its stderr as the error.
pub fn gpo(args: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new(gpo_binary()).args(args).output().expect("gpo starts");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() { Ok(String::from_utf8(output.stdout).expect("gpo prints UTF-8")) } else { Err(stderr) }
}
