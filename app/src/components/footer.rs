//! The backend in use, the last prediction's timings, and the "force CPU" switch.

use leptos::prelude::*;

use crate::actions::settings::choose_backend;
use crate::domain::settings::BackendChoice;
use crate::state::AppState;

fn millis(value: Option<f64>) -> String {
    value.map(|ms| format!("{ms:.1}")).unwrap_or_else(|| "–".into())
}

#[component]
pub fn Footer() -> impl IntoView {
    let state = expect_context::<AppState>();
    let backend = move || match state.backend.get() {
        Some(info) => info.label,
        None => "starting…".into(),
    };
    let gpu = move || state.backend.with(|b| b.as_ref().is_some_and(|b| b.gpu).to_string());
    let timings = state.timings;
    view! {
        <footer class="site-footer">
            <p>
                "Backend: " <strong data-testid="backend" data-gpu=gpu>{backend}</strong>
                {move || state.switching.get().then_some(" (re-initialising…)")}
            </p>
            <p>
                "Last prediction: "
                <span data-testid="predict-ms" data-count=move || timings.with(|t| t.predictions.to_string())>
                    {move || timings.with(|t| millis(t.predict_ms))}
                </span> " ms"
                " · on screen in " <span data-testid="render-ms">{move || timings.with(|t| millis(t.render_ms))}</span>
                " ms" " · ready after " <span data-testid="ready-ms">{move || timings.with(|t| millis(t.ready_ms))}</span>
                " ms" {move || state.predict_job.busy.get().then_some(" · predicting…")}
            </p>
            <label class="force-cpu">
                <input
                    type="checkbox"
                    data-testid="force-cpu"
                    prop:checked=move || state.choice.get() == BackendChoice::Cpu
                    disabled=move || state.switching.get()
                    on:change:target=move |ev| {
                        let choice = if ev.target().checked() { BackendChoice::Cpu } else { BackendChoice::Auto };
                        choose_backend(state, choice);
                    }
                />
                " Always use the CPU"
            </label>
            <p class="muted small">
                "GPO: Zhao, Dang & Grover, “Group Preference Optimization”, ICLR 2024. "
                "Your answers are stored only in this browser's localStorage."
            </p>
        </footer>
    }
}
