//! What a person's clicks do: answer, skip, forget, switch survey, pick the most informative
//! question, import, export, clear.

use gpo_core::eval::active::most_informative;
use leptos::prelude::*;

use crate::answers::SurveyAnswers;
use crate::browser::{download, scroll_to_and_focus};
use crate::list::{PAGE_SIZE, Show, order};
use crate::persist::{self, summary};
use crate::predictor;
use crate::records::{from_records, parse_import, to_csv, to_file};
use crate::state::{AppState, Level};

pub fn card_id(question: usize) -> String {
    format!("q-{question}")
}

fn save(state: AppState) {
    let Some(view) = state.current_view() else { return };
    if let Err(error) = persist::save_answers(&view, &state.answers_of(&view)) {
        state.notify(Level::Warning, error);
    }
}

/// Records `option` (or a skip, `None`) for `question` of the survey on screen, keeping GPO's
/// current prediction of it, and re-predicts when the context changed.
pub fn answer(state: AppState, question: usize, option: Option<usize>) {
    let Some(view) = state.current_view() else { return };
    let survey = state.current.get_untracked();
    let forecast = state
        .prediction
        .with_untracked(|p| p.as_ref().filter(|p| p.survey == survey).and_then(|p| p.forecast(question).cloned()));
    let mut before = None;
    state.book.update(|book| {
        let answers = book.entry(view.task.clone()).or_insert_with(|| SurveyAnswers::new(view.survey.questions.len()));
        before = answers.option(question);
        answers.set(question, option, forecast);
    });
    save(state);
    if before != option {
        predictor::request(state);
    }
}

pub fn forget(state: AppState, question: usize) {
    let Some(view) = state.current_view() else { return };
    state.book.update(|book| {
        if let Some(answers) = book.get_mut(&view.task) {
            answers.forget(question);
        }
    });
    save(state);
    predictor::request(state);
}

/// After a card left the list, focus the card that took its place (keyboard flow).
pub fn focus_list_position(position: usize) {
    leptos::prelude::request_animation_frame(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(cards) = document.query_selector_all("#question-list [data-testid=question]") else { return };
        let count = cards.length();
        if count == 0 {
            return;
        }
        let index = (position as u32).min(count - 1);
        if let Some(card) =
            cards.item(index).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(n).ok())
        {
            let _ = card.focus();
        }
    });
}

pub fn choose_survey(state: AppState, index: usize) {
    if state.current.get_untracked() == index {
        return;
    }
    let Some(task) = state.surveys.with_untracked(|s| s.get(index).map(|v| v.task.clone())) else { return };
    state.current.set(index);
    state.list.page.set(0);
    state.picked.set(None);
    persist::save_survey_choice(&task);
    predictor::request(state);
}

/// Picks the unanswered question GPO is least sure of, shows its page and focuses it.
pub fn ask_most_informative(state: AppState) {
    let Some(view) = state.current_view() else { return };
    let survey = state.current.get_untracked();
    let answers = state.answers_of(&view);
    let picked = state.prediction.with_untracked(|prediction| {
        let prediction = prediction.as_ref().filter(|p| p.survey == survey)?;
        let candidates: Vec<usize> = prediction.targets.iter().copied().filter(|&q| answers.get(q).is_none()).collect();
        let forecasts: Vec<_> = candidates.iter().filter_map(|&q| prediction.forecast(q)).collect();
        let probs: Vec<Vec<f32>> = forecasts.iter().map(|f| f.probs.clone()).collect();
        let stds: Vec<Vec<f32>> = forecasts.iter().map(|f| f.std.clone()).collect();
        most_informative(&probs, &stds).map(|i| candidates[i])
    });
    let Some(question) = picked else {
        state.notify(Level::Info, "There is no unanswered question left to ask (or GPO is still predicting).");
        return;
    };
    state.picked.set(Some((survey, question)));
    // Show it: the "to answer" list, unfiltered, on the page that holds it.
    state.list.show.set(Show::ToAnswer);
    state.list.filter.set(String::new());
    let position = state.prediction.with_untracked(|prediction| {
        let ordered =
            order(&view, Some(&answers), prediction.as_deref(), Show::ToAnswer, state.list.sort.get_untracked(), "");
        ordered.iter().position(|&q| q == question).unwrap_or(0)
    });
    state.list.page.set(position / PAGE_SIZE);
    let id = card_id(question);
    leptos::prelude::request_animation_frame(move || {
        scroll_to_and_focus(&id);
    });
}

pub fn export_json(state: AppState) {
    let Some(view) = state.current_view() else { return };
    let file = to_file(&view, &state.answers_of(&view));
    let result = serde_json::to_string_pretty(&file)
        .map_err(|e| e.to_string())
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
        if let Err(error) = persist::save_answers(view, &checked.answers) {
            state.notify(Level::Warning, error);
        }
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
    predictor::request(state);
}

/// Forgets every survey's answers (and set-aside copies) in this browser.
pub fn clear_everything(state: AppState) {
    persist::clear_answers();
    state.book.update(|book| book.clear());
    state.picked.set(None);
    state.list.page.set(0);
    state.notify(Level::Info, "All answers were deleted from this browser.");
    predictor::request(state);
}

#[derive(serde::Serialize)]
struct PredictionRow<'a> {
    key: &'a str,
    probs: &'a [f32],
    std: &'a [f32],
}

/// For tests and curious people: the latest prediction as `[{"key", "probs", "std"}]`.
pub fn prediction_json(state: AppState) -> String {
    state.prediction.with(|prediction| {
        let Some(prediction) = prediction else { return "[]".to_string() };
        let surveys = state.surveys.read();
        let Some(view) = surveys.get(prediction.survey) else { return "[]".to_string() };
        let rows: Vec<PredictionRow> = prediction
            .targets
            .iter()
            .filter_map(|&q| {
                let forecast = prediction.forecast(q)?;
                let key = &view.survey.questions.get(q)?.key;
                Some(PredictionRow { key, probs: &forecast.probs, std: &forecast.std })
            })
            .collect();
        serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
    })
}
