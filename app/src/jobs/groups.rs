//! GPO's prediction of a custom question for every group of a survey — each group's context is
//! up to N of its real answers, the first N in a fixed shuffled order (so a larger N adds
//! answers, and the same N always gives the same prediction) — and for the person, from their
//! own answers. One run at a time; a request made during a run makes the run stop at its next
//! step and start again with the newest settings. Requested by `triggers`.

use std::ops::ControlFlow;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::answers::Forecast;
use crate::domain::error::PageError;
use crate::domain::groups::{CONTEXT_SIZES, GroupForecast, GroupPredictions, SimilarQuestion, YouForecast};
use crate::engine::{Engine, custom_index};
use crate::jobs::runtime;
use crate::platform::browser::now_ms;
use crate::state::AppState;

/// During a long run, the grid shows the groups done so far at most this often.
const PARTIAL_EVERY_MS: f64 = 300.0;
/// How many of the survey's questions like the custom one the editor names.
const SIMILAR_SHOWN: usize = 3;

/// Asks for fresh group predictions of the selected question (after any change).
pub fn request(state: AppState) {
    state.editor.group_job.request(
        move |generation| run(state, generation),
        move |error| runtime::recover(state, "GPO could not predict the groups", error),
    );
}

async fn run(state: AppState, generation: u64) -> Result<(), PageError> {
    let editor = state.editor;
    let (Some(engine), Some(key)) = (state.engine(), editor.selected.get_untracked()) else {
        editor.predictions.set(None);
        return Ok(());
    };
    let task = editor.survey.get_untracked();
    let Some(model) = engine.model(&task) else {
        // The survey is still downloading; its arrival asks again.
        editor.predictions.set(None);
        return Ok(());
    };
    let Some(target) = custom_index(&model, engine.custom(), &key) else {
        editor.predictions.set(None);
        return Ok(());
    };
    let you = you_forecast(state, &engine, &task, &key).await?;
    let similar: Vec<SimilarQuestion> = model
        .similar_questions(target, SIMILAR_SHOWN)
        .into_iter()
        .filter_map(|n| {
            let text = model.survey().questions.get(n.question)?.text.clone();
            Some(SimilarQuestion { text, similarity: n.similarity })
        })
        .collect();
    let started = now_ms();
    let size = CONTEXT_SIZES.get(editor.context.get_untracked()).copied().flatten();
    let contexts = model.group_contexts(size);
    let groups: Vec<GroupForecast> = model
        .survey()
        .groups
        .iter()
        .zip(&contexts)
        .map(|(g, c)| GroupForecast { name: g.name.clone(), label: g.label.clone(), context: c.len(), forecast: None })
        .collect();
    let publish = |forecasts: &[Option<Forecast>], complete: bool| {
        let groups = groups.iter().zip(forecasts).map(|(g, f)| GroupForecast { forecast: f.clone(), ..g.clone() });
        editor.predictions.set(Some(Arc::new(GroupPredictions {
            task: task.clone(),
            key: key.clone(),
            similar: similar.clone(),
            context_size: size,
            groups: groups.collect(),
            you: you.clone(),
            complete,
        })));
    };
    let mut shown = now_ms();
    let progress = |done: &[Option<Forecast>]| {
        if state.editor.group_job.is_stale(generation) {
            return ControlFlow::Break(());
        }
        // A long run (a large context) shows its progress now and then.
        if now_ms() - shown > PARTIAL_EVERY_MS && done.iter().any(Option::is_none) {
            publish(done, false);
            shown = now_ms();
        }
        ControlFlow::Continue(())
    };
    let Some(forecasts) = model.predict_groups(target, size, progress).await? else {
        return Ok(());
    };
    editor.group_predict_ms.set(Some(now_ms() - started));
    let forecasts: Vec<Option<Forecast>> = forecasts.into_iter().map(Some).collect();
    publish(&forecasts, true);
    Ok(())
}

/// The person's predicted answer: from their answers to the editor's survey when they can
/// answer it, else to the survey they answer now.
async fn you_forecast(
    state: AppState,
    engine: &Rc<Engine>,
    task: &str,
    key: &str,
) -> Result<Option<YouForecast>, PageError> {
    let views = state.surveys.get_untracked();
    let Some(view) =
        views.iter().find(|v| v.task == task).or_else(|| views.get(state.current.get_untracked())).cloned()
    else {
        return Ok(None);
    };
    let Some(model) = engine.model(&view.task) else { return Ok(None) };
    let Some(target) = custom_index(&model, engine.custom(), key) else { return Ok(None) };
    let chosen: Vec<(usize, usize)> =
        state.answers_of(&view).chosen().into_iter().filter(|&(q, _)| q != target).collect();
    if chosen.is_empty() {
        return Ok(Some(YouForecast::Missing(format!(
            "Answer a few questions of {} and GPO predicts your answer here too.",
            view.title
        ))));
    }
    let prediction = model.predict_person(&chosen, &[target]).await?;
    let Some(forecast) = prediction.forecasts.into_iter().next() else { return Ok(None) };
    Ok(Some(YouForecast::Predicted { forecast, answers: prediction.context, survey: view.title.clone() }))
}
