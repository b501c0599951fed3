//! The person's own questions applied to the models: stored, joined to every survey's models
//! (derived, sharing the trained weights), and every survey's answers carried over to the new
//! question order. Setting the new models makes the predictions follow (`triggers`).

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::answers::SurveyAnswers;
use crate::domain::records::{from_records, to_records};
use crate::domain::unsaved;
use crate::platform::{custom_store, persist};
use crate::state::{AppState, Level};

/// After the custom questions changed: store them, derive the models, and carry every
/// survey's answers over (dropping answers to the questions in `forget`).
pub fn apply(state: AppState, forget: &[String]) {
    let custom = state.editor.custom.get_untracked();
    state.record_save(unsaved::QUESTIONS, custom_store::save(&custom));
    let Some(engine) = state.engine() else { return };
    let engine = Rc::new(engine.with_custom(&state.editor.embedded()));
    let views = engine.views();
    let old_views = state.surveys.get_untracked();
    let mut forgotten = 0;
    state.book.update(|book| {
        for view in &views {
            let Some(old) = old_views.iter().find(|v| v.task == view.task) else { continue };
            let answers =
                book.get(&view.task).cloned().unwrap_or_else(|| SurveyAnswers::new(old.survey.questions.len()));
            let records = to_records(old, &answers);
            let before = records.len();
            let kept: Vec<_> = records.into_iter().filter(|r| !forget.contains(&r.question)).collect();
            let checked = from_records(view, &kept);
            forgotten += answers.touched().saturating_sub(checked.used);
            // Answers are stored by question key: only answers dropped here change what is stored.
            if checked.used != before {
                state.record_save(&unsaved::answers(&view.title), persist::save_answers(view, &checked.answers));
            }
            book.insert(view.task.clone(), checked.answers);
        }
    });
    if forgotten > 0 {
        state.notify(Level::Info, format!("{forgotten} of your answers to changed or deleted questions were cleared."));
    }
    // The prediction on screen follows its questions to their new places until the next one.
    let survey = state.current.get_untracked();
    if let (Some(old), Some(new)) = (old_views.get(survey), views.get(survey)) {
        state.prediction.update(|p| {
            if let Some(set) = p.as_ref().filter(|p| p.survey == survey) {
                *p = Some(Arc::new(set.remap(old, new)));
            }
        });
    }
    state.surveys.set(views);
    state.set_engine(engine);
}

/// Applies the custom questions if the models do not have exactly them.
pub fn sync(state: AppState) {
    let wanted: Vec<String> = state.editor.embedded().into_iter().map(|q| q.question.key).collect();
    let Some(engine) = state.engine() else { return };
    let have: Vec<&str> = engine.custom().iter().map(|q| q.question.key.as_str()).collect();
    if have != wanted {
        apply(state, &[]);
    }
}
