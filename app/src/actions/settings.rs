//! What the footer's backend switch does.

use leptos::prelude::*;

use crate::domain::settings::BackendChoice;
use crate::jobs::runtime;
use crate::platform::persist;
use crate::state::{AppState, Level};

/// The person forces (or stops forcing) the CPU backend; the choice is saved and the models are
/// rebuilt on it.
pub fn choose_backend(state: AppState, choice: BackendChoice) {
    state.choice.set(choice);
    if let Err(error) = persist::save_backend_choice(choice) {
        state.notify(Level::Warning, format!("The backend choice could not be saved: {error}"));
    }
    runtime::switch_backend(state, choice);
}
