//! The GPO web page: the same GPO code as `gpo-core`, compiled to wasm, on WebGPU when the
//! browser has it and on the CPU otherwise. Everything a person types stays in the browser.
//!
//! Layers (ARCHITECTURE.md), each importing only from those after it in this list:
//! `components` (views) → `actions` (what clicks do) → `jobs` (background work, started by
//! state through Effects) → `state` (the reactive store) → `engine` / `platform` (the models
//! on a device; the browser) → `domain` (pure data and file formats, the `gpo-page-domain`
//! crate).

mod actions;
mod components;
mod engine;
mod jobs;
mod platform;
mod state;

/// The page's pure layer, a crate of its own so it is tested natively.
use gpo_page_domain as domain;

pub use components::app::App;
