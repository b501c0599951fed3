//! A predicted probability as an SVG bar with a ± std whisker, and a distribution as a small
//! column chart.

use leptos::prelude::*;

/// Percent with no decimals, "<1" for small non-zero values.
pub fn percent(p: f32) -> String {
    let value = p * 100.0;
    if value > 0.0 && value < 0.5 { "<1%".into() } else { format!("{value:.0}%") }
}

#[component]
pub fn ProbabilityBar(prob: f32, std: f32, #[prop(optional)] highlight: bool) -> impl IntoView {
    let clamp = |x: f32| (x.clamp(0.0, 1.0) * 100.0) as f64;
    let (low, high) = (clamp(prob - std), clamp(prob + std));
    let width = clamp(prob);
    let label = format!("{} ± {:.0} points", percent(prob), std * 100.0);
    let tooltip = label.clone();
    view! {
        <svg
            class="bar"
            class:highlight=highlight
            viewBox="0 0 100 12"
            preserveAspectRatio="none"
            role="img"
            aria-label=label
        >
            <title>{tooltip}</title>
            <rect class="bar-track" x="0" y="2" width="100" height="8" rx="1.5"></rect>
            <rect class="bar-fill" x="0" y="2" width=width height="8" rx="1.5"></rect>
            <line class="whisker" x1=low x2=high y1="6" y2="6" vector-effect="non-scaling-stroke"></line>
            <line class="whisker" x1=low x2=low y1="3" y2="9" vector-effect="non-scaling-stroke"></line>
            <line class="whisker" x1=high x2=high y1="3" y2="9" vector-effect="non-scaling-stroke"></line>
        </svg>
    }
}

/// A small column chart of a distribution (one column per option, the top one highlighted);
/// each column's tooltip names its option.
#[component]
pub fn ColumnChart(probs: Vec<f32>, options: Vec<String>) -> impl IntoView {
    let n = probs.len().max(1);
    let top = probs.iter().enumerate().fold(0, |best, (i, p)| if *p > probs[best] { i } else { best });
    let label = probs.iter().zip(&options).map(|(p, o)| format!("{o}: {}", percent(*p))).collect::<Vec<_>>().join(", ");
    let columns = probs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let height = f64::from(p.clamp(0.0, 1.0)) * 40.0;
            let tooltip = format!("{}: {}", options.get(i).map(String::as_str).unwrap_or("?"), percent(*p));
            view! {
                <g>
                    <title>{tooltip}</title>
                    <rect class="bar-track" x=i * 10 + 1 y="0" width="8" height="40"></rect>
                    <rect
                        class=if i == top { "bar-fill top" } else { "bar-fill" }
                        x=i * 10 + 1
                        y=40.0 - height
                        width="8"
                        height=height
                    ></rect>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="columns"
            viewBox=format!("0 0 {} 40", n * 10)
            preserveAspectRatio="none"
            role="img"
            aria-label=label
        >
            {columns}
        </svg>
    }
}
