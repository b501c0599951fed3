//! The survey's questions: filter (to answer / answered / all), search, sort by GPO's
//! confidence, and one page of cards at a time.

use leptos::prelude::*;

use crate::components::question_card::QuestionCard;
use crate::domain::list::{PAGE_SIZE, Show, SortBy, order, pages};
use crate::state::AppState;

#[component]
pub fn QuestionList() -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = state.list;
    let ordered = Memo::new(move |_| {
        let survey = state.current.get();
        let surveys = state.surveys.read();
        let Some(view) = surveys.get(survey) else { return Vec::new() };
        let sort = list.sort.get();
        let show = list.show.get();
        let filter = list.filter.get();
        state.book.with(|book| {
            let answers = book.get(&view.task);
            if sort == SortBy::Survey {
                order(view, answers, None, show, sort, &filter)
            } else {
                state.prediction.with(|p| {
                    let prediction = p.as_deref().filter(|p| p.survey == survey);
                    order(view, answers, prediction, show, sort, &filter)
                })
            }
        })
    });
    let page_count = Memo::new(move |_| pages(ordered.with(Vec::len)));
    let page = Memo::new(move |_| list.page.get().min(page_count.get() - 1));
    let visible = Memo::new(move |_| {
        let survey = state.current.get();
        let start = page.get() * PAGE_SIZE;
        ordered.with(|o| o.iter().skip(start).take(PAGE_SIZE).map(|&q| (survey, q)).collect::<Vec<_>>())
    });
    let count = move || ordered.with(Vec::len);
    let go = move |to: usize| {
        list.page.set(to);
        if let Some(top) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("questions")) {
            top.scroll_into_view();
        }
    };
    let pager = move |place: &'static str| {
        view! {
            <nav class="pager" aria-label=format!("Question pages ({place})")>
                <button
                    type="button"
                    class="secondary"
                    data-testid=format!("page-prev-{place}")
                    disabled=move || page.get() == 0
                    on:click=move |_| go(page.get_untracked().saturating_sub(1))
                >
                    "‹ Previous"
                </button>
                <span class="page-info" data-testid=format!("page-info-{place}")>
                    {move || format!("Page {} of {}", page.get() + 1, page_count.get())}
                </span>
                <button
                    type="button"
                    class="secondary"
                    data-testid=format!("page-next-{place}")
                    disabled=move || { page.get() + 1 >= page_count.get() }
                    on:click=move |_| go(page.get_untracked() + 1)
                >
                    "Next ›"
                </button>
            </nav>
        }
    };
    let show_tabs = Show::ALL
        .into_iter()
        .map(|show| {
            view! {
                <label class="tab" class:selected=move || list.show.get() == show>
                    <input
                        type="radio"
                        name="show"
                        data-testid=format!("show-{}", show.id())
                        prop:checked=move || list.show.get() == show
                        on:change=move |_| {
                            list.show.set(show);
                            list.page.set(0);
                        }
                    />
                    {show.label()}
                </label>
            }
        })
        .collect_view();
    let sort_options = SortBy::ALL
        .into_iter()
        .map(|sort| view! { <option value=sort.id() selected=move || list.sort.get() == sort>{sort.label()}</option> })
        .collect_view();
    view! {
        <section class="question-list" aria-label="Questions">
            <div class="list-controls">
                <fieldset class="tabs">
                    <legend class="sr-only">"Which questions"</legend>
                    {show_tabs}
                </fieldset>
                <label class="control">
                    "Sort "
                    <select
                        data-testid="sort"
                        on:change:target=move |ev| {
                            list.sort.set(SortBy::parse(&ev.target().value()));
                            list.page.set(0);
                        }
                    >
                        {sort_options}
                    </select>
                </label>
                <label class="control search">
                    <span class="sr-only">"Search questions"</span>
                    <input
                        type="search"
                        placeholder="Search questions"
                        data-testid="search"
                        prop:value=move || list.filter.get()
                        on:input:target=move |ev| {
                            list.filter.set(ev.target().value());
                            list.page.set(0);
                        }
                    />
                </label>
            </div>
            <p class="muted list-count" data-testid="list-count">
                {move || format!("{} questions", count())}
            </p>
            {move || (page_count.get() > 1).then(|| pager("top"))}
            <div id="question-list" class="cards">
                <For
                    each=move || visible.get()
                    key=|item| *item
                    children=move |(survey, question)| view! { <QuestionCard survey question visible/> }
                />
                {move || {
                    (count() == 0)
                        .then(|| {
                            view! {
                                <p class="empty" data-testid="list-empty">
                                    {match list.show.get() {
                                        Show::Done => "Nothing answered yet.",
                                        _ if !list.filter.get().is_empty() => "No question matches your search.",
                                        _ => "You have answered every question.",
                                    }}
                                </p>
                            }
                        })
                }}
            </div>
            {move || (page_count.get() > 1).then(|| pager("bottom"))}
        </section>
    }
}
