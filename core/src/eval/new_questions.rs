//! The protocol for questions nobody has answered yet (the page's editor): a seeded share of the
//! survey's questions is held out of meta-training altogether — no training respondent's answer
//! to them, no population statistic — and each test respondent is scored on the held-out
//! questions it answered, with context drawn from the others. A model trained with
//! `gpo train --holdout-questions F` is scored so by `gpo eval --new-questions`.

use crate::data::Survey;
use crate::model::Population;
use crate::protocol::score::{EvalError, Predictor};
use crate::protocol::{Episode, episodes};
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

/// The no-text baseline for a new question: per number of options, the mean known prior at each
/// option position (the option scale's typical answer), the same for everyone. A text map that
/// cannot beat it has learnt nothing from the question's words.
pub struct PositionPrior {
    /// Options → the mean distribution over positions of the known questions with that many.
    by_options: std::collections::BTreeMap<usize, Vec<f32>>,
}

impl PositionPrior {
    /// Averages the known priors of `population` (rows at `offsets`) by option count and position.
    pub fn fit(population: &Population, offsets: &[usize]) -> Self {
        let mut sums: std::collections::BTreeMap<usize, Vec<f64>> = Default::default();
        for question in offsets.windows(2).filter(|w| population.known[w[0]]) {
            let (start, end) = (question[0], question[1]);
            let sum = sums.entry(end - start).or_insert_with(|| vec![0.0; end - start]);
            for (s, &p) in sum.iter_mut().zip(&population.probs[start..end]) {
                *s += p as f64;
            }
        }
        // Normalising the sums is the same as averaging the (normalised) priors.
        let by_options = sums
            .into_iter()
            .map(|(n, sum)| {
                let total: f64 = sum.iter().sum();
                (n, sum.iter().map(|&s| (s / total) as f32).collect())
            })
            .collect();
        Self { by_options }
    }

    /// The distribution for a question of `options` options (uniform for an unseen count).
    pub fn distribution(&self, options: usize) -> Vec<f32> {
        self.by_options.get(&options).cloned().unwrap_or_else(|| vec![1.0 / options as f32; options])
    }
}

impl Predictor for PositionPrior {
    fn name(&self) -> String {
        "position-prior".into()
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes
            .iter()
            .map(|e| e.targets.iter().map(|&q| self.distribution(survey.questions[q].options.len())).collect())
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Answer, LoadReport, Question, Respondent, RespondentKind, Task};

    fn survey() -> Survey {
        Survey {
            info: Task::Goqa.info(),
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
                    label: None,
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
    fn the_position_prior_averages_known_questions_by_option_count() {
        let offsets = [0, 2, 4, 7, 9];
        let mut population = Population::unknown(&offsets, 0);
        population.probs = vec![0.8, 0.2, 0.6, 0.4, 0.5, 0.3, 0.2, 0.1, 0.9];
        population.known = vec![true, true, true, true, true, true, true, false, false];
        let prior = PositionPrior::fit(&population, &offsets);
        let close = |a: Vec<f32>, b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        assert!(close(prior.distribution(2), &[0.7, 0.3]), "the unknown fourth question is left out");
        assert!(close(prior.distribution(3), &[0.5, 0.3, 0.2]));
        assert!(close(prior.distribution(4), &[0.25; 4]), "no known question of 4 options: uniform");
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
