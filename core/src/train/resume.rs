//! Resuming a run from its checkpoint: the file read and checked, the model, optimizer state
//! and best model rebuilt — every failure an error naming the checkpoint file.

use std::path::Path;

use burn::optim::ModuleOptimizer;
use burn::prelude::*;
use burn::tensor::Bytes;

use super::checkpoint::{Checkpoint, CheckpointError, CheckpointMeta};
use super::saved::{ExportError, model_from_record};
use crate::model::{Gpo, GpoConfig};

#[derive(Debug, thiserror::Error)]
pub enum ResumeError {
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    #[error("{path} was written with another configuration or data; remove it or drop --resume")]
    Mismatch { path: String },
    #[error("checkpoint {path}: {part}: {source}")]
    Model {
        path: String,
        part: &'static str,
        #[source]
        source: ExportError,
    },
    /// Burn's optimizer record error, as its text.
    #[error("checkpoint {path}: optimizer state: {detail}")]
    Optimizer { path: String, detail: String },
}

/// What a run continues from.
pub struct Resumed {
    pub meta: CheckpointMeta,
    /// On the autodiff device.
    pub model: Gpo,
    pub optimizer: ModuleOptimizer,
    pub best_model: Option<Gpo>,
}

/// The state saved in `path`, which must have been written for `config_json` and
/// `fingerprint`; `optimizer` is a fresh one of the run's kind.
pub fn resume(
    path: &Path,
    model: &GpoConfig,
    config_json: &str,
    fingerprint: &str,
    optimizer: ModuleOptimizer,
    autodiff: &Device,
    device: &Device,
) -> Result<Resumed, ResumeError> {
    let checkpoint = Checkpoint::load(path)?;
    let shown = || path.display().to_string();
    if checkpoint.meta.config != config_json || checkpoint.meta.fingerprint != fingerprint {
        return Err(ResumeError::Mismatch { path: shown() });
    }
    let blob = |part: &'static str, bytes: Vec<u8>, device: &Device| {
        model_from_record(model, bytes, device).map_err(|source| ResumeError::Model { path: shown(), part, source })
    };
    let optimizer = optimizer
        .from_bytes(Bytes::from_bytes_vec(checkpoint.optimizer))
        .map_err(|e| ResumeError::Optimizer { path: shown(), detail: format!("{e:?}") })?;
    let best_model = match checkpoint.best_model {
        bytes if bytes.is_empty() => None,
        bytes => Some(blob("best model", bytes, device)?),
    };
    Ok(Resumed { meta: checkpoint.meta, model: blob("model", checkpoint.model, autodiff)?, optimizer, best_model })
}
