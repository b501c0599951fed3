//! Training checkpoints: model, optimizer state, step, sampler state, history and the best
//! model so far, in one file written atomically (temporary file + rename) and checksummed.
//!
//! Layout: `"GPOCKPT1" | u64 n | n bytes JSON meta | 3 × (u64 n | n bytes blob) | sha256`.
//! The blobs are Burn records (burnpack) of the model, the optimizer and the best model.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::util::digest::{seal, unseal};
use crate::util::rng::Rng;

const MAGIC: &[u8; 8] = b"GPOCKPT1";

/// The length-prefixed parts after the magic, in file order.
const PARTS: [&str; 4] = ["metadata", "model", "optimizer state", "best model"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub step: usize,
    /// Mean training loss since the previous point (none before the first step).
    pub loss: Option<f64>,
    /// Validation score at this step.
    pub validation: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointMeta {
    /// Steps completed.
    pub step: usize,
    pub rng: Rng,
    pub history: Vec<HistoryPoint>,
    pub best_step: Option<usize>,
    pub best_score: Option<f64>,
    /// The training configuration as JSON: a resume must use the same one.
    pub config: String,
    /// Identifies the data, split and embeddings trained on.
    pub fingerprint: String,
    /// Sum and count of the losses since the last history point.
    #[serde(default)]
    pub pending_loss: (f64, usize),
}

impl CheckpointMeta {
    /// What a resumed run relies on: the steps in order, the scores and losses finite, a
    /// generator that still draws (xoshiro's all-zero state only ever gives 0).
    fn check(&self) -> Result<(), String> {
        let mut previous = None;
        for point in &self.history {
            if point.step > self.step || previous.is_some_and(|p| point.step <= p) {
                return Err(format!(
                    "history: step {} out of order (the checkpoint is at step {})",
                    point.step, self.step
                ));
            }
            if point.loss.into_iter().chain(point.validation).any(|v| !v.is_finite()) {
                return Err(format!("history: step {}: a loss or score that is not finite", point.step));
            }
            previous = Some(point.step);
        }
        if self.best_step.is_some_and(|best| best > self.step) {
            return Err(format!("best_step {:?} is after step {}", self.best_step, self.step));
        }
        if self.best_score.is_some_and(|score| !score.is_finite()) || !self.pending_loss.0.is_finite() {
            return Err("best_score or pending_loss is not finite".into());
        }
        if self.rng.is_stuck() {
            return Err("rng: the all-zero state".into());
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    pub meta: CheckpointMeta,
    pub model: Vec<u8>,
    pub optimizer: Vec<u8>,
    pub best_model: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("checkpoint {path}: {message}")]
    Invalid { path: String, message: String },
    #[error("checkpoint {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl Checkpoint {
    pub fn to_bytes(&self) -> Vec<u8> {
        let meta = serde_json::to_vec(&self.meta).expect("checkpoint metadata serialises");
        let mut out =
            Vec::with_capacity(64 + meta.len() + self.model.len() + self.optimizer.len() + self.best_model.len());
        out.extend_from_slice(MAGIC);
        for blob in [&meta, &self.model, &self.optimizer, &self.best_model] {
            out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
            out.extend_from_slice(blob);
        }
        seal(&mut out);
        out
    }

    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, CheckpointError> {
        let bad =
            |message: &str| CheckpointError::Invalid { path: path.display().to_string(), message: message.into() };
        if bytes.len() < 8 + 32 || &bytes[..8] != MAGIC {
            return Err(bad("not a GPO checkpoint"));
        }
        let body = unseal(bytes).ok_or_else(|| bad("checksum mismatch (truncated or corrupted)"))?;
        let mut at = 8;
        let mut blobs = Vec::new();
        for part in PARTS {
            let len = body.get(at..at + 8).ok_or_else(|| bad(&format!("{part}: truncated")))?;
            let len = u64::from_le_bytes(len.try_into().expect("8 bytes"));
            at += 8;
            // A length field may hold any u64: the end is checked against the file before any
            // slice or allocation is sized by it.
            let end = usize::try_from(len)
                .ok()
                .and_then(|len| at.checked_add(len))
                .filter(|&end| end <= body.len())
                .ok_or_else(|| bad(&format!("{part}: length {len} runs past the end of the file")))?;
            blobs.push(body[at..end].to_vec());
            at = end;
        }
        if at != body.len() {
            return Err(bad("trailing bytes"));
        }
        let meta: CheckpointMeta = serde_json::from_slice(&blobs[0]).map_err(|e| bad(&format!("metadata: {e}")))?;
        meta.check().map_err(|message| bad(&format!("metadata: {message}")))?;
        let best_model = blobs.pop().unwrap();
        let optimizer = blobs.pop().unwrap();
        let model = blobs.pop().unwrap();
        Ok(Self { meta, model, optimizer, best_model })
    }

    pub fn save(&self, path: &Path) -> Result<(), CheckpointError> {
        crate::util::fs::write_atomic(path, &self.to_bytes())
            .map_err(|source| CheckpointError::Io { path: path.display().to_string(), source })
    }

    pub fn load(path: &Path) -> Result<Self, CheckpointError> {
        let bytes =
            std::fs::read(path).map_err(|source| CheckpointError::Io { path: path.display().to_string(), source })?;
        Self::from_bytes(&bytes, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let checkpoint = Checkpoint {
            meta: CheckpointMeta {
                step: 7,
                rng: Rng::new(1),
                history: vec![HistoryPoint { step: 5, loss: Some(0.5), validation: Some(0.9) }],
                best_step: Some(5),
                best_score: Some(0.9),
                config: "{}".into(),
                fingerprint: "f".into(),
                pending_loss: (1.5, 2),
            },
            model: vec![1, 2, 3],
            optimizer: vec![4],
            best_model: vec![],
        };
        let bytes = checkpoint.to_bytes();
        assert_eq!(Checkpoint::from_bytes(&bytes, Path::new("c")).unwrap(), checkpoint);
        assert!(Checkpoint::from_bytes(&bytes[..bytes.len() - 3], Path::new("c")).is_err());
        let mut flipped = bytes.clone();
        flipped[12] ^= 4;
        assert!(Checkpoint::from_bytes(&flipped, Path::new("c")).is_err());
    }
}
