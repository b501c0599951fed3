//! Two groups (or a group and the person) side by side on the selected question: each option
//! with both predicted shares and GPO's ± std.

use leptos::prelude::*;

use crate::components::bars::{ProbabilityBar, percent};
use crate::components::group_grid::{current, probs_json};
use crate::domain::answers::Forecast;
use crate::domain::groups::YouForecast;
use crate::state::AppState;

/// The value the person's own prediction has in the selects.
const YOU: &str = "@you";

/// (label, forecast) of a select's value.
fn pick(state: AppState, value: &str) -> Option<(String, Option<Forecast>)> {
    let predictions = current(state)?;
    if value == YOU {
        return match predictions.you.clone()? {
            YouForecast::Predicted { forecast, .. } => Some(("You".into(), Some(forecast))),
            YouForecast::Missing(_) => None,
        };
    }
    let group = predictions.groups.iter().find(|g| g.name == value)?;
    Some((group.label.clone(), group.forecast.clone()))
}

#[component]
pub fn GroupCompare(options: Signal<Vec<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let (a, b) = state.editor.compare;
    let choices = move || {
        let predictions = current(state);
        let mut list: Vec<(String, String)> = predictions
            .as_ref()
            .map(|p| p.groups.iter().map(|g| (g.name.clone(), g.label.clone())).collect())
            .unwrap_or_default();
        if predictions.and_then(|p| p.you.clone()).is_some_and(|y| matches!(y, YouForecast::Predicted { .. })) {
            list.insert(0, (YOU.into(), "You".into()));
        }
        list
    };
    // The first two groups until the person picks.
    let value = move |signal: RwSignal<String>, fallback: usize| {
        let chosen = signal.get();
        let list = choices();
        if list.iter().any(|(name, _)| *name == chosen) {
            chosen
        } else {
            list.iter().filter(|(name, _)| name != YOU).nth(fallback).map(|(n, _)| n.clone()).unwrap_or_default()
        }
    };
    let select = move |signal: RwSignal<String>, fallback: usize, id: &'static str, label: &'static str| {
        view! {
            <label class="control">
                <span class="small">{label}</span>
                <select data-testid=id on:change:target=move |ev| signal.set(ev.target().value())>
                    {move || {
                        let current = value(signal, fallback);
                        choices()
                            .into_iter()
                            .map(|(name, text)| {
                                let selected = name == current;
                                view! { <option value=name selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    let column = move |signal: RwSignal<String>, fallback: usize| {
        let name = value(signal, fallback);
        let (label, forecast) = pick(state, &name)?;
        let options = options.get();
        let rows = options
            .iter()
            .enumerate()
            .map(|(i, option)| {
                let bar = forecast.as_ref().and_then(|f| {
                    let (prob, std) = (*f.probs.get(i)?, *f.std.get(i)?);
                    Some(view! {
                        <ProbabilityBar prob std highlight=f.top() == i/>
                        <span class="pct">{percent(prob)}</span>
                    })
                });
                view! {
                    <li class="compare-row">
                        <span class="compare-option" dir="auto">{option.clone()}</span>
                        <span class="compare-bar">{bar}</span>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="compare-column" data-testid="compare-column" data-group=name data-probs=probs_json(forecast.as_ref())>
                <h3>{label}</h3>
                <ul role="list">{rows}</ul>
            </div>
        })
    };
    view! {
        <section class="compare panel-block" data-testid="compare">
            <h2>"Compare two"</h2>
            <div class="compare-controls">
                {select(a, 0, "compare-a", "First")} {select(b, 1, "compare-b", "Second")}
            </div>
            <div class="compare-columns">{move || column(a, 0)} {move || column(b, 1)}</div>
        </section>
    }
}
