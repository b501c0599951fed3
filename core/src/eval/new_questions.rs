//! The protocol for questions nobody has answered yet (the page's editor): a seeded share of the
//! survey's questions is held out of meta-training altogether — no training respondent's answer
//! to them, no population statistic — and each test respondent is scored on the held-out
//! questions it answered, with context drawn from the others. A model trained with
//! `gpo train --holdout-questions F` is scored so by `gpo eval --new-questions`.

use crate::data::Survey;
use crate::embed::TaskEmbeddings;
use crate::model::Population;
use crate::model::prior_map::CLOSE;
use crate::model::prior_map::{Known, PositionTable};
use crate::protocol::score::{EvalError, Predictor};
use crate::protocol::{Episode, episodes};
pub use crate::protocol::{Holdout, holdout_questions};

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

/// Each episode's targets read off a per-row estimate (`estimated[offsets[q]..offsets[q + 1]]`),
/// the same for everyone: what every text-only prior predicts.
pub fn row_estimates(estimated: &[f32], offsets: &[usize], episodes: &[Episode]) -> Vec<Vec<Vec<f32>>> {
    episodes
        .iter()
        .map(|e| e.targets.iter().map(|&q| estimated[offsets[q]..offsets[q + 1]].to_vec()).collect())
        .collect()
}

impl Predictor for TextPrior<'_> {
    fn name(&self) -> String {
        "text-prior".into()
    }

    fn predict(&self, _survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(row_estimates(&self.population.estimated, self.offsets, episodes))
    }
}

/// The no-text baseline for a new question: per number of options, the mean known prior at each
/// option position (the option scale's typical answer, `model::prior_map::PositionTable`), the
/// same for everyone. A text map that cannot beat it has learnt nothing from the question's words.
pub struct PositionPrior(pub PositionTable);

impl PositionPrior {
    /// Averages the known priors of `population` (rows at `offsets`) by option count and position.
    pub fn fit(population: &Population, offsets: &[usize]) -> Self {
        let known = offsets
            .windows(2)
            .filter(|w| population.known[w[0]])
            .map(|w| Known { prior: &population.probs[w[0]..w[1]], loadings: &[] });
        Self(PositionTable::fit(known, 0))
    }

    /// The distribution for a question of `options` options (uniform for an unseen count).
    pub fn distribution(&self, options: usize) -> Vec<f32> {
        self.0.prior(options)
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

/// Bounds of the similarity bands a held-out question is scored in: its similarity to the
/// closest known question, by the text map's kernel (`model::prior_map::CLOSE` is the page's
/// line between "drew on close questions" and "the scale's typical answer").
pub const SIMILARITY_BANDS: [(f64, f64); 3] = [(0.0, 0.3), (0.3, CLOSE), (CLOSE, f64::INFINITY)];

/// The held-out questions' episodes split by [`SIMILARITY_BANDS`]: per band, each episode
/// with only its targets in the band (episodes left with none dropped), and how many questions
/// fall in it.
pub fn by_similarity(
    episodes: &[Episode],
    held_out: &[usize],
    population: &Population,
    embeddings: &TaskEmbeddings,
) -> Vec<(usize, Vec<Episode>)> {
    let known: Vec<usize> =
        (0..embeddings.offsets.len() - 1).filter(|&q| population.known[embeddings.offsets[q]]).collect();
    let similarity: Vec<(usize, f64)> = match &population.prior_map {
        Some(map) => held_out
            .iter()
            .map(|&q| {
                let rows = embeddings.offsets[q] * embeddings.dim..embeddings.offsets[q + 1] * embeddings.dim;
                let nearest = map.nearest(embeddings, known.iter().copied(), &embeddings.data[rows], 1);
                (q, nearest.first().map_or(0.0, |n| n.similarity))
            })
            .collect(),
        None => held_out.iter().map(|&q| (q, 0.0)).collect(),
    };
    SIMILARITY_BANDS
        .iter()
        .map(|&(low, high)| {
            let inside: Vec<usize> =
                similarity.iter().filter(|(_, s)| (low..high).contains(s)).map(|(q, _)| *q).collect();
            let banded = episodes
                .iter()
                .map(|e| Episode {
                    targets: e.targets.iter().copied().filter(|q| inside.contains(q)).collect(),
                    ..e.clone()
                })
                .filter(|e| !e.targets.is_empty())
                .collect();
            (inside.len(), banded)
        })
        .collect()
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
        let held = holdout_questions(&s, 0.2, 0, Holdout::Random);
        assert_eq!(held.len(), 6);
        assert_eq!(held, holdout_questions(&s, 0.2, 0, Holdout::Random));
        assert_ne!(held, holdout_questions(&s, 0.2, 1, Holdout::Random));
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
