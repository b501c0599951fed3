//! Small shared helpers: a seeded random generator, summary statistics, atomic file writes,
//! sha256 digests.

pub mod digest;
pub mod fs;
#[cfg(test)]
pub mod fuzz;
pub mod linalg;
pub mod rng;
pub mod stats;
