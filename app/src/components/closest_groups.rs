//! "Groups closest to you": core's `rank_groups` on the person's answers.

use gpo_core::eval::closeness::rank_groups;
use gpo_core::protocol::Metric;
use leptos::prelude::*;

use crate::state::AppState;

const SHOWN: usize = 5;

#[derive(Clone, Debug, PartialEq)]
struct Ranked {
    label: String,
    size: usize,
    score: f64,
    shared: usize,
}

fn score_text(metric: Metric, score: f64) -> String {
    match metric {
        Metric::Accuracy => format!("{:.0}% of members share your answers", score * 100.0),
        _ => format!("alignment {score:.3}"),
    }
}

#[component]
pub fn ClosestGroups() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ranking = Memo::new(move |_| {
        let surveys = state.surveys.read();
        let view = surveys.get(state.current.get())?;
        let chosen = state.book.with(|book| book.get(&view.task).map(|a| a.chosen()).unwrap_or_default());
        let groups: Vec<&[(usize, Vec<f32>)]> = view.survey.groups.iter().map(|g| g.answers.as_slice()).collect();
        let ranked = rank_groups(&view.survey.questions, view.metric, &groups, &chosen)
            .into_iter()
            .take(SHOWN)
            .map(|c| {
                let group = &view.survey.groups[c.group];
                Ranked { label: group.label.clone(), size: group.size, score: c.score, shared: c.shared }
            })
            .collect::<Vec<_>>();
        Some((view.metric, ranked))
    });
    let explanation = move || match ranking.get().map(|(metric, _)| metric) {
        Some(Metric::Accuracy) => {
            "Segments of respondents ranked by how often their members gave the answers you gave."
        }
        _ => "Groups ranked by how closely their answers' distribution matches yours (1 − Wasserstein distance).",
    };
    let rows = move || {
        let (metric, ranked) = ranking.get()?;
        if ranked.is_empty() {
            return Some(
                view! { <p class="muted">"Answer a question to compare yourself with the groups."</p> }.into_any(),
            );
        }
        Some(
            view! {
                <ol class="groups">
                    {ranked
                        .into_iter()
                        .map(|group| {
                            let width = (group.score.clamp(0.0, 1.0) * 100.0).to_string();
                            let members = (group.size > 1).then(|| format!(" · {} people", group.size));
                            view! {
                                <li data-testid="group-row">
                                    <span class="group-label">{group.label}</span>
                                    <svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
                                        <rect class="bar-track" x="0" y="0" width="100" height="8" rx="1.5"></rect>
                                        <rect class="bar-fill" x="0" y="0" width=width height="8" rx="1.5"></rect>
                                    </svg>
                                    <span class="group-score" data-testid="group-score">
                                        {score_text(metric, group.score)}
                                    </span>
                                    <span class="muted group-shared" data-testid="group-shared">
                                        {match group.shared {
                                            1 => "1 shared question".to_string(),
                                            n => format!("{n} shared questions"),
                                        }}
                                        {members}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
            }
            .into_any(),
        )
    };
    view! {
        <section class="panel-block" data-testid="closest-groups">
            <h2>"Groups closest to you"</h2>
            <p class="muted small">{explanation}</p>
            {rows}
        </section>
    }
}
