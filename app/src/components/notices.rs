use leptos::prelude::*;

use crate::state::AppState;

/// Messages for the person (fallbacks, imports, set-aside entries), each dismissible.
#[component]
pub fn Notices() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="notices" aria-live="polite">
            <For each=move || state.notices.get() key=|notice| notice.id let:notice>
                <div class=format!("notice notice-{}", notice.level.id()) data-testid="notice" data-level=notice.level.id()>
                    <p>{notice.text}</p>
                    <button
                        type="button"
                        class="dismiss"
                        aria-label="Dismiss this message"
                        on:click=move |_| state.dismiss(notice.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
