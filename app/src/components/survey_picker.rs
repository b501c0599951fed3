use leptos::prelude::*;

use crate::actions::answers::choose_survey;
use crate::domain::view::SurveyView;
use crate::state::AppState;

/// A person-facing name and description of a survey, from the bundle.
fn describe(view: &SurveyView) -> (String, String) {
    let questions = view.survey.questions.len();
    let groups = view.survey.groups.len();
    let counts = format!("{questions} questions; compared with {groups} groups");
    let description = match view.survey.description.trim() {
        "" => counts,
        text => format!("{text} {counts}"),
    };
    (view.title.clone(), description)
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
