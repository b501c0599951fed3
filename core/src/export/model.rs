//! A trained GPO model on disk: `config.json` (training configuration), `model.bpk` (Burn's
//! record), `model.safetensors` (PyTorch names and layouts) and `meta.json` (what it was trained
//! on and how it scored). Every file is written atomically.

use std::path::Path;

use burn::prelude::*;
use burn::store::{BurnToPyTorchAdapter, ModuleRecord, ModuleSnapshot, SafetensorsStore};
use burn::tensor::Bytes;
use serde::{Deserialize, Serialize};

use crate::model::{Gpo, GpoConfig};
#[cfg(not(target_arch = "wasm32"))]
use crate::train::TrainConfig;
use crate::train::checkpoint::HistoryPoint;
#[cfg(not(target_arch = "wasm32"))]
use crate::util::fs::write_atomic;

/// What a saved model was trained on, and how it did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelMeta {
    pub task: String,
    /// Text format of the embeddings it consumes.
    pub format: String,
    pub split: f64,
    pub seed: u64,
    pub train_respondents: Vec<String>,
    /// Share of the questions held out of training (`eval::new_questions`); 0: none.
    #[serde(default)]
    pub holdout_questions: f64,
    pub validation_respondents: Vec<String>,
    pub best_step: usize,
    pub best_validation: Option<f64>,
    pub history: Vec<HistoryPoint>,
    pub seconds: f64,
    pub device: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{path}: {message}")]
    File { path: String, message: String },
}

fn file_error(path: &Path, message: impl ToString) -> ExportError {
    ExportError::File { path: path.display().to_string(), message: message.to_string() }
}

/// Burn record bytes of a model.
pub fn record_bytes(model: &Gpo) -> Result<Vec<u8>, ExportError> {
    Ok(model
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|e| file_error(Path::new("model record"), format!("{e:?}")))?
        .to_vec())
}

/// A model from Burn record bytes.
pub fn model_from_record(config: &GpoConfig, bytes: Vec<u8>, device: &Device) -> Result<Gpo, String> {
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes)).map_err(|e| format!("{e:?}"))?;
    config.init(device).try_load_record(record).map_err(|e| format!("{e:?}"))
}

/// Safetensors bytes with PyTorch conventions (Linear weights `[out, in]`, norms `weight`/`bias`).
pub fn safetensors_bytes(model: &Gpo) -> Result<Vec<u8>, ExportError> {
    let mut store = SafetensorsStore::from_bytes(None)
        .with_to_adapter(BurnToPyTorchAdapter)
        .metadata("format", "pt")
        .metadata("producer", "gpo-rust");
    model.save_into(&mut store).map_err(|e| file_error(Path::new("model.safetensors"), e))?;
    store.get_bytes().map_err(|e| file_error(Path::new("model.safetensors"), e))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn save_model(dir: &Path, model: &Gpo, config: &TrainConfig, meta: &ModelMeta) -> Result<(), ExportError> {
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        write_atomic(&path, bytes).map_err(|e| file_error(&path, e))
    };
    write("config.json", config.to_string().as_bytes())?;
    write("model.bpk", &record_bytes(model)?)?;
    write("model.safetensors", &safetensors_bytes(model)?)?;
    write("meta.json", serde_json::to_string_pretty(meta).expect("meta serialises").as_bytes())?;
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
pub fn load_model(dir: &Path, device: &Device) -> Result<(Gpo, TrainConfig, ModelMeta), ExportError> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| file_error(&path, e))
    };
    let config_path = dir.join("config.json");
    let config: TrainConfig = serde_json::from_slice(&read("config.json")?).map_err(|e| file_error(&config_path, e))?;
    let meta_path = dir.join("meta.json");
    let meta: ModelMeta = serde_json::from_slice(&read("meta.json")?).map_err(|e| file_error(&meta_path, e))?;
    let model = model_from_record(&config.model, read("model.bpk")?, device)
        .map_err(|e| file_error(&dir.join("model.bpk"), e))?;
    Ok((model, config, meta))
}
