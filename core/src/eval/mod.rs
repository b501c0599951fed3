//! The paper's evaluation protocol and metrics, baselines, and the results table.

pub mod active;
pub mod baselines;
pub mod closeness;
pub mod curve;
pub mod factor;
pub mod gpo;
pub mod gpo_method;
pub mod knn;
pub mod metrics;
pub mod new_groups;
pub mod new_questions;
pub mod protocol;
pub mod ridge;
pub mod run;
pub mod score;
pub mod table;

pub use metrics::{Metric, MetricError};
pub use protocol::{Episode, ProtocolConfig, Split};
pub use score::{EvalError, Predictor, Score};
pub use table::{ResultRow, ResultTable};
