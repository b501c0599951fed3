//! Evaluation: the methods compared (baselines, the factor model, GPO trained per fold), runs
//! over splits and seeds, new groups and new questions, curves, active selection, the results
//! table. The protocol and the metrics it scores with sit below training (`crate::protocol`).

pub mod active;
pub mod baselines;
pub mod closeness;
pub mod curve;
pub mod factor;
pub mod gpo_method;
pub mod knn;
pub mod linear_text_prior;
pub mod new_groups;
pub mod new_questions;
pub mod ridge;
pub mod run;
pub mod table;

pub use table::{ResultRow, ResultTable};
