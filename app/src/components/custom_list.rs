//! The person's saved questions: show one's predictions, edit, delete (after a confirmation),
//! and export or import them as JSON.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::actions::editor as editor_actions;
use crate::platform::browser::js_error;
use crate::state::editor::EncoderStatus;
use crate::state::{AppState, Level};

#[component]
pub fn CustomList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editor = state.editor;
    let confirming = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Targeted<web_sys::Event, web_sys::HtmlInputElement>| {
        let input = ev.target();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        input.set_value("");
        leptos::task::spawn_local(async move {
            let name = file.name();
            match JsFuture::from(file.text()).await {
                Ok(text) => editor_actions::import(state, name, text.as_string().unwrap_or_default()),
                Err(error) => state.notify(Level::Error, format!("\"{name}\" could not be read: {}", js_error(error))),
            }
        });
    };
    let items = move || {
        editor
            .custom
            .get()
            .into_iter()
            .map(|question| {
                let key = question.key.clone();
                let selected = {
                    let key = key.clone();
                    move || editor.selected.get().as_deref() == Some(key.as_str())
                };
                let (show, edit, delete, yes) = (key.clone(), key.clone(), key.clone(), key.clone());
                let asking = {
                    let key = key.clone();
                    move || confirming.get().as_deref() == Some(key.as_str())
                };
                let embedded = question.embedding.is_some();
                let summary = format!(
                    "{} options{}",
                    question.draft.options.len(),
                    if question.draft.ordinal { ", ordered" } else { "" }
                );
                view! {
                    <li class="custom-item" class:selected=selected data-testid="custom-item" data-key=key.clone()>
                        <button
                            type="button"
                            class="link"
                            dir="auto"
                            data-testid="custom-show"
                            on:click=move |_| editor_actions::select(state, &show)
                        >
                            {question.draft.text.clone()}
                        </button>
                        <span class="muted small">
                            {summary} {(!embedded).then_some(" · waiting to be embedded")}
                        </span>
                        <span class="tool-row">
                            <Show
                                when=asking
                                fallback=move || {
                                    let (edit, delete) = (edit.clone(), delete.clone());
                                    view! {
                                        <button
                                            type="button"
                                            class="secondary"
                                            data-testid="custom-edit"
                                            disabled=move || editor.status.with(|s| *s != EncoderStatus::Ready)
                                            on:click=move |_| editor_actions::edit(state, &edit)
                                        >
                                            "Edit"
                                        </button>
                                        <button
                                            type="button"
                                            class="danger"
                                            data-testid="custom-delete"
                                            on:click=move |_| confirming.set(Some(delete.clone()))
                                        >
                                            "Delete"
                                        </button>
                                    }
                                }
                            >
                                <span class="confirm small">"Delete this question (and your answer to it)?"</span>
                                <button
                                    type="button"
                                    class="danger"
                                    data-testid="custom-delete-confirm"
                                    on:click={
                                        let yes = yes.clone();
                                        move |_| {
                                            confirming.set(None);
                                            editor_actions::delete(state, &yes);
                                        }
                                    }
                                >
                                    "Yes, delete"
                                </button>
                                <button type="button" class="secondary" on:click=move |_| confirming.set(None)>
                                    "Keep it"
                                </button>
                            </Show>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel-block custom-list" data-testid="custom-list">
            <h2>"Your questions"</h2>
            <p class="muted small">
                "Kept in this browser. They also appear, answerable, at the end of every survey."
            </p>
            <ol class="custom-items" role="list">{items}</ol>
            {move || {
                editor.custom.with(|c| c.is_empty()).then(|| view! { <p class="muted small">"None yet."</p> })
            }}
            <div class="tool-row">
                <button
                    type="button"
                    class="secondary"
                    data-testid="custom-export"
                    disabled=move || editor.custom.with(|c| c.is_empty())
                    on:click=move |_| editor_actions::export(state)
                >
                    "Export JSON"
                </button>
                <label class="file-button secondary" class:disabled=move || editor.status.with(|s| *s != EncoderStatus::Ready)>
                    "Import JSON"
                    <input
                        type="file"
                        accept=".json,application/json"
                        data-testid="custom-import"
                        disabled=move || editor.status.with(|s| *s != EncoderStatus::Ready)
                        on:change:target=on_file
                    />
                </label>
            </div>
        </section>
    }
}
