//! GPO: the model, its loss, batching and prediction; the population statistics it reads and
//! the factor model built on them.

pub mod attention;
pub mod batch;
pub mod episodes;
pub mod factor;
mod gpo;
pub mod layer;
pub mod loss;
pub mod param_ids;
pub mod population;
mod population_check;
pub mod predict;
pub mod prior_map;
pub mod segments;
#[cfg(any(feature = "wgpu", feature = "webgpu"))]
pub mod wgsl;

pub use batch::{EpisodeInput, GpoBatch, build_batch};
pub use gpo::{ConfigError, Gpo, GpoConfig, GpoOutput};
pub use population::{Offset, Population};
pub use population_check::PopulationError;
pub use predict::{GpoRunner, Prediction, ReadBackError};
#[cfg(test)]
mod tests;
