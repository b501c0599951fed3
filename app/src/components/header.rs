use leptos::prelude::*;

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
