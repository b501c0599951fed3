//! Small shared helpers: a seeded random generator, summary statistics, atomic file writes.

pub mod fs;
pub mod linalg;
pub mod rng;
pub mod stats;
