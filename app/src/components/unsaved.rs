//! The one notice of what this browser did not save (a full storage, an entry kept as it is),
//! on screen until a later save of the same thing works.

use leptos::prelude::*;

use crate::state::AppState;

#[component]
pub fn UnsavedNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.unsaved.with(|unsaved| unsaved.sentence()).map(|sentence| {
            view! {
                <div class="notice notice-warning" role="alert" data-testid="unsaved">
                    <p>{sentence}</p>
                </div>
            }
        })
    }
}
