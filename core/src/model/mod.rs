//! GPO: the model, its loss, batching and prediction.

pub mod attention;
pub mod batch;
mod gpo;
pub mod layer;
pub mod loss;
pub mod param_ids;
pub mod population;
pub mod predict;
pub mod prior_map;
pub mod segments;
#[cfg(any(feature = "wgpu", feature = "webgpu"))]
pub mod wgsl;

pub use batch::{EpisodeInput, GpoBatch, build_batch};
pub use gpo::{Gpo, GpoConfig, GpoOutput};
pub use population::{Offset, Population};
pub use predict::{GpoRunner, Prediction, ReadBackError};
#[cfg(test)]
mod tests;
