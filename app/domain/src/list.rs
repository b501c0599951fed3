//! Which questions the list shows, in which order, one page at a time (a survey has up to
//! ~700 questions; only one page of cards is ever rendered).

use leptos::prelude::*;

use crate::answers::SurveyAnswers;
use crate::engine::SurveyView;
use crate::state::PredictionSet;

pub const PAGE_SIZE: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Neither answered nor skipped.
    ToAnswer,
    /// Answered or skipped.
    Done,
    All,
}

impl Show {
    pub const ALL: [Show; 3] = [Show::ToAnswer, Show::Done, Show::All];

    pub fn id(self) -> &'static str {
        match self {
            Self::ToAnswer => "to-answer",
            Self::Done => "done",
            Self::All => "all",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ToAnswer => "To answer",
            Self::Done => "Answered",
            Self::All => "All",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortBy {
    Survey,
    MostConfident,
    LeastConfident,
}

impl SortBy {
    pub const ALL: [SortBy; 3] = [SortBy::Survey, SortBy::MostConfident, SortBy::LeastConfident];

    pub fn id(self) -> &'static str {
        match self {
            Self::Survey => "survey",
            Self::MostConfident => "most-confident",
            Self::LeastConfident => "least-confident",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Survey => "Survey order",
            Self::MostConfident => "GPO most confident first",
            Self::LeastConfident => "GPO least confident first",
        }
    }

    pub fn parse(id: &str) -> SortBy {
        Self::ALL.into_iter().find(|s| s.id() == id).unwrap_or(SortBy::Survey)
    }
}

#[derive(Clone, Copy)]
pub struct ListState {
    pub show: RwSignal<Show>,
    pub sort: RwSignal<SortBy>,
    pub filter: RwSignal<String>,
    pub page: RwSignal<usize>,
}

impl ListState {
    pub fn new() -> Self {
        Self {
            show: RwSignal::new(Show::ToAnswer),
            sort: RwSignal::new(SortBy::Survey),
            filter: RwSignal::new(String::new()),
            page: RwSignal::new(0),
        }
    }
}

impl Default for ListState {
    fn default() -> Self {
        Self::new()
    }
}

/// How sure GPO is of a question's top option: its kept prediction once answered, else the
/// latest one.
fn confidence(question: usize, answers: Option<&SurveyAnswers>, prediction: Option<&PredictionSet>) -> Option<f32> {
    let kept = answers.and_then(|a| a.get(question)).and_then(|c| c.predicted.as_ref());
    kept.or_else(|| prediction.and_then(|p| p.forecast(question))).map(|f| f.confidence())
}

/// The questions to list, in order. `prediction` is only read when sorting by confidence.
pub fn order(
    view: &SurveyView,
    answers: Option<&SurveyAnswers>,
    prediction: Option<&PredictionSet>,
    show: Show,
    sort: SortBy,
    filter: &str,
) -> Vec<usize> {
    let needle = filter.trim().to_lowercase();
    let touched = |q: usize| answers.and_then(|a| a.get(q)).is_some();
    let mut questions: Vec<usize> = view
        .survey
        .questions
        .iter()
        .enumerate()
        .filter(|(q, _)| match show {
            Show::ToAnswer => !touched(*q),
            Show::Done => touched(*q),
            Show::All => true,
        })
        .filter(|(_, question)| {
            needle.is_empty()
                || question.text.to_lowercase().contains(&needle)
                || question.key.to_lowercase().contains(&needle)
                || question.options.iter().any(|o| o.to_lowercase().contains(&needle))
        })
        .map(|(q, _)| q)
        .collect();
    if sort != SortBy::Survey {
        // Questions without a prediction go last either way.
        let key = |q: usize| {
            let c = confidence(q, answers, prediction);
            match sort {
                SortBy::MostConfident => c.map_or(f32::INFINITY, |c| -c),
                _ => c.unwrap_or(f32::INFINITY),
            }
        };
        questions.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
    }
    questions
}

pub fn pages(count: usize) -> usize {
    count.div_ceil(PAGE_SIZE).max(1)
}
