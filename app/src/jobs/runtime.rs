//! Start-up (settings, bundle download, models, saved answers), backend switches, and the one
//! answer to a failed job. After the bundle has loaded nothing here touches the network:
//! switches rebuild from the kept bytes. Setting new models (`AppState::set_engine`) is what
//! makes the prediction jobs run again (`triggers`).

use std::rc::Rc;

use burn::prelude::Device;
use leptos::prelude::*;

use crate::domain::answers::AnswerBook;
use crate::domain::error::PageError;
use crate::domain::settings::BackendChoice;
use crate::engine::Engine;
use crate::engine::backend::{self, BackendInfo};
use crate::jobs::{custom_questions, encoder_load};
use crate::platform::bundle::{LoadedBundle, load_bundle};
use crate::platform::{custom_store, persist};
use crate::state::{AppState, Level, Phase};

/// Builds the models for `choice`, falling back to the CPU (with a notice) when WebGPU is
/// unavailable or cannot load them.
async fn build_engine(state: AppState, bundle: &LoadedBundle, choice: BackendChoice) -> Result<Engine, PageError> {
    let (device, info, note) = backend::acquire(choice).await;
    if let Some(note) = note {
        state.notify(Level::Info, note);
    }
    // The person's own questions join every survey (read now: they may change while waiting).
    let custom = state.editor.embedded();
    match Engine::build(bundle, &device, info.clone(), &custom) {
        Ok(engine) => Ok(engine),
        Err(error) if info.gpu => {
            backend::retire_webgpu(&error.to_string());
            state.notify(Level::Warning, format!("WebGPU could not load the model ({error}); GPO runs on the CPU."));
            Engine::build(bundle, &Device::flex(), BackendInfo::cpu(), &custom)
        }
        Err(error) => Err(error),
    }
}

/// Loads everything and shows the survey; the first prediction follows from the new models.
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
    state.surveys.set(views);
    state.book.set(book);
    state.current.set(current.unwrap_or(0));
    state.set_engine(Rc::new(engine));
    state.phase.set(Phase::Ready);
}

/// Rebuilds the models on the backend `choice` asks for (from the bytes already downloaded).
async fn rebuild(state: AppState, choice: BackendChoice) {
    let Some(bundle) = state.bundle.get_value() else { return };
    state.switching.set(true);
    match build_engine(state, &bundle, choice).await {
        Ok(engine) => {
            state.backend.set(Some(engine.backend.clone()));
            state.set_engine(Rc::new(engine));
            // Questions saved while the models were being rebuilt join them now.
            custom_questions::sync(state);
            // The encoder lived on the previous device: it is loaded again when needed.
            encoder_load::drop_encoder(state);
        }
        Err(error) => state.notify(Level::Error, format!("GPO could not be restarted: {error}")),
    }
    state.switching.set(false);
}

/// Rebuilds the models on the backend `choice` asks for, in the background.
pub fn switch_backend(state: AppState, choice: BackendChoice) {
    leptos::task::spawn_local(rebuild(state, choice));
}

/// The one answer to a failed job: when the WebGPU device failed, fall back to the CPU (and
/// run again); otherwise tell the person what `failed`.
pub async fn recover(state: AppState, failed: &str, error: PageError) -> bool {
    let gpu = state.engine().is_some_and(|e| e.backend.gpu);
    if gpu && error.is_device() {
        abandon_webgpu(state, &error.to_string()).await;
        return true;
    }
    state.notify(Level::Error, format!("{failed}: {error}"));
    false
}

/// WebGPU failed while in use (e.g. the device was lost): continue on the CPU, and say so.
async fn abandon_webgpu(state: AppState, error: &str) {
    let error = backend::first_line(error);
    backend::retire_webgpu(&error);
    state.notify(Level::Warning, format!("WebGPU stopped working ({error}); GPO switched to the CPU."));
    rebuild(state, BackendChoice::Cpu).await;
}
