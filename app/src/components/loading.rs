use leptos::prelude::*;

use crate::domain::progress::Progress;

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// The progress bar while the bundle downloads.
#[component]
pub fn Loading(progress: Progress) -> impl IntoView {
    let detail = match progress.total {
        Some(total) => format!("{} of {}", megabytes(progress.loaded), megabytes(total)),
        None => "Reading the manifest…".to_string(),
    };
    let (value, max) = (progress.loaded as f64, progress.total.unwrap_or(0).max(1) as f64);
    view! {
        <section class="loading" data-testid="loading" aria-busy="true">
            <h2>"Loading GPO's model and the surveys"</h2>
            <progress data-testid="load-progress" max=max value=value aria-label="Download progress"></progress>
            <p class="muted">{detail} " " <span class="file">{progress.file}</span></p>
        </section>
    }
}
