//! The selected question's predictions: which survey's groups, how many of each group's real
//! answers GPO reads, the timings, the grid, the person's own answer, and the comparison.

use leptos::prelude::*;

use crate::actions::editor as editor_actions;
use crate::components::group_compare::GroupCompare;
use crate::components::group_grid::{GroupGrid, YouCard};
use crate::components::similar_questions::SimilarQuestions;
use crate::domain::groups::{CONTEXT_SIZES, context_label};
use crate::domain::progress::Progress;
use crate::state::AppState;

fn millis(value: Option<f64>) -> String {
    value.map(|ms| format!("{ms:.1}")).unwrap_or_else(|| "–".into())
}

fn progress_text(progress: &Progress) -> String {
    match progress.total {
        Some(total) => format!("{:.1} of {:.1} MB", progress.loaded as f64 / 1e6, total as f64 / 1e6),
        None => "starting…".into(),
    }
}

#[component]
pub fn EditorResults() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editor = state.editor;
    let question = Memo::new(move |_| {
        let key = editor.selected.get()?;
        editor.custom.with(|c| c.iter().find(|q| q.key == key).cloned())
    });
    let options =
        Signal::derive(move || question.with(|q| q.as_ref().map(|q| q.draft.options.clone()).unwrap_or_default()));
    let surveys = move || {
        state.bundle.with_value(|b| {
            b.as_ref().map(|b| b.all_surveys().iter().map(|s| (s.task.clone(), s.title.clone())).collect::<Vec<_>>())
        })
    };
    let survey_options = move || {
        let chosen = editor.survey.get();
        surveys()
            .unwrap_or_default()
            .into_iter()
            .map(|(task, title)| {
                let selected = task == chosen;
                view! { <option value=task selected=selected>{title}</option> }
            })
            .collect_view()
    };
    let notes = move || {
        let question = question.get()?;
        let embedding = question.embedding?;
        Some(
            embedding
                .notes
                .iter()
                .map(|n| view! { <li class="notice notice-info" data-testid="editor-note">{n.clone()}</li> })
                .collect_view(),
        )
    };
    let embedding_json = move || {
        let question = question.get()?;
        let embedding = question.embedding?;
        serde_json::to_string(&serde_json::json!({
            "key": question.key, "texts": embedding.texts, "vectors": embedding.vectors, "truncated": embedding.truncated,
        }))
        .ok()
    };
    let body = move || {
        let Some(q) = question.get() else {
            return view! {
                <p class="muted" data-testid="editor-empty">
                    "Save a question to see how every group would answer it."
                </p>
            }
            .into_any();
        };
        view! {
            <h2 class="selected-question" dir="auto" data-testid="editor-selected" data-key=q.key.clone()>
                {q.draft.text.clone()}
            </h2>
            <p class="muted small">
                "A new question has no survey statistics: its population prior and how groups split on it "
                "are estimated — the survey's typical answer for a scale of this length, moved towards how "
                "the survey's most similar questions were answered (kernel ridge on the encoder's "
                "embedding) — and GPO moves the prior for each group by that group's real answers. On "
                "OpinionQA questions held out of training at random this scores 0.85 for groups, against "
                "0.83 for the scale's typical answer, 0.81 for uniform and 0.95 with a real survey prior; "
                "on whole survey waves held out, 0.83 against 0.82 (docs/RESULTS.md): read differences "
                "between groups here with care."
            </p>
            <ul class="notes" role="list">{notes}</ul>
            <SimilarQuestions/>
            <YouCard options/>
            <GroupCompare options/>
            <h3 class="grid-title">"Every group"</h3>
            <GroupGrid options/>
        }
        .into_any()
    };
    view! {
        <section class="editor-results panel-block" data-testid="editor-results">
            <div class="results-controls">
                <label class="control">
                    <span class="small">"Groups of"</span>
                    <select
                        data-testid="editor-survey"
                        on:change:target=move |ev| editor_actions::choose_survey(state, ev.target().value())
                    >
                        {survey_options}
                    </select>
                </label>
                <label class="control context">
                    <span class="small">"Context: "
                        <strong data-testid="editor-context-value">
                            {move || context_label(CONTEXT_SIZES.get(editor.context.get()).copied().flatten())}
                        </strong>
                    </span>
                    <input
                        type="range"
                        min="0"
                        max=CONTEXT_SIZES.len() - 1
                        step="1"
                        data-testid="editor-context"
                        aria-label="How many of each group's real answers GPO reads"
                        prop:value=move || editor.context.get().to_string()
                        on:input:target=move |ev| {
                            if let Ok(index) = ev.target().value().parse::<usize>()
                                && index != editor.context.get_untracked()
                            {
                                editor.context.set(index.min(CONTEXT_SIZES.len() - 1));
                            }
                        }
                    />
                </label>
            </div>
            {move || {
                editor.survey_loading.get().map(|p| {
                    let (value, max) = (p.loaded as f64, p.total.unwrap_or(0).max(1) as f64);
                    view! {
                        <p class="small" data-testid="editor-survey-loading">
                            "Downloading this survey's groups… "
                            <progress max=max value=value aria-label="Survey download progress"></progress>
                            " " {progress_text(&p)}
                        </p>
                    }
                })
            }}
            <p class="timings small muted">
                "Embedding: " <span data-testid="editor-embed-ms">{move || millis(editor.embed_ms.get())}</span> " ms"
                " · every group: " <span data-testid="editor-group-predict-ms">{move || millis(editor.group_predict_ms.get())}</span>
                " ms · on " <span data-testid="editor-backend">{move || editor.encoder_backend.get()}</span>
                {move || editor.group_job.busy.get().then_some(" · predicting…")}
            </p>
            {body}
            <pre hidden data-testid="editor-embedding-json">{embedding_json}</pre>
        </section>
    }
}
