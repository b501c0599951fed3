//! Re-predicting the survey on screen: its unanswered questions from the person's answers (a
//! [`crate::platform::job::Job`]: one run at a time, the latest request wins). Requested by
//! `triggers` whenever the context, the survey or the models change.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::tick;

use crate::domain::error::PageError;
use crate::domain::prediction::PredictionSet;
use crate::jobs::runtime;
use crate::platform::browser::now_ms;
use crate::state::AppState;

/// Asks for a fresh prediction of the survey on screen.
pub fn request(state: AppState) {
    state
        .predict_job
        .request(move |_| run(state), move |error| runtime::recover(state, "GPO could not predict", error));
}

async fn run(state: AppState) -> Result<(), PageError> {
    let (Some(engine), Some(view)) = (state.engine(), state.current_view()) else { return Ok(()) };
    let survey = state.current.get_untracked();
    let answers = state.answers_of(&view);
    let chosen = answers.chosen();
    let targets: Vec<usize> = (0..view.survey.questions.len()).filter(|&q| answers.option(q).is_none()).collect();
    let started = now_ms();
    let Some(prediction) = engine.predict(survey, &chosen, &targets).await? else { return Ok(()) };
    let predict_ms = now_ms() - started;
    // The survey's questions changed meanwhile (a custom question): a newer run is requested.
    if state.current_view().is_none_or(|now| !Arc::ptr_eq(&now, &view)) {
        return Ok(());
    }
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
    Ok(())
}
