//! The GPO web page: the same GPO code as `gpo-core`, compiled to wasm, on WebGPU when the
//! browser has it and on the CPU otherwise. Everything a person types stays in the browser.

mod actions;
mod answers;
mod app;
mod backend;
mod browser;
mod bundle;
mod components;
mod custom;
mod custom_store;
mod editor_actions;
mod editor_state;
mod encoder;
mod engine;
mod fetch;
mod group_predict;
mod jobs;
mod list;
mod persist;
mod predictor;
mod records;
mod runtime;
mod state;
mod vectors;

pub use app::App;
