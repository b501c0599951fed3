//! Every group's predicted distribution on the selected question, as a grid of small column
//! charts (the numbers are in each card's `data-probs` and tooltips), and the person's own.

use std::sync::Arc;

use leptos::prelude::*;

use crate::components::bars::{ColumnChart, percent};
use crate::domain::answers::Forecast;
use crate::domain::groups::{GroupPredictions, YouForecast};
use crate::state::AppState;

pub fn probs_json(forecast: Option<&Forecast>) -> String {
    forecast.and_then(|f| serde_json::to_string(&f.probs).ok()).unwrap_or_default()
}

/// "Most likely: option (41%)".
pub fn top_text(forecast: &Forecast, options: &[String]) -> String {
    let top = forecast.top();
    format!("{} ({})", options.get(top).map(String::as_str).unwrap_or("?"), percent(forecast.confidence()))
}

/// The latest predictions if they are of the question and survey on screen.
pub fn current(state: AppState) -> Option<Arc<GroupPredictions>> {
    let editor = state.editor;
    let selected = editor.selected.get()?;
    let task = editor.survey.get();
    editor.predictions.get().filter(|p| p.key == selected && p.task == task)
}

#[component]
pub fn GroupGrid(options: Signal<Vec<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let predictions = Memo::new(move |_| current(state));
    let cards = move || {
        let predictions = predictions.get()?;
        let options = options.get();
        Some(
            predictions
                .groups
                .iter()
                .map(|group| {
                    let chart = match group.forecast.as_ref() {
                        Some(f) => view! {
                            <ColumnChart probs=f.probs.clone() options=options.clone()/>
                            <p class="top small" data-testid="group-top">{top_text(f, &options)}</p>
                        }
                        .into_any(),
                        None => view! { <p class="muted small">"predicting…"</p> }.into_any(),
                    };
                    view! {
                        <li
                            class="group-card"
                            data-testid="group-card"
                            data-group=group.name.clone()
                            data-context=group.context
                            data-probs=probs_json(group.forecast.as_ref())
                        >
                            <span class="group-name" data-testid="group-name">{group.label.clone()}</span>
                            {chart}
                        </li>
                    }
                })
                .collect_view(),
        )
    };
    let grid_state = move || match predictions.get() {
        Some(p) if p.complete => "complete",
        Some(_) => "partial",
        None => "empty",
    };
    view! {
        <ul
            class="group-grid"
            role="list"
            data-testid="group-grid"
            data-state=grid_state
            data-count=move || predictions.with(|p| p.as_ref().map_or(0, |p| p.groups.len()))
            data-key=move || predictions.with(|p| p.as_ref().map(|p| p.key.clone()).unwrap_or_default())
            data-task=move || predictions.with(|p| p.as_ref().map(|p| p.task.clone()).unwrap_or_default())
            data-context-size=move || {
                predictions.with(|p| p.as_ref().map(|p| p.context_size.map_or("all".into(), |n| n.to_string())).unwrap_or_default())
            }
        >
            {cards}
        </ul>
    }
}

/// The person's predicted answer (from their own answers), or why there is none.
#[component]
pub fn YouCard(options: Signal<Vec<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        let predictions = current(state)?;
        Some(match predictions.you.clone()? {
            YouForecast::Predicted { forecast, answers, survey } => {
                let options = options.get();
                view! {
                    <div class="you" data-testid="editor-you" data-probs=probs_json(Some(&forecast)) data-answers=answers>
                        <h3>"You"</h3>
                        <ColumnChart probs=forecast.probs.clone() options=options.clone()/>
                        <p class="small">
                            "Most likely: " {top_text(&forecast, &options)}
                        </p>
                        <p class="muted small">{format!("From your {answers} answers to {survey}.")}</p>
                    </div>
                }
                .into_any()
            }
            YouForecast::Missing(why) => view! {
                <div class="you" data-testid="editor-you" data-probs="">
                    <h3>"You"</h3>
                    <p class="muted small" data-testid="editor-you-missing">{why}</p>
                </div>
            }
            .into_any(),
        })
    };
    view! { <div class="you-slot">{body}</div> }
}
