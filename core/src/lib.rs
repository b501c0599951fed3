//! GPO — Group Preference Optimization (Zhao, Dang & Grover, ICLR 2024) in Rust.
//!
//! One definition of everything, native and wasm32, in pipeline order:
//! [`data`] → `embed` → `model` → `train` → [`eval`] → `export`.

pub mod data;
pub mod device;
pub mod embed;
pub mod eval;
pub mod export;
pub mod model;
pub mod train;
pub mod util;
