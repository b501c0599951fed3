//! Meta-training GPO over many respondents, and the trained model on disk (`saved`).

pub mod checkpoint;
pub mod config;
pub mod sampler;
pub mod saved;
#[cfg(not(target_arch = "wasm32"))]
pub mod trainer;

pub use config::{SamplingConfig, SamplingMode, TrainConfig};
