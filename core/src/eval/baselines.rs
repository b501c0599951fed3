//! Baselines that need no embeddings: uniform, and the population prior.

use crate::data::Survey;
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};

/// Every option equally likely.
pub struct Uniform;

impl Predictor for Uniform {
    fn name(&self) -> String {
        "uniform".into()
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes
            .iter()
            .map(|e| e.targets.iter().map(|&q| uniform(survey.questions[q].options.len())).collect())
            .collect())
    }
}

pub fn uniform(options: usize) -> Vec<f32> {
    vec![1.0 / options as f32; options]
}

/// Per question, the mean distribution of the meta-train respondents who answered it (uniform
/// where none did). The strongest cheap baseline, which the paper never reports.
pub struct PopulationPrior {
    per_question: Vec<Vec<f32>>,
}

impl PopulationPrior {
    pub fn fit(survey: &Survey, meta_train: &[usize]) -> Self {
        let mut sums: Vec<Vec<f64>> = survey.questions.iter().map(|q| vec![0.0; q.options.len()]).collect();
        let mut counts = vec![0usize; survey.questions.len()];
        for &r in meta_train {
            for answer in &survey.respondents[r].answers {
                for (sum, p) in sums[answer.question].iter_mut().zip(&answer.probs) {
                    *sum += *p as f64;
                }
                counts[answer.question] += 1;
            }
        }
        let per_question = sums
            .into_iter()
            .zip(counts)
            .map(|(sum, n)| match n {
                0 => uniform(sum.len()),
                n => sum.iter().map(|s| (s / n as f64) as f32).collect(),
            })
            .collect();
        Self { per_question }
    }

    pub fn distribution(&self, question: usize) -> &[f32] {
        &self.per_question[question]
    }
}

impl Predictor for PopulationPrior {
    fn name(&self) -> String {
        "prior".into()
    }

    fn predict(&self, _survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes.iter().map(|e| e.targets.iter().map(|&q| self.per_question[q].clone()).collect()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Answer, LoadReport, Question, Respondent, RespondentKind, Task};

    #[test]
    fn prior_is_the_mean_of_meta_train_answers() {
        let q =
            |k: &str| Question { key: k.into(), text: k.into(), options: vec!["a".into(), "b".into()], ordinals: None };
        let r = |name: &str, answers: Vec<Answer>| Respondent {
            name: name.into(),
            label: None,
            kind: RespondentKind::Group,
            attributes: vec![],
            answers,
        };
        let survey = Survey {
            info: Task::Goqa.info(),
            questions: vec![q("q0"), q("q1")],
            respondents: vec![
                r("a", vec![Answer { question: 0, probs: vec![1.0, 0.0] }]),
                r("b", vec![Answer { question: 0, probs: vec![0.5, 0.5] }]),
                r(
                    "test",
                    vec![Answer { question: 0, probs: vec![0.0, 1.0] }, Answer { question: 1, probs: vec![0.0, 1.0] }],
                ),
            ],
            report: LoadReport::default(),
        };
        let prior = PopulationPrior::fit(&survey, &[0, 1]);
        assert_eq!(prior.distribution(0), &[0.75, 0.25]);
        assert_eq!(prior.distribution(1), &[0.5, 0.5], "unanswered → uniform");
    }
}
