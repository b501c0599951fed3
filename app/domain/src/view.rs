//! A survey as the page shows it: its questions, then the person's own.

use gpo_core::export::bundle::WebSurvey;
use gpo_core::protocol::Metric;

/// What the views need of a survey (plain data, shared cheaply): the survey's questions, then
/// the person's own.
#[derive(Debug)]
pub struct SurveyView {
    pub task: String,
    pub title: String,
    pub metric: Metric,
    pub survey: WebSurvey,
    /// How many of `survey.questions` are the survey's own (the rest are custom).
    pub base_questions: usize,
}

impl SurveyView {
    pub fn is_custom(&self, question: usize) -> bool {
        question >= self.base_questions
    }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small survey for the tests of this crate.

    use gpo_core::data::Question;
    use gpo_core::export::bundle::WebSurvey;
    use gpo_core::model::{GpoConfig, Offset, Population};
    use gpo_core::protocol::Metric;

    use super::SurveyView;
    use crate::answers::{Forecast, SurveyAnswers};

    pub fn question(key: &str, text: &str, options: &[&str]) -> Question {
        Question {
            key: key.into(),
            text: text.into(),
            options: options.iter().map(|o| o.to_string()).collect(),
            ordinals: None,
        }
    }

    /// Answers to [`view`]'s survey: q1 answered (with a kept prediction), q2 skipped, q3 answered.
    pub fn answered() -> SurveyAnswers {
        let mut answers = SurveyAnswers::new(3);
        answers.set(0, Some(1), Some(Forecast { probs: vec![0.4, 0.6], std: vec![0.1, 0.2] }));
        answers.set(1, None, None);
        answers.set(2, Some(0), None);
        answers
    }

    /// A view over `questions` (no groups; an untrained model's settings).
    pub fn view_of(questions: Vec<Question>) -> SurveyView {
        let mut offsets = vec![0];
        for q in &questions {
            offsets.push(offsets.last().copied().unwrap_or(0) + q.options.len());
        }
        let model = GpoConfig::new();
        let population = Population::unknown(&offsets, model.population_factors);
        let base_questions = questions.len();
        let survey = WebSurvey {
            task: "demo".into(),
            title: "Demo survey".into(),
            description: String::new(),
            metric: "alignment".into(),
            scoring: None,
            questions,
            groups: Vec::new(),
            model,
            population,
            offset: Offset::None,
        };
        SurveyView {
            task: "demo".into(),
            title: "Demo survey".into(),
            metric: Metric::JensenShannonAlignment,
            survey,
            base_questions,
        }
    }

    /// Three questions: q1 (yes/no), q2 (three options, quotes and a comma), q3 (about climate).
    pub fn view() -> SurveyView {
        view_of(vec![
            question("q1", "Do you vote?", &["Yes", "No"]),
            question("q2", "How often, \"really\"?", &["Often", "Sometimes", "Never, ever"]),
            question("q3", "Climate change is real", &["Agree", "Disagree"]),
        ])
    }
}
