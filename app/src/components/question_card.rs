//! One question: its options as buttons, GPO's predicted distribution as bars (± std), and
//! once answered, whether GPO's prediction (kept from before the answer) was right.

use leptos::prelude::*;

use crate::actions::answers::{self as actions, card_id, focus_list_position};
use crate::components::bars::{ProbabilityBar, percent};
use crate::domain::answers::{Choice, Forecast};
use crate::domain::list::Show;
use crate::state::AppState;

/// What the card says about GPO's prediction.
fn verdict(choice: Option<&Choice>, forecast: Option<&Forecast>, options: &[String]) -> String {
    match (choice, forecast) {
        (Some(Choice { option: Some(option), predicted: Some(kept) }), _) => {
            let expected = options.get(kept.top()).map(String::as_str).unwrap_or("?");
            if kept.top() == *option {
                format!("GPO expected “{expected}” — right.")
            } else {
                format!("GPO expected “{expected}”.")
            }
        }
        (Some(Choice { option: Some(_), predicted: None }), _) => "No prediction was kept for this answer.".into(),
        (Some(Choice { option: None, .. }), _) => "Skipped.".into(),
        (None, Some(forecast)) => format!("GPO is {} sure of its top answer.", percent(forecast.confidence())),
        (None, None) => "GPO is predicting…".into(),
    }
}

#[component]
pub fn QuestionCard(survey: usize, question: usize, visible: Memo<Vec<(usize, usize)>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let Some(view) = state.surveys.with_untracked(|s| s.get(survey).cloned()) else {
        return ().into_any();
    };
    let Some(item) = view.survey.questions.get(question).cloned() else {
        return ().into_any();
    };
    let custom = view.is_custom(question);
    let task = view.task.clone();
    let choice = Memo::new(move |_| state.book.with(|b| b.get(&task).and_then(|a| a.get(question).cloned())));
    // Answered: the prediction kept from before the answer; else the latest one.
    let shown = Memo::new(move |_| match choice.get() {
        Some(choice) => choice.predicted,
        None => state
            .prediction
            .with(|p| p.as_ref().filter(|p| p.survey == survey).and_then(|p| p.forecast(question).cloned())),
    });
    let respond = move |option: Option<usize>| {
        let leaves_list = state.list.show.get_untracked() == Show::ToAnswer;
        let position = visible.with_untracked(|v| v.iter().position(|&item| item == (survey, question)));
        actions::answer(state, question, option);
        if let (true, Some(position)) = (leaves_list, position) {
            focus_list_position(position);
        }
    };
    let id = card_id(question);
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let options = item.options.clone();
    let rows = item
        .options
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let pressed = move || choice.with(|c| c.as_ref().and_then(|c| c.option) == Some(i));
            let bar = move || {
                shown.with(|forecast| {
                    let forecast = forecast.as_ref()?;
                    let (prob, std) = (*forecast.probs.get(i)?, *forecast.std.get(i)?);
                    let top = forecast.top() == i;
                    Some(view! {
                        <ProbabilityBar prob std highlight=top/>
                        <span class="pct" data-testid="prob">{percent(prob)}</span>
                        <span class="std">{format!("± {:.0}", std * 100.0)}</span>
                    })
                })
            };
            view! {
                <li class="option-row" class:chosen=pressed>
                    <button
                        type="button"
                        class="option"
                        data-testid="option"
                        data-option=i
                        aria-pressed=move || if pressed() { "true" } else { "false" }
                        on:click=move |_| respond(Some(i))
                        dir="auto"
                    >
                        {text.clone()}
                    </button>
                    <span class="forecast">{bar}</span>
                </li>
            }
        })
        .collect_view();
    let skipped = move || choice.with(|c| c.as_ref().is_some_and(|c| c.option.is_none()));
    let card_state = move || match choice.get() {
        None => "to-answer",
        Some(Choice { option: None, .. }) => "skipped",
        Some(_) => "answered",
    };
    view! {
        <article
            class="card"
            class:picked=move || state.picked.get() == Some((survey, question))
            id=id
            tabindex="-1"
            aria-labelledby=labelled_by
            data-testid="question"
            data-key=item.key.clone()
            data-state=card_state
            data-custom=custom.to_string()
        >
            <header class="card-head">
                <h3 id=title_id dir="auto">{item.text.clone()}</h3>
                <span class="question-key">{if custom { "your question".to_string() } else { item.key.clone() }}</span>
            </header>
            <ul class="options" role="list">{rows}</ul>
            <footer class="card-foot">
                <button
                    type="button"
                    class="secondary"
                    data-testid="skip"
                    aria-pressed=move || if skipped() { "true" } else { "false" }
                    on:click=move |_| respond(None)
                >
                    "Skip"
                </button>
                {move || {
                    choice
                        .with(|c| c.is_some())
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    data-testid="forget"
                                    on:click=move |_| actions::forget(state, question)
                                >
                                    "Clear my answer"
                                </button>
                            }
                        })
                }}
                <span class="verdict" data-testid="verdict">
                    {move || verdict(choice.get().as_ref(), shown.get().as_ref(), &options)}
                </span>
            </footer>
        </article>
    }
    .into_any()
}
