//! GPO's prediction of a custom question for every group of a survey — each group's context is
//! up to N of its real answers, the first N in a fixed shuffled order (so a larger N adds
//! answers, and the same N always gives the same prediction) — and for the person, from their
//! own answers. One run at a time; a request made during a run makes the run stop at its next
//! step and start again with the newest settings.

use std::rc::Rc;
use std::sync::Arc;

use gpo_core::model::EpisodeInput;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::answers::Forecast;
use crate::browser::now_ms;
use crate::editor_state::{CONTEXT_SIZES, GroupForecast, GroupPredictions, YouForecast};
use crate::engine::{Engine, SurveyModel, one_hot};
use crate::runtime;
use crate::state::{AppState, Level};

/// Context tokens × context tokens summed over the groups of one forward pass: a large context
/// is predicted a few groups at a time (attention memory and a responsive page).
const PAIR_BUDGET: usize = 4_000_000;
/// A forward pass pads every group to its longest context: groups of similar length go together,
/// wasting at most this share of attention work on padding.
const PADDING_WASTE: f64 = 1.25;
/// During a long run, the grid shows the groups done so far at most this often.
const PARTIAL_EVERY_MS: f64 = 300.0;

/// Groups (by index) in forward passes: sorted by context length, then cut where padding or the
/// budget would grow too large. `tokens` holds each group's context and target tokens.
fn plan(tokens: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..tokens.len()).collect();
    order.sort_by_key(|&g| tokens[g]);
    let mut chunks = Vec::new();
    let mut chunk: Vec<usize> = Vec::new();
    let mut real = 0;
    for g in order {
        let pairs = tokens[g] * tokens[g];
        // Sorted: this group is the chunk's longest, so every member is padded to it.
        let padded = (chunk.len() + 1) * pairs;
        if !chunk.is_empty() && (padded > PAIR_BUDGET || padded as f64 > PADDING_WASTE * (real + pairs) as f64) {
            chunks.push(std::mem::take(&mut chunk));
            real = 0;
        }
        chunk.push(g);
        real += pairs;
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    chunks
}

/// Asks for fresh group predictions of the selected question (after any change).
pub fn request(state: AppState) {
    let editor = state.editor;
    editor.generation.update_value(|g| *g += 1);
    if editor.running.get_value() {
        return;
    }
    editor.running.set_value(true);
    spawn_local(async move {
        editor.predicting.set(true);
        loop {
            let generation = editor.generation.get_value();
            if let Err(error) = run(state, generation).await {
                let gpu = state.engine.with_value(|e| e.as_ref().is_some_and(|e| e.backend.gpu));
                if gpu {
                    runtime::abandon_webgpu(state, &error).await;
                    continue;
                }
                state.notify(Level::Error, format!("GPO could not predict the groups: {error}"));
            }
            if editor.generation.get_value() == generation {
                break;
            }
        }
        editor.running.set_value(false);
        editor.predicting.set(false);
    });
}

fn stale(state: AppState, generation: u64) -> bool {
    state.editor.generation.get_value() != generation
}

/// One question's groups as episodes: each group's first `size` answers in its order.
fn contexts(model: &SurveyModel, size: Option<usize>) -> Vec<Vec<usize>> {
    model
        .survey
        .groups
        .iter()
        .map(|group| {
            let mut order = group.context_order();
            order.truncate(size.unwrap_or(usize::MAX));
            order
        })
        .collect()
}

async fn run(state: AppState, generation: u64) -> Result<(), String> {
    let editor = state.editor;
    let (Some(engine), Some(key)) = (state.engine.get_value(), editor.selected.get_untracked()) else {
        editor.predictions.set(None);
        return Ok(());
    };
    let task = editor.survey.get_untracked();
    let Some(model) = engine.model(&task) else {
        // The survey is still downloading; its arrival asks again.
        editor.predictions.set(None);
        return Ok(());
    };
    let Some(target) = model.custom_index(engine.custom(), &key) else {
        editor.predictions.set(None);
        return Ok(());
    };
    let you = you_forecast(state, &engine, &task, &key).await?;
    let started = now_ms();
    let size = CONTEXT_SIZES.get(editor.context.get_untracked()).copied().flatten();
    let contexts = contexts(&model, size);
    let mut groups: Vec<GroupForecast> = model
        .survey
        .groups
        .iter()
        .zip(&contexts)
        .map(|(g, c)| GroupForecast { name: g.name.clone(), label: g.label.clone(), context: c.len(), forecast: None })
        .collect();
    let publish = |groups: &[GroupForecast], complete: bool| {
        editor.predictions.set(Some(Arc::new(GroupPredictions {
            task: task.clone(),
            key: key.clone(),
            context_size: size,
            groups: groups.to_vec(),
            you: you.clone(),
            complete,
        })));
    };
    let options = model.runner.embeddings.options(target);
    let tokens: Vec<usize> = contexts
        .iter()
        .zip(&model.survey.groups)
        .map(|(context, group)| context.iter().map(|&a| group.answers[a].1.len()).sum::<usize>() + options)
        .collect();
    let chunks = plan(&tokens);
    let mut shown = now_ms();
    for (i, chunk) in chunks.iter().enumerate() {
        let episodes: Vec<EpisodeInput> = chunk
            .iter()
            .map(|&g| {
                let answers = &model.survey.groups[g].answers;
                let context = contexts[g].iter().map(|&a| (answers[a].0, answers[a].1.as_slice())).collect();
                EpisodeInput::new(context, vec![target])
            })
            .collect();
        let predictions = model.runner.predict_async(&episodes).await?;
        if stale(state, generation) {
            return Ok(());
        }
        for (&g, prediction) in chunk.iter().zip(predictions) {
            if let (Some(probs), Some(std)) = (prediction.probs.into_iter().next(), prediction.std.into_iter().next()) {
                groups[g].forecast = Some(Forecast { probs, std });
            }
        }
        // A long run (a large context) shows its progress now and then.
        if i + 1 < chunks.len() && now_ms() - shown > PARTIAL_EVERY_MS {
            publish(&groups, false);
            shown = now_ms();
        }
    }
    editor.group_predict_ms.set(Some(now_ms() - started));
    publish(&groups, true);
    Ok(())
}

/// The person's predicted answer: from their answers to the editor's survey when they can
/// answer it, else to the survey they answer now.
async fn you_forecast(
    state: AppState,
    engine: &Rc<Engine>,
    task: &str,
    key: &str,
) -> Result<Option<YouForecast>, String> {
    let views = state.surveys.get_untracked();
    let Some(view) =
        views.iter().find(|v| v.task == task).or_else(|| views.get(state.current.get_untracked())).cloned()
    else {
        return Ok(None);
    };
    let Some(model) = engine.model(&view.task) else { return Ok(None) };
    let Some(target) = model.custom_index(engine.custom(), key) else { return Ok(None) };
    let chosen: Vec<(usize, usize)> =
        state.answers_of(&view).chosen().into_iter().filter(|&(q, _)| q != target).collect();
    if chosen.is_empty() {
        return Ok(Some(YouForecast::Missing(format!(
            "Answer a few questions of {} and GPO predicts your answer here too.",
            view.title
        ))));
    }
    let context = one_hot(&model.runner, &chosen);
    let episode = EpisodeInput::new(context.iter().map(|(q, p)| (*q, p.as_slice())).collect(), vec![target]);
    let mut predictions = model.runner.predict_async(&[episode]).await?;
    let prediction = predictions.pop().ok_or("the model returned no prediction")?;
    let (Some(probs), Some(std)) = (prediction.probs.into_iter().next(), prediction.std.into_iter().next()) else {
        return Ok(None);
    };
    Ok(Some(YouForecast::Predicted {
        forecast: Forecast { probs, std },
        answers: context.len(),
        survey: view.title.clone(),
    }))
}
