//! The editor: the encoder's download (the first time it is opened), then the form, the
//! predictions of the selected question, and the saved questions.

use leptos::prelude::*;

use crate::actions::editor as editor_actions;
use crate::components::custom_list::CustomList;
use crate::components::editor_results::EditorResults;
use crate::components::question_form::QuestionForm;
use crate::state::AppState;
use crate::state::editor::EncoderStatus;

#[component]
fn EncoderStatusView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editor = state.editor;
    let body = move || {
        match editor.status.get() {
        EncoderStatus::NotLoaded | EncoderStatus::Loading(_) => {
            let progress = match editor.status.get() {
                EncoderStatus::Loading(p) => p,
                _ => Default::default(),
            };
            let (value, max) = (progress.loaded as f64, progress.total.unwrap_or(0).max(1) as f64);
            let detail = match progress.total {
                Some(total) if progress.loaded >= total => "Starting the encoder…".to_string(),
                Some(total) => format!("{:.1} of {:.1} MB", progress.loaded as f64 / 1e6, total as f64 / 1e6),
                None => "Starting the download…".to_string(),
            };
            view! {
                <h2>"Loading the sentence encoder (all-MiniLM-L6-v2, f16)"</h2>
                <progress data-testid="editor-progress" max=max value=value aria-label="Encoder download progress"></progress>
                <p class="muted small">{detail} " " <span class="file">{progress.file}</span></p>
            }
            .into_any()
        }
        EncoderStatus::Ready => view! {
            <p class="small muted">
                "The encoder runs in this page, on " {move || editor.encoder_backend.get()}
                ": your questions never leave the browser."
            </p>
        }
        .into_any(),
        EncoderStatus::Failed(error) => view! {
            <h2>"The encoder could not be loaded"</h2>
            <p data-testid="editor-error">{error}</p>
            <button type="button" class="secondary" data-testid="editor-retry" on:click=move |_| editor_actions::ensure_encoder(state)>
                "Try again"
            </button>
        }
        .into_any(),
    }
    };
    view! {
        <section
            class="encoder-status panel-block"
            data-testid="editor-status"
            data-state=move || editor.status.with(EncoderStatus::id)
            aria-busy=move || matches!(editor.status.get(), EncoderStatus::Loading(_)).to_string()
        >
            {body}
        </section>
    }
}

#[component]
pub fn Editor() -> impl IntoView {
    view! {
        <div class="editor" data-testid="editor">
            <p class="lede">
                "Write your own question and its options: the page embeds them with the same MiniLM encoder "
                "as the surveys, and GPO — reading each group's real answers as context — predicts how every "
                "group would answer."
            </p>
            <EncoderStatusView/>
            <div class="layout editor-layout">
                <aside class="panel">
                    <QuestionForm/>
                    <CustomList/>
                </aside>
                <main class="questions">
                    <EditorResults/>
                </main>
            </div>
        </div>
    }
}
