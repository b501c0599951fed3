//! Filling the cache: embed only the texts it does not hold yet.

#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use super::cache::{EmbeddingStore, StoreDType};
use super::{EmbedError, SentenceEncoder};

/// Texts embedded per forward pass.
pub const BATCH: usize = 32;

/// What a fill did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FillReport {
    pub requested: usize,
    pub embedded: usize,
    pub truncated: Vec<String>,
    pub seconds: f64,
}

/// Opens the cache at `path`; a corrupted or foreign file is reported through `warn` and
/// replaced by an empty store (it is rebuilt, never read as vectors).
pub fn open_store(
    path: &Path,
    model_sha256: &str,
    format: &str,
    dim: usize,
    mut warn: impl FnMut(String),
) -> EmbeddingStore {
    match EmbeddingStore::load(path) {
        Ok(Some(store)) if store.model_sha256 == model_sha256 && store.format == format && store.dim == dim => store,
        Ok(Some(_)) => {
            warn(format!("{}: written for another model or format; rebuilding it", path.display()));
            EmbeddingStore::new(model_sha256, format, dim)
        }
        Ok(None) => EmbeddingStore::new(model_sha256, format, dim),
        Err(error) => {
            warn(format!("{error}; rebuilding it"));
            EmbeddingStore::new(model_sha256, format, dim)
        }
    }
}

/// Embeds the texts of `texts` missing from `store`, saving the store (atomically) every
/// `save_every` texts and at the end; `progress(done, total)` after each batch.
pub fn fill_store(
    encoder: &SentenceEncoder,
    store: &mut EmbeddingStore,
    path: &Path,
    texts: &[String],
    mut progress: impl FnMut(usize, usize),
) -> Result<FillReport, EmbedError> {
    let started = std::time::Instant::now();
    let mut missing: Vec<String> = texts.iter().filter(|t| !store.contains(t)).cloned().collect();
    missing.sort();
    missing.dedup();
    let mut report = FillReport { requested: texts.len(), ..Default::default() };
    let total = missing.len();
    progress(0, total);
    // Chunks keep the save points and the memory bounded.
    for chunk in missing.chunks(BATCH * 16) {
        let done_before = report.embedded;
        let embedded = encoder.embed(chunk, BATCH, |done| progress(done_before + done, total))?;
        for (i, text) in chunk.iter().enumerate() {
            store.insert(text, embedded.row(i));
        }
        report.truncated.extend(embedded.truncated.iter().map(|&i| chunk[i].clone()));
        report.embedded += chunk.len();
        store.save(path, StoreDType::F32)?;
    }
    if total == 0 && !path.exists() {
        store.save(path, StoreDType::F32)?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
