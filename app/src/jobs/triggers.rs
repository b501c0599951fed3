//! Re-prediction driven by state. Each prediction job reads a few signals; a memo of exactly
//! those inputs runs its job whenever they change — an answer that changes the context, another
//! survey, new models (start-up, a backend switch, the person's questions changed) — so no
//! action has to remember to ask. An input that changes to an equal value runs nothing.

use leptos::prelude::*;

use crate::jobs::{groups, person};
use crate::state::AppState;
use crate::state::editor::Tab;

/// (engine version, selected question, the groups' survey, context size, the person's chosen
/// (question, option) in the survey their own forecast reads).
type GroupsInput = (u64, Option<String>, String, usize, Vec<(usize, usize)>);

/// Installs the triggers (once, in the page's root component).
pub fn install(state: AppState) {
    // The person's prediction reads the survey on screen and the options chosen in it.
    let person_input = Memo::new(move |_| {
        let engine = state.engine_version.get();
        let survey = state.current.get();
        let task = state.surveys.with(|surveys| surveys.get(survey).map(|v| v.task.clone()));
        let chosen = task.and_then(|task| state.book.with(|book| book.get(&task).map(|a| a.chosen())));
        (engine, survey, chosen.unwrap_or_default())
    });
    Effect::new(move |_| {
        let (engine, ..) = person_input.get();
        if engine > 0 {
            person::request(state);
        }
    });
    // The groups' prediction reads the selected question, the groups' survey and the context
    // size; the person's forecast beside them reads their answers to that survey (or to the
    // one on screen), which count while the editor is shown: answering in the survey runs no
    // group prediction, and coming back to the editor after new answers runs one.
    let editor = state.editor;
    let groups_input = Memo::new(move |previous: Option<&GroupsInput>| {
        let task = editor.survey.get();
        let you = if editor.tab.get() == Tab::Editor {
            let current = state.current.get();
            let survey = state.surveys.with(|surveys| {
                surveys.iter().find(|v| v.task == task).or_else(|| surveys.get(current)).map(|v| v.task.clone())
            });
            survey.and_then(|s| state.book.with(|book| book.get(&s).map(|a| a.chosen()))).unwrap_or_default()
        } else {
            previous.map(|p| p.4.clone()).unwrap_or_default()
        };
        (state.engine_version.get(), editor.selected.get(), task, editor.context.get(), you)
    });
    Effect::new(move |_| {
        let (engine, ..) = groups_input.get();
        if engine > 0 {
            groups::request(state);
        }
    });
}
