//! The GPO page's pure layer: what a person's answers and own questions are, the files they are
//! kept and exchanged in, which questions the list shows, the page's error type. No browser, no
//! reactive signals: every layer of the page builds on it, and it is tested natively (part of
//! `cargo test --workspace`).

pub mod answers;
pub mod custom;
pub mod error;
#[cfg(test)]
mod fuzz;
pub mod groups;
pub mod list;
pub mod merge;
pub mod prediction;
pub mod progress;
pub mod records;
pub mod settings;
pub mod unsaved;
pub mod vectors;
pub mod version;
pub mod view;
