//! A trained GPO model on disk: `config.json` (training configuration), `model.bpk` (Burn's
//! record), `model.safetensors` (PyTorch names and layouts) and `meta.json` (what it was trained
//! on and how it scored). Every file is written atomically.

use std::path::Path;

use burn::prelude::*;
use burn::store::{BurnToPyTorchAdapter, ModuleRecord, ModuleSnapshot, SafetensorsStore};
use burn::tensor::Bytes;
use serde::{Deserialize, Serialize};

#[cfg(not(target_arch = "wasm32"))]
use super::TrainConfig;
use super::checkpoint::HistoryPoint;
use crate::model::{ConfigError, Gpo, GpoConfig};
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
    /// How they were chosen: at random, or whole blocks of related questions.
    #[serde(default)]
    pub holdout: crate::protocol::Holdout,
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
    /// The configuration read with the record cannot be built.
    #[error("{path}: {source}")]
    Config {
        path: String,
        #[source]
        source: ConfigError,
    },
    /// Burn could not read the bytes as a record of this configuration (its errors are not
    /// `std::error::Error`, so their text is kept).
    #[error("not a GPO model record of this configuration: {detail}")]
    Record { detail: String },
    /// A weight that is NaN or infinite: a damaged record (a flipped exponent bit) would
    /// otherwise load and predict NaN.
    #[error("weight {tensor} holds a value that is not finite (a damaged model record)")]
    NotFinite { tensor: String },
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

/// A model from Burn record bytes: the configuration buildable (it comes from a file too), the
/// record of its shape, every weight finite.
pub fn model_from_record(config: &GpoConfig, bytes: Vec<u8>, device: &Device) -> Result<Gpo, ExportError> {
    let record_error = |e: &dyn std::fmt::Debug| ExportError::Record { detail: format!("{e:?}") };
    config.check().map_err(|source| ExportError::Config { path: "model configuration".into(), source })?;
    let bytes = Bytes::from_bytes_vec(bytes);
    check_finite(&bytes)?;
    let record = ModuleRecord::from_bytes(bytes).map_err(|e| record_error(&e))?;
    config.init(device).try_load_record(record).map_err(|e| record_error(&e))
}

/// Every float in a burnpack record is finite (read from the bytes, before any device holds
/// them: in the page a WebGPU tensor cannot be read back synchronously).
pub(crate) fn check_finite(bytes: &Bytes) -> Result<(), ExportError> {
    use burn::tensor::DType;
    use burn_store::burn_pack::Reader;
    let record_error = |e: &dyn std::fmt::Debug| ExportError::Record { detail: format!("{e:?}") };
    let reader = Reader::from_bytes(bytes.clone()).map_err(|e| record_error(&e))?;
    for tensor in reader.into_tensors().map_err(|e| record_error(&e))? {
        let data = tensor.to_bytes().map_err(|e| record_error(&e))?;
        let finite = match tensor.dtype {
            DType::F32 => data.chunks_exact(4).all(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]).is_finite()),
            DType::F64 => data.chunks_exact(8).all(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")).is_finite()),
            DType::F16 => data.chunks_exact(2).all(|b| half::f16::from_le_bytes([b[0], b[1]]).is_finite()),
            DType::BF16 => data.chunks_exact(2).all(|b| half::bf16::from_le_bytes([b[0], b[1]]).is_finite()),
            _ => true,
        };
        if !finite {
            return Err(ExportError::NotFinite { tensor: tensor.name });
        }
    }
    Ok(())
}

/// Safetensors bytes with PyTorch conventions (Linear weights `[out, in]`, norms `weight`/`bias`).
pub fn safetensors_bytes(model: &Gpo) -> Result<Vec<u8>, ExportError> {
    let mut store = SafetensorsStore::from_bytes(None)
        .with_to_adapter(BurnToPyTorchAdapter)
        .metadata("format", "pt")
        .metadata("producer", "gpo-rust");
    model.save_into(&mut store).map_err(|e| file_error(Path::new("model.safetensors"), e))?;
    let bytes = store.get_bytes().map_err(|e| file_error(Path::new("model.safetensors"), e))?;
    sorted_header(&bytes).map_err(|e| file_error(Path::new("model.safetensors"), e))
}

/// `bytes` (a safetensors file) with its JSON header's keys in sorted order.
///
/// The safetensors crate writes the header from a `HashMap`, so the same weights came out as
/// different bytes from run to run (the `__metadata__` entries in a random order). The tensor
/// data is untouched: its offsets are relative to the end of the header.
fn sorted_header(bytes: &[u8]) -> Result<Vec<u8>, String> {
    use std::collections::BTreeMap;
    let length = bytes.get(..8).ok_or("shorter than its header length")?;
    let length = u64::from_le_bytes(length.try_into().expect("8 bytes")) as usize;
    let end = 8usize.checked_add(length).filter(|&end| end <= bytes.len()).ok_or("header longer than the file")?;
    let header: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..end]).map_err(|e| format!("header: {e}"))?;
    let sorted: BTreeMap<&String, serde_json::Value> = header
        .iter()
        .map(|(key, value)| {
            let value = match value {
                serde_json::Value::Object(entries) => {
                    serde_json::to_value(entries.iter().collect::<BTreeMap<_, _>>()).expect("a JSON object serialises")
                }
                other => other.clone(),
            };
            (key, value)
        })
        .collect();
    let mut json = serde_json::to_vec(&sorted).expect("a JSON object serialises");
    // Safetensors keeps the data 8-byte aligned by padding the header with spaces.
    json.resize(json.len().next_multiple_of(8), b' ');
    let mut out = Vec::with_capacity(8 + json.len() + bytes.len() - end);
    out.extend_from_slice(&(json.len() as u64).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&bytes[end..]);
    Ok(out)
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
    // Named here, so that a bad size is reported in config.json rather than in model.bpk.
    config.model.check().map_err(|source| ExportError::Config { path: config_path.display().to_string(), source })?;
    let meta_path = dir.join("meta.json");
    let meta: ModelMeta = serde_json::from_slice(&read("meta.json")?).map_err(|e| file_error(&meta_path, e))?;
    let model = model_from_record(&config.model, read("model.bpk")?, device)
        .map_err(|e| file_error(&dir.join("model.bpk"), e))?;
    Ok((model, config, meta))
}

#[cfg(not(target_arch = "wasm32"))]
#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::trainer::init_model;

    #[test]
    fn a_seeded_model_is_the_same_bytes_every_time() {
        let config = GpoConfig::new().with_layers(1).with_d_model(16).with_d_ff(32);
        let device = Device::flex();
        let (a, b) = (init_model(&config, 3, &device), init_model(&config, 3, &device));
        assert_eq!(record_bytes(&a).unwrap(), record_bytes(&b).unwrap());
        // Each store's metadata map has its own random order: several writes must all agree.
        let first = safetensors_bytes(&a).unwrap();
        for model in [&a, &b, &a, &b] {
            assert_eq!(safetensors_bytes(model).unwrap(), first);
        }
        let file = safetensors::SafeTensors::deserialize(&first).expect("still a safetensors file");
        assert!(file.tensors().len() > 4);
        let other = init_model(&config, 4, &device);
        assert_ne!(record_bytes(&other).unwrap(), record_bytes(&a).unwrap(), "the seed matters");
    }
}
