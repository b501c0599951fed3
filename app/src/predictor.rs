//! Re-predicting a survey's unanswered questions after every change, one run at a time: a
//! request made while a run is going folds into one more run afterwards.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::{spawn_local, tick};

use crate::browser::now_ms;
use crate::runtime;
use crate::state::{AppState, Level, PredictionSet};

/// Asks for a fresh prediction of the survey on screen.
pub fn request(state: AppState) {
    state.queue.update_value(|queue| queue.dirty = true);
    if state.queue.with_value(|queue| queue.running) {
        return;
    }
    state.queue.update_value(|queue| queue.running = true);
    spawn_local(run(state));
}

fn take_request(state: AppState) -> bool {
    let mut wanted = false;
    state.queue.update_value(|queue| {
        wanted = queue.dirty;
        queue.dirty = false;
    });
    wanted
}

async fn run(state: AppState) {
    state.predicting.set(true);
    while take_request(state) {
        let (Some(engine), Some(view)) = (state.engine.get_value(), state.current_view()) else { break };
        let survey = state.current.get_untracked();
        let answers = state.answers_of(&view);
        let chosen = answers.chosen();
        let targets: Vec<usize> = (0..view.survey.questions.len()).filter(|&q| answers.option(q).is_none()).collect();
        let started = now_ms();
        let result = engine.predict(survey, &chosen, &targets).await;
        let predict_ms = now_ms() - started;
        // The survey's questions changed meanwhile (a custom question): a newer run is queued.
        if state.current_view().is_none_or(|now| !Arc::ptr_eq(&now, &view)) {
            continue;
        }
        match result {
            Ok(prediction) => {
                let mut forecasts = vec![None; view.survey.questions.len()];
                for (&q, forecast) in targets.iter().zip(prediction.forecasts) {
                    forecasts[q] = Some(forecast);
                }
                let set = PredictionSet { survey, forecasts, targets, context: chosen.len() };
                let shown = now_ms();
                state.prediction.set(Some(Arc::new(set)));
                // Render effects run as queued tasks: after this tick the cards are updated.
                tick().await;
                let render_ms = now_ms() - shown;
                state.timings.update(|t| {
                    t.predict_ms = Some(predict_ms);
                    t.render_ms = Some(render_ms);
                    t.predictions += 1;
                    t.ready_ms.get_or_insert_with(now_ms);
                });
            }
            Err(error) if engine.backend.gpu => {
                // A lost or failing WebGPU device: carry on with the CPU.
                runtime::abandon_webgpu(state, &error).await;
                state.queue.update_value(|queue| queue.dirty = true);
            }
            Err(error) => state.notify(Level::Error, format!("GPO could not predict: {error}")),
        }
    }
    state.queue.update_value(|queue| queue.running = false);
    state.predicting.set(false);
}
