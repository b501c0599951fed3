//! The protocol for questions nobody has answered yet (the page's editor): a seeded share of the
//! survey's questions is held out of meta-training altogether — no training respondent's answer
//! to them, no population statistic — and each test respondent is scored on the held-out
//! questions it answered, with context drawn from the others. A model trained with
//! `gpo train --holdout-questions F` is scored so by `gpo eval --new-questions`.

use super::protocol::{Episode, episodes};
use super::score::{EvalError, Predictor};
use crate::data::Survey;
use crate::model::Population;
use crate::util::rng::Rng;

/// The held-out questions: `round(fraction · questions)` of them, sorted, fixed by the seed.
pub fn holdout_questions(survey: &Survey, fraction: f64, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..survey.questions.len()).collect();
    Rng::derived(seed, &[0x0E1D]).shuffle(&mut order);
    let n = ((fraction.clamp(0.0, 1.0) * order.len() as f64).round() as usize).min(order.len());
    let mut held = order[..n].to_vec();
    held.sort_unstable();
    held
}

/// The survey without any respondent's answers to `questions` (the questions themselves stay,
/// so question indices and embedding rows are unchanged).
pub fn without_answers_to(survey: &Survey, questions: &[usize]) -> Survey {
    let mut out = survey.clone();
    for respondent in &mut out.respondents {
        respondent.answers.retain(|a| questions.binary_search(&a.question).is_err());
    }
    out
}

/// Each respondent's episode: `context` questions from the ones not held out, and as targets the
/// held-out questions it answered (respondents who answered none are left out).
pub fn new_question_episodes(
    survey: &Survey,
    respondents: &[usize],
    held_out: &[usize],
    context: usize,
    seed: u64,
) -> Vec<Episode> {
    let visible = without_answers_to(survey, held_out);
    episodes(&visible, respondents, context, seed)
        .into_iter()
        .map(|mut e| {
            let answered = survey.respondents[e.respondent].answers.iter().map(|a| a.question);
            e.targets = answered.filter(|q| held_out.binary_search(q).is_ok()).collect();
            e
        })
        .filter(|e| !e.targets.is_empty())
        .collect()
}

/// The prior estimated from the question's text alone (`model::prior_map`): what a new question
/// gets before any group's answers are looked at.
pub struct TextPrior<'a> {
    pub population: &'a Population,
    pub offsets: &'a [usize],
}

impl Predictor for TextPrior<'_> {
    fn name(&self) -> String {
        "text-prior".into()
    }

    fn predict(&self, _survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes
            .iter()
            .map(|e| {
                e.targets
                    .iter()
                    .map(|&q| self.population.estimated[self.offsets[q]..self.offsets[q + 1]].to_vec())
                    .collect()
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Answer, LoadReport, Question, Respondent, RespondentKind, Task};

    fn survey() -> Survey {
        Survey {
            task: Task::Goqa,
            questions: (0..30)
                .map(|i| Question {
                    key: format!("q{i}"),
                    text: format!("q{i}"),
                    options: vec!["a".into(), "b".into()],
                    ordinals: None,
                })
                .collect(),
            respondents: (0..4)
                .map(|r| Respondent {
                    name: format!("r{r}"),
                    kind: RespondentKind::Group,
                    attributes: vec![],
                    // Respondent 3 answers only even questions.
                    answers: (0..30)
                        .filter(|q| r != 3 || q % 2 == 0)
                        .map(|q| Answer { question: q, probs: vec![0.5, 0.5] })
                        .collect(),
                })
                .collect(),
            report: LoadReport::default(),
        }
    }

    #[test]
    fn held_out_questions_are_seeded_and_never_context() {
        let s = survey();
        let held = holdout_questions(&s, 0.2, 0);
        assert_eq!(held.len(), 6);
        assert_eq!(held, holdout_questions(&s, 0.2, 0));
        assert_ne!(held, holdout_questions(&s, 0.2, 1));
        let hidden = without_answers_to(&s, &held);
        assert!(hidden.respondents.iter().all(|r| r.answers.iter().all(|a| !held.contains(&a.question))));
        assert_eq!(hidden.questions.len(), 30, "questions keep their indices");
        for e in new_question_episodes(&s, &[0, 1, 2, 3], &held, 5, 0) {
            assert_eq!(e.context.len(), 5);
            assert!(e.context.iter().all(|q| !held.contains(q)));
            let answered: Vec<usize> = held.iter().copied().filter(|q| e.respondent != 3 || q % 2 == 0).collect();
            assert_eq!(e.targets, answered);
        }
    }
}
