use leptos::prelude::*;

use crate::actions::editor::show_tab;
use crate::state::AppState;
use crate::state::editor::Tab;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1>"GPO " <span class="subtitle">"predicts your answers from the ones you give"</span></h1>
            <p class="lede">
                "Group Preference Optimization, running in your browser. Answer a few questions and GPO "
                "predicts the rest, shows how sure it is, and which groups answer most like you. "
                <strong>"Nothing you type leaves this browser."</strong>
            </p>
        </header>
    }
}

/// The page's two parts: answering the surveys, and the question editor.
#[component]
pub fn PageTabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tab = state.editor.tab;
    let button = move |which: Tab, id: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                class="page-tab"
                class:selected=move || tab.get() == which
                data-testid=id
                aria-pressed=move || (tab.get() == which).to_string()
                on:click=move |_| show_tab(state, which)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="page-tabs" aria-label="Parts of the page">
            {button(Tab::Survey, "tab-survey", "Answer surveys")} {button(Tab::Editor, "tab-editor", "Write a question")}
        </nav>
    }
}
