//! GPO — Group Preference Optimization (Zhao, Dang & Grover, ICLR 2024) in Rust.
//!
//! One definition of everything, native and wasm32, in pipeline order (ARCHITECTURE.md; a
//! module imports only from layers before it, checked by `tests/tests/architecture.rs`):
//! `util`, `device` → [`data`] → `embed` → `protocol` → `model` → `train` → [`eval`] → `export`.

pub mod data;
pub mod device;
pub mod embed;
pub mod eval;
pub mod export;
pub mod model;
pub mod protocol;
pub mod train;
pub mod util;
