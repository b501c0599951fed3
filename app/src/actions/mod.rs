//! What a person's clicks do: they change state (and storage); the jobs that follow a change
//! are started by state (`jobs::triggers`), not called from here.

pub mod answers;
pub mod editor;
pub mod files;
pub mod settings;
