//! Small shared helpers: a seeded random generator, summary statistics, atomic file writes,
//! sha256 digests, independent work on every core.

pub mod digest;
pub mod fs;
#[cfg(test)]
pub mod fuzz;
pub mod linalg;
pub mod par;
pub mod rng;
pub mod stats;
