//! The page: header, notices, then the loading screen, one clear error, or (two tabs) the survey
//! with its side panel or the question editor; the footer; and the latest prediction as JSON
//! for tests.

use leptos::prelude::*;

use crate::actions::editor::show_tab;
use crate::components::editor::Editor;
use crate::components::footer::Footer;
use crate::components::header::{Header, PageTabs};
use crate::components::loading::Loading;
use crate::components::notices::Notices;
use crate::components::question_list::QuestionList;
use crate::components::side_panel::SidePanel;
use crate::components::survey_picker::SurveyPicker;
use crate::components::unsaved::UnsavedNotice;
use crate::jobs::{other_tabs, runtime, triggers};
use crate::platform::browser::{hash, install_panic_notice};
use crate::state::editor::Tab;
use crate::state::{AppState, Phase};

#[component]
pub fn App() -> impl IntoView {
    install_panic_notice();
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
    let state = AppState::new();
    provide_context(state);
    triggers::install(state);
    other_tabs::install(state);
    leptos::task::spawn_local(async move {
        runtime::start(state).await;
        if state.phase.get_untracked() == Phase::Ready && hash() == "editor" {
            show_tab(state, Tab::Editor);
        }
    });

    let body = move || match state.phase.get() {
        Phase::Loading(progress) => Ok(view! { <Loading progress/> }.into_any()),
        Phase::Failed(error) => Err(error),
        Phase::Ready => Ok(view! {
            <PageTabs/>
            {move || match state.editor.tab.get() {
                Tab::Survey => view! { <Survey/> }.into_any(),
                Tab::Editor => view! { <Editor/> }.into_any(),
            }}
        }
        .into_any()),
    };
    view! {
        <div class="page">
            <Header/>
            <Notices/>
            <UnsavedNotice/>
            <ErrorBoundary fallback=|errors| {
                view! {
                    <section class="load-error" role="alert" data-testid="load-error">
                        <h2>"GPO could not start"</h2>
                        {move || {
                            errors.get().into_iter().map(|(_, error)| view! { <p>{error.to_string()}</p> }).collect_view()
                        }}
                        <p class="muted">
                            "Reloading the page may help. If it keeps happening, the files on the server need to be rebuilt with gpo export-web."
                        </p>
                    </section>
                }
            }>{body}</ErrorBoundary>
            <Footer/>
            <pre
                hidden
                data-testid="prediction-json"
                data-busy=move || state.predict_job.busy.get().to_string()
                data-survey=move || {
                    state.prediction.with(|p| {
                        p.as_ref()
                            .and_then(|p| state.surveys.with(|s| s.get(p.survey).map(|v| v.task.clone())))
                            .unwrap_or_default()
                    })
                }
                data-context=move || {
                state.prediction.with(|p| p.as_ref().map(|p| p.context.to_string()).unwrap_or_default())
            }>{move || prediction_json(state)}</pre>
        </div>
    }
}

/// The survey a person answers, with the side panel beside it (below the picker on phones).
#[component]
fn Survey() -> impl IntoView {
    view! {
        <SurveyPicker/>
        <div class="layout">
            <SidePanel/>
            <main class="questions" id="questions">
                <QuestionList/>
            </main>
        </div>
    }
}

/// For tests and curious people: the latest prediction as `[{"key", "probs", "std"}]`.
fn prediction_json(state: AppState) -> String {
    state.prediction.with(|prediction| {
        let Some(prediction) = prediction else { return "[]".to_string() };
        let surveys = state.surveys.read();
        surveys.get(prediction.survey).map(|view| prediction.to_json(view)).unwrap_or_else(|| "[]".into())
    })
}
