//! Export (JSON, CSV), import, and "clear everything" — all local: files are made and read in
//! the browser.

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::actions::files::{clear_everything, export_csv, export_json, import};
use crate::platform::browser::js_error;
use crate::state::{AppState, Level};

#[component]
pub fn AnswerTools() -> impl IntoView {
    let state = expect_context::<AppState>();
    let confirming = RwSignal::new(false);
    let on_file = move |ev: leptos::ev::Targeted<web_sys::Event, web_sys::HtmlInputElement>| {
        let input = ev.target();
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // Clear it so choosing the same file again imports again.
        input.set_value("");
        leptos::task::spawn_local(async move {
            let name = file.name();
            match JsFuture::from(file.text()).await {
                Ok(text) => import(state, &name, &text.as_string().unwrap_or_default()),
                Err(error) => state.notify(Level::Error, format!("\"{name}\" could not be read: {}", js_error(error))),
            }
        });
    };
    view! {
        <section class="panel-block tools">
            <h2>"Your answers"</h2>
            <p class="muted small">"Kept in this browser only. Export them to move them elsewhere."</p>
            <div class="tool-row">
                <button type="button" class="secondary" data-testid="export-json" on:click=move |_| export_json(state)>
                    "Export JSON"
                </button>
                <button type="button" class="secondary" data-testid="export-csv" on:click=move |_| export_csv(state)>
                    "Export CSV"
                </button>
                <label class="file-button secondary">
                    "Import JSON or CSV"
                    <input
                        type="file"
                        accept=".json,.csv,application/json,text/csv"
                        data-testid="import-file"
                        on:change:target=on_file
                    />
                </label>
            </div>
            <div class="tool-row">
                <Show
                    when=move || confirming.get()
                    fallback=move || {
                        view! {
                            <button
                                type="button"
                                class="danger"
                                data-testid="clear-all"
                                on:click=move |_| confirming.set(true)
                            >
                                "Clear everything"
                            </button>
                        }
                    }
                >
                    <span class="confirm">"Delete all your answers to every survey?"</span>
                    <button
                        type="button"
                        class="danger"
                        data-testid="clear-confirm"
                        on:click=move |_| {
                            confirming.set(false);
                            clear_everything(state);
                        }
                    >
                        "Yes, delete"
                    </button>
                    <button type="button" class="secondary" data-testid="clear-cancel" on:click=move |_| confirming.set(false)>
                        "Keep them"
                    </button>
                </Show>
            </div>
        </section>
    }
}
