//! Which questions the list shows, in which order, one page at a time (a survey has up to
//! ~700 questions; only one page of cards is ever rendered).

use crate::answers::SurveyAnswers;
use crate::prediction::PredictionSet;
use crate::view::SurveyView;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::Forecast;
    use crate::view::fixture::view;

    fn prediction(confidences: &[(usize, f32)]) -> PredictionSet {
        let mut forecasts = vec![None; 3];
        for &(q, c) in confidences {
            forecasts[q] = Some(Forecast { probs: vec![c, 1.0 - c], std: vec![0.1, 0.1] });
        }
        PredictionSet { survey: 0, forecasts, targets: confidences.iter().map(|(q, _)| *q).collect(), context: 0 }
    }

    #[test]
    fn the_list_shows_what_is_asked_for() {
        let view = view();
        let mut answers = SurveyAnswers::new(3);
        answers.set(1, None, None); // a skip counts as done
        let order_of = |show, filter| order(&view, Some(&answers), None, show, SortBy::Survey, filter);
        assert_eq!(order_of(Show::ToAnswer, ""), vec![0, 2]);
        assert_eq!(order_of(Show::Done, ""), vec![1]);
        assert_eq!(order_of(Show::All, ""), vec![0, 1, 2]);
        // The filter reads question text, key and options, ignoring case and spaces around it.
        assert_eq!(order_of(Show::All, "  CLIMATE "), vec![2]);
        assert_eq!(order_of(Show::All, "never, ever"), vec![1]);
        assert_eq!(order_of(Show::All, "q1"), vec![0]);
        assert!(order_of(Show::All, "zzz").is_empty());
        assert_eq!(order(&view, None, None, Show::ToAnswer, SortBy::Survey, ""), vec![0, 1, 2]);
    }

    #[test]
    fn sorting_by_confidence_puts_questions_without_a_prediction_last() {
        let view = view();
        let set = prediction(&[(0, 0.55), (2, 0.9)]);
        let sorted = |sort| order(&view, None, Some(&set), Show::All, sort, "");
        assert_eq!(sorted(SortBy::MostConfident), vec![2, 0, 1]);
        assert_eq!(sorted(SortBy::LeastConfident), vec![0, 2, 1]);
        // An answered question keeps the prediction made before it was answered.
        let mut answers = SurveyAnswers::new(3);
        answers.set(1, Some(0), Some(Forecast { probs: vec![0.99, 0.01], std: vec![0.1, 0.1] }));
        assert_eq!(order(&view, Some(&answers), Some(&set), Show::All, SortBy::MostConfident, ""), vec![1, 2, 0]);
    }

    #[test]
    fn pages_and_sort_ids() {
        assert_eq!((pages(0), pages(10), pages(11)), (1, 1, 2));
        for sort in SortBy::ALL {
            assert_eq!(SortBy::parse(sort.id()), sort);
        }
        assert_eq!(SortBy::parse("junk"), SortBy::Survey);
    }
}
