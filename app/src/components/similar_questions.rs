//! What a custom question's estimated statistics drew on: the survey's questions most like it
//! (by the same similarity the text map regresses on), or, when none is close, that the estimate
//! is near the option scale's typical answer.

use gpo_core::model::prior_map::CLOSE;
use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn SimilarQuestions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let similar = move || state.editor.predictions.with(|p| p.as_ref().map(|p| p.similar.clone()).unwrap_or_default());
    move || {
        let similar = similar();
        let closest = similar.first()?.clone();
        let percent = |s: f64| format!("{:.0}\u{a0}%", 100.0 * s);
        if closest.similarity >= CLOSE {
            let items = similar
                .into_iter()
                .filter(|q| q.similarity >= CLOSE)
                .map(|q| {
                    view! {
                        <li data-testid="editor-similar-question">
                            <span dir="auto">{q.text}</span>
                            " "
                            <span class="muted small">{percent(q.similarity)}</span>
                        </li>
                    }
                })
                .collect_view();
            Some(
                view! {
                    <div class="similar" data-testid="editor-similar" data-case="close">
                        <p class="small">
                            "Its estimate draws on the survey's questions most like it (similarity of their closest options):"
                        </p>
                        <ul class="small">{items}</ul>
                    </div>
                }
                .into_any(),
            )
        } else {
            Some(
                view! {
                    <div class="similar" data-testid="editor-similar" data-case="typical">
                        <p class="small">
                            "No question of this survey is close to this one (the closest, "
                            <q dir="auto">{closest.text}</q>
                            ", is " {percent(closest.similarity)} " alike): its estimate is near the option "
                            "scale's typical answer — how the survey's questions with as many options were "
                            "answered, position by position."
                        </p>
                    </div>
                }
                .into_any(),
            )
        }
    }
}
