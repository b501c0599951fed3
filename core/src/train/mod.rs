//! Meta-training GPO over many respondents, and the trained model on disk (`saved`).

pub mod checkpoint;
pub mod config;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz;
#[cfg(not(target_arch = "wasm32"))]
pub mod resume;
pub mod sampler;
pub mod saved;
#[cfg(not(target_arch = "wasm32"))]
pub mod trainer;

pub use config::{SamplingConfig, SamplingMode, TrainConfig};
