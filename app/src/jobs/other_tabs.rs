//! Another tab of the page changed the stored answers: its change reaches this page's answers
//! (each question it changed takes its new answer; every other question keeps this page's,
//! saved or not), and the predictions follow. Together with saves that merge into what is
//! stored (`persist::save_merged`), neither tab writes over the other's answers.

use leptos::prelude::*;

use crate::domain::merge::apply_changes;
use crate::domain::records::{AnswerRecord, from_records, parse_file, to_records};
use crate::domain::view::SurveyView;
use crate::platform::browser::on_storage_change;
use crate::platform::persist::answers_key;
use crate::state::{AppState, Level};

pub fn install(state: AppState) {
    on_storage_change(move |key, old, new| changed(state, key.as_deref(), old, new));
}

/// The records of a stored value for `view`; `None` when it is not one this page reads (a
/// newer version's, another survey's, damaged): then this page's answers stay as they are.
fn records(view: &SurveyView, value: Option<String>) -> Option<Vec<AnswerRecord>> {
    let Some(text) = value else { return Some(Vec::new()) };
    parse_file(&text).ok().filter(|file| file.survey == view.task).map(|file| file.answers)
}

fn changed(state: AppState, key: Option<&str>, old: Option<String>, new: Option<String>) {
    let mut brought = false;
    for view in state.surveys.get_untracked() {
        if key.is_some_and(|key| key != answers_key(&view.task)) {
            continue;
        }
        let mine = to_records(&view, &state.answers_of(&view));
        let (old, new) = match key {
            // localStorage was cleared: every answer is gone.
            None => (mine.clone(), Vec::new()),
            Some(_) => {
                let Some(new) = records(&view, new.clone()) else { continue };
                (records(&view, old.clone()).unwrap_or_default(), new)
            }
        };
        let merged = apply_changes(&mine, &old, &new);
        if merged == mine {
            continue;
        }
        let answers = from_records(&view, &merged).answers;
        state.book.update(|book| {
            book.insert(view.task.clone(), answers);
        });
        brought = true;
    }
    if brought {
        state.notify(Level::Info, "Answers changed in another tab of this page were brought in here.");
    }
}
