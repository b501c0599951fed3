//! What the page runs on, below the model: the browser's APIs, downloads of the bundle with
//! their progress, what is kept in localStorage, and the one background-job runner.

pub mod browser;
pub mod bundle;
pub mod custom_store;
pub mod fetch;
pub mod job;
pub mod persist;
