//! Beside the questions (above them on phones): GPO's record so far, the most informative next
//! question, the closest groups, and the answers' import/export.

use leptos::prelude::*;

use crate::actions::answers::ask_most_informative;
use crate::components::answer_tools::AnswerTools;
use crate::components::closest_groups::ClosestGroups;
use crate::state::AppState;

#[component]
pub fn SidePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let answers = Memo::new(move |_| {
        let surveys = state.surveys.read();
        let view = surveys.get(state.current.get())?;
        let total = view.survey.questions.len();
        state.book.with(|book| {
            let answers = book.get(&view.task)?;
            Some((answers.score(), answers.chosen().len(), answers.touched(), total))
        })
    });
    let score = move || match answers.get() {
        Some(((right, scored), ..)) if scored > 0 => {
            format!("GPO was right {right} of {scored} ({:.0}%)", 100.0 * right as f64 / scored as f64)
        }
        _ => "Answer a question to see whether GPO guessed it.".into(),
    };
    let progress = move || {
        let (answered, touched, total) = answers.get().map_or((0, 0, 0), |(_, a, t, n)| (a, t, n));
        format!("{answered} answered, {} skipped, {} to go", touched - answered, total - touched)
    };
    let picked = move || {
        let (survey, question) = state.picked.get()?;
        let surveys = state.surveys.read();
        let question = surveys.get(survey)?.survey.questions.get(question)?;
        Some(view! {
            <p class="picked" data-testid="informative-pick" data-key=question.key.clone()>
                "GPO is least sure about: " <em>{question.text.clone()}</em>
            </p>
        })
    };
    view! {
        <aside class="panel" aria-label="Your results">
            <section class="panel-block">
                <h2>"How GPO is doing"</h2>
                <p class="score" data-testid="score">{score}</p>
                <p class="muted" data-testid="progress">{progress}</p>
            </section>
            <section class="panel-block">
                <button
                    type="button"
                    class="primary"
                    data-testid="most-informative"
                    disabled=move || state.prediction.with(|p| p.is_none())
                    on:click=move |_| ask_most_informative(state)
                >
                    "Ask me the most informative next question"
                </button>
                {picked}
            </section>
            <ClosestGroups/>
            <AnswerTools/>
        </aside>
    }
}
