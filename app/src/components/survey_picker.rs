use leptos::prelude::*;

use crate::actions::choose_survey;
use crate::engine::SurveyView;
use crate::state::AppState;

/// A person-facing name and description of a survey.
fn describe(view: &SurveyView) -> (String, String) {
    let questions = view.survey.questions.len();
    let groups = view.survey.groups.len();
    match view.task.as_str() {
        "oqa" => (
            "US opinions".into(),
            format!("{questions} OpinionQA questions (Pew American Trends Panel); compared with {groups} US groups"),
        ),
        "gd4" => (
            "Global attitudes to AI".into(),
            format!("{questions} Global Dialogues questions; compared with {groups} segments of respondents"),
        ),
        _ => (view.title.clone(), format!("{questions} questions, {groups} groups")),
    }
}

#[component]
pub fn SurveyPicker() -> impl IntoView {
    let state = expect_context::<AppState>();
    let options = move || {
        state
            .surveys
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, view)| {
                let (name, description) = describe(&view);
                let answered = {
                    let task = view.task.clone();
                    move || state.book.with(|b| b.get(&task).map_or(0, |a| a.chosen().len()))
                };
                view! {
                    <label class="survey-option" class:selected=move || state.current.get() == index>
                        <input
                            type="radio"
                            name="survey"
                            data-testid=format!("survey-{}", view.task)
                            prop:checked=move || state.current.get() == index
                            on:change=move |_| choose_survey(state, index)
                        />
                        <span class="survey-name">{name}</span>
                        <span class="survey-description">{description}</span>
                        <span class="survey-answered">{answered} " answered"</span>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="survey-picker" data-testid="survey-picker">
            <legend>"Choose a survey"</legend>
            <div class="survey-options">{options}</div>
        </fieldset>
    }
}
