//! A predicted probability as an SVG bar with a ± std whisker.

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
