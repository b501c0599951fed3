//! A person's answers to one survey, and what GPO had predicted for each question just before
//! it was answered (so the page can say how often GPO was right).

use std::collections::HashMap;

pub use gpo_core::export::predictor::Forecast;

/// What a person did with one question.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The chosen option; `None` when skipped.
    pub option: Option<usize>,
    /// GPO's prediction made before the first answer to this question.
    pub predicted: Option<Forecast>,
}

/// One survey's answers, indexed by question.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyAnswers {
    pub choices: Vec<Option<Choice>>,
}

impl SurveyAnswers {
    pub fn new(questions: usize) -> Self {
        Self { choices: vec![None; questions] }
    }

    pub fn get(&self, question: usize) -> Option<&Choice> {
        self.choices.get(question).and_then(Option::as_ref)
    }

    /// The chosen option of `question`, if answered (not skipped).
    pub fn option(&self, question: usize) -> Option<usize> {
        self.get(question).and_then(|c| c.option)
    }

    /// Records an answer (or a skip); the first prediction kept for the question stays.
    pub fn set(&mut self, question: usize, option: Option<usize>, forecast: Option<Forecast>) {
        let Some(slot) = self.choices.get_mut(question) else { return };
        let predicted = slot.as_ref().and_then(|c| c.predicted.clone()).or(forecast);
        *slot = Some(Choice { option, predicted });
    }

    pub fn forget(&mut self, question: usize) {
        if let Some(slot) = self.choices.get_mut(question) {
            *slot = None;
        }
    }

    /// (question, option) of every answered question, in survey order.
    pub fn chosen(&self) -> Vec<(usize, usize)> {
        self.choices.iter().enumerate().filter_map(|(q, c)| c.as_ref()?.option.map(|o| (q, o))).collect()
    }

    /// Questions with an answer or a skip.
    pub fn touched(&self) -> usize {
        self.choices.iter().filter(|c| c.is_some()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.touched() == 0
    }

    /// (right, scored): answers whose kept prediction's top option was the one chosen.
    pub fn score(&self) -> (usize, usize) {
        let mut right = 0;
        let mut scored = 0;
        for choice in self.choices.iter().flatten() {
            if let (Some(option), Some(forecast)) = (choice.option, &choice.predicted) {
                scored += 1;
                if forecast.top() == option {
                    right += 1;
                }
            }
        }
        (right, scored)
    }
}

/// Every survey's answers, by task id.
pub type AnswerBook = HashMap<String, SurveyAnswers>;

#[cfg(test)]
mod tests {
    use super::*;

    fn forecast(probs: &[f32]) -> Forecast {
        Forecast { probs: probs.to_vec(), std: vec![0.1; probs.len()] }
    }

    #[test]
    fn the_first_prediction_of_a_question_is_kept() {
        let mut answers = SurveyAnswers::new(3);
        answers.set(1, Some(0), Some(forecast(&[0.7, 0.3])));
        answers.set(1, Some(1), Some(forecast(&[0.2, 0.8])));
        assert_eq!(answers.option(1), Some(1));
        assert_eq!(answers.get(1).unwrap().predicted, Some(forecast(&[0.7, 0.3])));
        // Out of range: ignored, never a panic.
        answers.set(7, Some(0), None);
        answers.forget(9);
        assert_eq!(answers.touched(), 1);
    }

    #[test]
    fn skips_are_touched_but_not_chosen_and_the_score_counts_answers_with_a_prediction() {
        let mut answers = SurveyAnswers::new(4);
        answers.set(0, Some(0), Some(forecast(&[0.6, 0.4]))); // right
        answers.set(1, Some(0), Some(forecast(&[0.1, 0.9]))); // wrong
        answers.set(2, None, Some(forecast(&[0.5, 0.5]))); // skipped: not scored
        answers.set(3, Some(1), None); // no prediction: not scored
        assert_eq!(answers.chosen(), vec![(0, 0), (1, 0), (3, 1)]);
        assert_eq!(answers.touched(), 4);
        assert_eq!(answers.score(), (1, 2));
        answers.forget(0);
        assert_eq!(answers.score(), (0, 1));
        assert!(!answers.is_empty());
    }
}
