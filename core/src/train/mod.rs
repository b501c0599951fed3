//! Meta-training GPO over many respondents.

pub mod checkpoint;
pub mod config;
pub mod sampler;
#[cfg(not(target_arch = "wasm32"))]
pub mod trainer;

pub use config::{SamplingConfig, SamplingMode, TrainConfig};
