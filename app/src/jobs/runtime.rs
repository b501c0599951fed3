//! Start-up (settings, bundle download, models, saved answers) and backend switches. After the
//! bundle has loaded nothing here touches the network: switches rebuild from the kept bytes.

use std::rc::Rc;

use burn::prelude::Device;
use leptos::prelude::*;

use crate::answers::AnswerBook;
use crate::backend::{self, BackendChoice, BackendInfo};
use crate::browser::hash;
use crate::bundle::{LoadedBundle, load_bundle};
use crate::custom_store;
use crate::editor_actions;
use crate::editor_state::Tab;
use crate::engine::Engine;
use crate::group_predict;
use crate::persist;
use crate::predictor;
use crate::state::{AppState, Level, Phase};

/// Builds the models for `choice`, falling back to the CPU (with a notice) when WebGPU is
/// unavailable or cannot load them.
async fn build_engine(state: AppState, bundle: &LoadedBundle, choice: BackendChoice) -> Result<Engine, String> {
    let (device, info, note) = backend::acquire(choice).await;
    if let Some(note) = note {
        state.notify(Level::Info, note);
    }
    // The person's own questions join every survey (read now: they may change while waiting).
    let custom = state.editor.embedded();
    match Engine::build(bundle, &device, info.clone(), &custom) {
        Ok(engine) => Ok(engine),
        Err(error) if info.gpu => {
            backend::retire_webgpu(&error);
            state.notify(Level::Warning, format!("WebGPU could not load the model ({error}); GPO runs on the CPU."));
            Engine::build(bundle, &Device::flex(), BackendInfo::cpu(), &custom)
        }
        Err(error) => Err(error),
    }
}

pub async fn start(state: AppState) {
    let (choice, notice) = persist::load_backend_choice();
    if let Some(notice) = notice {
        state.notify(Level::Warning, notice);
    }
    state.choice.set(choice);
    let bundle = match load_bundle(|progress| state.phase.set(Phase::Loading(progress))).await {
        Ok(bundle) => Rc::new(bundle),
        Err(error) => {
            state.phase.set(Phase::Failed(format!("The model could not be loaded: {error}")));
            return;
        }
    };
    let (custom, notices) = custom_store::load(&bundle.manifest);
    for notice in notices {
        state.notify(Level::Warning, notice);
    }
    state.editor.custom.set(custom);
    let engine = match build_engine(state, &bundle, choice).await {
        Ok(engine) => engine,
        Err(error) => {
            state.phase.set(Phase::Failed(format!("The model could not be started: {error}")));
            return;
        }
    };
    let views = engine.views();
    let tasks: Vec<String> = views.iter().map(|v| v.task.clone()).collect();
    for notice in persist::set_aside_foreign(&tasks) {
        state.notify(Level::Warning, notice);
    }
    let mut book = AnswerBook::new();
    for view in &views {
        let (answers, notice) = persist::load_answers(view);
        if let Some(notice) = notice {
            state.notify(Level::Warning, notice);
        }
        book.insert(view.task.clone(), answers);
    }
    let (current, notice) = persist::load_survey_choice(&tasks);
    if let Some(notice) = notice {
        state.notify(Level::Warning, notice);
    }
    state.backend.set(Some(engine.backend.clone()));
    state.bundle.set_value(Some(bundle));
    state.engine.set_value(Some(Rc::new(engine)));
    state.surveys.set(views);
    state.book.set(book);
    state.current.set(current.unwrap_or(0));
    state.phase.set(Phase::Ready);
    predictor::request(state);
    if hash() == "editor" {
        editor_actions::show_tab(state, Tab::Editor);
    }
}

/// Rebuilds the models on the backend `choice` asks for (from the bytes already downloaded).
async fn rebuild(state: AppState, choice: BackendChoice) {
    let Some(bundle) = state.bundle.get_value() else { return };
    state.switching.set(true);
    match build_engine(state, &bundle, choice).await {
        Ok(engine) => {
            state.backend.set(Some(engine.backend.clone()));
            state.engine.set_value(Some(Rc::new(engine)));
            // Questions saved while the models were being rebuilt join them now.
            editor_actions::sync_custom(state);
            // The encoder lived on the previous device: it is loaded again when needed.
            editor_actions::drop_encoder(state);
            predictor::request(state);
            group_predict::request(state);
        }
        Err(error) => state.notify(Level::Error, format!("GPO could not be restarted: {error}")),
    }
    state.switching.set(false);
}

/// The person forces (or stops forcing) the CPU backend; the choice is saved.
pub fn choose_backend(state: AppState, choice: BackendChoice) {
    state.choice.set(choice);
    if let Err(error) = persist::save_backend_choice(choice) {
        state.notify(Level::Warning, format!("The backend choice could not be saved: {error}"));
    }
    leptos::task::spawn_local(rebuild(state, choice));
}

/// The one answer to a failed job: on WebGPU, fall back to the CPU (and run again); on the CPU,
/// tell the person what `failed`.
pub async fn recover(state: AppState, failed: &str, error: String) -> bool {
    let gpu = state.engine.with_value(|e| e.as_ref().is_some_and(|e| e.backend.gpu));
    if gpu {
        abandon_webgpu(state, &error).await;
        return true;
    }
    state.notify(Level::Error, format!("{failed}: {error}"));
    false
}

/// WebGPU failed while in use (e.g. the device was lost): continue on the CPU, and say so.
pub async fn abandon_webgpu(state: AppState, error: &str) {
    let error = backend::first_line(error);
    backend::retire_webgpu(&error);
    state.notify(Level::Warning, format!("WebGPU stopped working ({error}); GPO switched to the CPU."));
    rebuild(state, BackendChoice::Cpu).await;
}
