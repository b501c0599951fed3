//! What a person's clicks on the survey do: answer, skip, forget, switch survey, pick the most
//! informative question. Each changes state; the re-prediction follows from it.

use gpo_core::eval::active::most_informative;
use leptos::prelude::*;

use crate::domain::answers::SurveyAnswers;
use crate::domain::list::{PAGE_SIZE, Show, order};
use crate::domain::unsaved;
use crate::platform::browser::scroll_to_and_focus;
use crate::platform::persist;
use crate::state::{AppState, Level};

pub fn card_id(question: usize) -> String {
    format!("q-{question}")
}

/// Saves the survey's answers merged into what is stored (another tab's answers are kept);
/// `forgotten`: the key of a question whose answer was just forgotten.
fn save(state: AppState, forgotten: Option<&str>) {
    let Some(view) = state.current_view() else { return };
    let result = persist::save_merged(&view, &state.answers_of(&view), forgotten);
    state.record_save(&unsaved::answers(&view.title), result);
}

/// Records `option` (or a skip, `None`) for `question` of the survey on screen, keeping GPO's
/// current prediction of it.
pub fn answer(state: AppState, question: usize, option: Option<usize>) {
    let Some(view) = state.current_view() else { return };
    let survey = state.current.get_untracked();
    let forecast = state
        .prediction
        .with_untracked(|p| p.as_ref().filter(|p| p.survey == survey).and_then(|p| p.forecast(question).cloned()));
    state.book.update(|book| {
        let answers = book.entry(view.task.clone()).or_insert_with(|| SurveyAnswers::new(view.survey.questions.len()));
        answers.set(question, option, forecast);
    });
    save(state, None);
}

pub fn forget(state: AppState, question: usize) {
    let Some(view) = state.current_view() else { return };
    state.book.update(|book| {
        if let Some(answers) = book.get_mut(&view.task) {
            answers.forget(question);
        }
    });
    let key = view.survey.questions.get(question).map(|q| q.key.as_str());
    save(state, key);
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
