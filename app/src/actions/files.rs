//! What the answer tools do: export the survey's answers (JSON, CSV), import a file of
//! answers, clear every answer kept in this browser.

use leptos::prelude::*;

use crate::domain::error::{PageError, summary};
use crate::domain::records::{from_records, parse_import, to_csv, to_file};
use crate::domain::unsaved;
use crate::platform::browser::download;
use crate::platform::persist;
use crate::state::{AppState, Level};

pub fn export_json(state: AppState) {
    let Some(view) = state.current_view() else { return };
    let file = to_file(&view, &state.answers_of(&view));
    let result = serde_json::to_string_pretty(&file)
        .map_err(|e| PageError::Write(e.to_string()))
        .and_then(|text| download(&format!("gpo-answers-{}.json", view.task), "application/json", &text));
    if let Err(error) = result {
        state.notify(Level::Error, format!("The export failed: {error}"));
    }
}

pub fn export_csv(state: AppState) {
    let Some(view) = state.current_view() else { return };
    let result = to_csv(&view, &state.answers_of(&view))
        .and_then(|text| download(&format!("gpo-answers-{}.csv", view.task), "text/csv;charset=utf-8", &text));
    if let Err(error) = result {
        state.notify(Level::Error, format!("The export failed: {error}"));
    }
}

/// Reads an imported file; each survey it names gets exactly the file's answers.
pub fn import(state: AppState, file_name: &str, text: &str) {
    let Some(current) = state.current_view() else { return };
    let surveys = match parse_import(text, &current.task) {
        Ok(surveys) => surveys,
        Err(error) => {
            state.notify(Level::Error, format!("\"{file_name}\" could not be imported: {error}."));
            return;
        }
    };
    let views = state.surveys.get_untracked();
    let mut imported = Vec::new();
    let mut problems = Vec::new();
    for (task, records) in surveys {
        let Some(view) = views.iter().find(|v| v.task == task) else {
            problems.push(format!("{} answers for an unknown survey \"{task}\"", records.len()));
            continue;
        };
        let checked = from_records(view, &records);
        problems.extend(checked.problems);
        if checked.used == 0 && !records.is_empty() {
            // Nothing usable: keep what the person has rather than wiping it.
            problems.push(format!("nothing usable for {}; those answers were left unchanged", view.title));
            continue;
        }
        state.book.update(|book| {
            book.insert(view.task.clone(), checked.answers.clone());
        });
        state.record_save(&unsaved::answers(&view.title), persist::save_answers(view, &checked.answers));
        imported.push(format!("{} answers to {}", checked.used, view.title));
    }
    if !imported.is_empty() {
        state.notify(Level::Info, format!("Imported {} from \"{file_name}\".", imported.join(" and ")));
    }
    if !problems.is_empty() {
        state.notify(
            Level::Warning,
            format!("{} rows of \"{file_name}\" were left out: {}.", problems.len(), summary(&problems)),
        );
    }
}

/// Forgets every survey's answers (and set-aside copies) in this browser.
pub fn clear_everything(state: AppState) {
    persist::clear_answers();
    state.book.update(|book| book.clear());
    for view in state.surveys.get_untracked() {
        state.record_save(&unsaved::answers(&view.title), Ok(()));
    }
    state.picked.set(None);
    state.list.page.set(0);
    state.notify(Level::Info, "All answers were deleted from this browser.");
}
