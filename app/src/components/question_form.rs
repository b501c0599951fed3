//! The editor's form: the question, 2–12 options (add, remove, move up and down), ordinal or
//! not; saving validates (every problem listed) and embeds it.

use leptos::prelude::*;

use crate::actions::editor as editor_actions;
use crate::domain::custom::{MAX_OPTIONS, MIN_OPTIONS};
use crate::state::AppState;
use crate::state::editor::EncoderStatus;

#[component]
pub fn QuestionForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let editor = state.editor;
    let add = move |_| {
        if editor.options.with_untracked(Vec::len) >= MAX_OPTIONS {
            editor.problems.set(vec![format!("A question has at most {MAX_OPTIONS} options.")]);
            return;
        }
        let id = editor.option_id();
        editor.options.update(|o| o.push((id, ArcRwSignal::new(String::new()))));
        editor.problems.set(Vec::new());
    };
    let remove = move |id: u64| {
        if editor.options.with_untracked(Vec::len) <= MIN_OPTIONS {
            editor.problems.set(vec![format!("A question needs at least {MIN_OPTIONS} options.")]);
            return;
        }
        editor.options.update(|o| o.retain(|(i, _)| *i != id));
        editor.problems.set(Vec::new());
    };
    let shift = move |id: u64, down: bool| {
        editor.options.update(|o| {
            let Some(at) = o.iter().position(|(i, _)| *i == id) else { return };
            let to = if down { at + 1 } else { at.wrapping_sub(1) };
            if to < o.len() {
                o.swap(at, to);
            }
        });
    };
    let position = move |id: u64| editor.options.with(|o| o.iter().position(|(i, _)| *i == id).unwrap_or(0));
    let count = move || editor.options.with(Vec::len);
    let row = move |(id, text): (u64, ArcRwSignal<String>)| {
        let label = move || format!("Option {}", position(id) + 1);
        let value = text.clone();
        view! {
            <li class="option-edit" data-testid="editor-option-row">
                <span class="option-number" aria-hidden="true">{move || position(id) + 1}</span>
                <input
                    type="text"
                    dir="auto"
                    data-testid="editor-option"
                    aria-label=label
                    prop:value=move || value.get()
                    on:input:target=move |ev| text.set(ev.target().value())
                />
                <button
                    type="button"
                    class="icon"
                    data-testid="editor-option-up"
                    aria-label=move || format!("Move {} up", label())
                    disabled=move || position(id) == 0
                    on:click=move |_| shift(id, false)
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="icon"
                    data-testid="editor-option-down"
                    aria-label=move || format!("Move {} down", label())
                    disabled=move || position(id) + 1 == count()
                    on:click=move |_| shift(id, true)
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="icon"
                    data-testid="editor-option-remove"
                    aria-label=move || format!("Remove {}", label())
                    on:click=move |_| remove(id)
                >
                    "×"
                </button>
            </li>
        }
    };
    let ready = move || editor.status.with(|s| *s == EncoderStatus::Ready);
    let heading = move || if editor.editing.get().is_some() { "Edit your question" } else { "Write a question" };
    view! {
        <section class="editor-form panel-block" data-testid="editor-form">
            <h2>{heading}</h2>
            <label class="field">
                <span>"Question"</span>
                <textarea
                    rows="3"
                    dir="auto"
                    data-testid="editor-question"
                    placeholder="e.g. How much do you trust scientists to act in the public interest?"
                    prop:value=move || editor.text.get()
                    on:input:target=move |ev| editor.text.set(ev.target().value())
                ></textarea>
            </label>
            <fieldset class="option-fieldset">
                <legend>{format!("Options ({MIN_OPTIONS}–{MAX_OPTIONS}, in order)")}</legend>
                <ol class="option-edits" role="list">
                    <For each=move || editor.options.get() key=|(id, _)| *id children=row/>
                </ol>
                <button type="button" class="secondary" data-testid="editor-option-add" on:click=add>
                    "Add an option"
                </button>
            </fieldset>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="editor-ordinal"
                    prop:checked=move || editor.ordinal.get()
                    on:change:target=move |ev| editor.ordinal.set(ev.target().checked())
                />
                " The options are ordered (e.g. from “strongly agree” to “strongly disagree”)"
            </label>
            <ul class="problems" role="alert" data-testid="editor-problems">
                {move || {
                    editor
                        .problems
                        .get()
                        .into_iter()
                        .map(|p| view! { <li data-testid="editor-problem">{p}</li> })
                        .collect_view()
                }}
            </ul>
            <div class="tool-row">
                <button
                    type="button"
                    class="primary inline"
                    data-testid="editor-save"
                    disabled=move || !ready() || editor.saving.get()
                    on:click=move |_| editor_actions::save(state)
                >
                    {move || match (editor.saving.get(), editor.editing.get().is_some()) {
                        (true, _) => "Embedding…",
                        (false, true) => "Save changes and predict",
                        (false, false) => "Save and predict",
                    }}
                </button>
                {move || {
                    editor
                        .editing
                        .get()
                        .map(|_| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    data-testid="editor-cancel"
                                    on:click=move |_| editor.reset_form()
                                >
                                    "Cancel editing"
                                </button>
                            }
                        })
                }}
            </div>
        </section>
    }
}
