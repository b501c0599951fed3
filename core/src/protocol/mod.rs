//! The protocol every stage shares (below training, which selects on it): meta-train / validation / meta-test respondents by a fraction and a
//! seed, and each test respondent's context questions.
//!
//! - Respondents with fewer than `context + min_targets` answers cannot be scored; they always
//!   go to meta-train. The others are shuffled and the first `floor(fraction · n)` (the paper's
//!   rule, at least one and at most n − 1) are meta-train, the rest meta-test.
//! - A validation part (`validation_fraction` of the scorable meta-train respondents, at least
//!   one) is held out of training for model selection. Test respondents are never seen.
//! - Context: OpinionQA walks one seeded order of all questions and gives each respondent the
//!   first `context` it answered, so groups that answered the same questions share one context
//!   set, as in the paper; the other tasks draw each respondent's context on its own.

pub mod holdout;
pub mod metrics;
pub mod score;

pub use holdout::{Holdout, holdout_questions};
pub use metrics::{Metric, MetricError};
pub use score::{EvalError, Predictor, Score};

use serde::{Deserialize, Serialize};

use crate::data::{ContextOrder, Survey};
use crate::util::rng::Rng;

/// The paper's three meta-train fractions and seeds.
pub const SPLITS: [f64; 3] = [0.4, 0.6, 0.8];
pub const SEEDS: [u64; 3] = [0, 1, 2];
/// Context questions per test respondent (the paper's evaluation).
pub const CONTEXT_QUESTIONS: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProtocolConfig {
    pub train_fraction: f64,
    pub seed: u64,
    pub validation_fraction: f64,
    pub context: usize,
    pub min_targets: usize,
}

impl ProtocolConfig {
    pub fn new(train_fraction: f64, seed: u64) -> Self {
        Self { train_fraction, seed, validation_fraction: 0.15, context: CONTEXT_QUESTIONS, min_targets: 5 }
    }
}

/// Respondent indices of each part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Split {
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

impl Split {
    /// Meta-train side: training plus validation respondents.
    pub fn meta_train(&self) -> Vec<usize> {
        let mut all = self.train.clone();
        all.extend(&self.validation);
        all.sort_unstable();
        all
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtocolError {
    #[error("fraction {0} is not in (0, 1)")]
    Fraction(f64),
    #[error("{survey}: only {scorable} respondents have ≥ {needed} answered questions; need at least 3")]
    TooFew { survey: String, scorable: usize, needed: usize },
}

/// Splits the survey's respondents.
pub fn split(survey: &Survey, config: &ProtocolConfig) -> Result<Split, ProtocolError> {
    if !(config.train_fraction > 0.0 && config.train_fraction < 1.0) {
        return Err(ProtocolError::Fraction(config.train_fraction));
    }
    let needed = config.context + config.min_targets;
    let (mut scorable, always_train): (Vec<usize>, Vec<usize>) =
        (0..survey.respondents.len()).partition(|&i| survey.respondents[i].answers.len() >= needed);
    if scorable.len() < 3 {
        return Err(ProtocolError::TooFew { survey: survey.info.id.clone(), scorable: scorable.len(), needed });
    }
    Rng::derived(config.seed, &[0x5911]).shuffle(&mut scorable);
    let n = scorable.len();
    let n_meta = ((config.train_fraction * n as f64).floor() as usize).clamp(1, n - 1);
    let test = scorable.split_off(n_meta);
    let n_val = ((config.validation_fraction * n_meta as f64).round() as usize).clamp(1, n_meta);
    // Validation comes from the scorable meta-train respondents; keep ≥ 1 for training.
    let n_val = if n_val == n_meta && always_train.is_empty() { n_meta - 1 } else { n_val };
    let validation = scorable.split_off(n_meta - n_val);
    let mut train = scorable;
    train.extend(always_train);
    let (mut train, mut validation, mut test) = (train, validation, test);
    train.sort_unstable();
    validation.sort_unstable();
    test.sort_unstable();
    Ok(Split { train, validation, test })
}

/// One respondent's context and target questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    pub respondent: usize,
    pub context: Vec<usize>,
    pub targets: Vec<usize>,
}

/// Context/target episodes for `respondents`, `context` questions each (all others are targets).
pub fn episodes(survey: &Survey, respondents: &[usize], context: usize, seed: u64) -> Vec<Episode> {
    let shared_order = (survey.info.context_order == ContextOrder::Shared).then(|| {
        let mut order: Vec<usize> = (0..survey.questions.len()).collect();
        Rng::derived(seed, &[0xC0, context as u64]).shuffle(&mut order);
        order
    });
    respondents
        .iter()
        .map(|&r| {
            let answered: Vec<usize> = survey.respondents[r].answers.iter().map(|a| a.question).collect();
            let order = match &shared_order {
                Some(order) => order.iter().copied().filter(|q| answered.binary_search(q).is_ok()).collect(),
                None => {
                    let mut own = answered.clone();
                    Rng::derived(seed, &[0xC1, context as u64, r as u64]).shuffle(&mut own);
                    own
                }
            };
            let k = context.min(order.len().saturating_sub(1));
            let mut ctx = order[..k].to_vec();
            ctx.sort_unstable();
            let targets = answered.into_iter().filter(|q| ctx.binary_search(q).is_err()).collect();
            Episode { respondent: r, context: ctx, targets }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Answer, LoadReport, Question, Respondent, RespondentKind, Task};

    fn survey(task: Task, respondents: usize, questions: usize) -> Survey {
        Survey {
            info: task.info(),
            questions: (0..questions)
                .map(|i| Question {
                    key: format!("q{i}"),
                    text: format!("q{i}"),
                    options: vec!["a".into(), "b".into()],
                    ordinals: Some(vec![1.0, 2.0]),
                })
                .collect(),
            respondents: (0..respondents)
                .map(|r| Respondent {
                    name: format!("r{r}"),
                    label: None,
                    kind: RespondentKind::Group,
                    attributes: vec![],
                    // Respondent 0 answers only 10 questions: never scorable.
                    answers: (0..if r == 0 { 10 } else { questions })
                        .map(|q| Answer { question: q, probs: vec![0.5, 0.5] })
                        .collect(),
                })
                .collect(),
            report: LoadReport::default(),
        }
    }

    #[test]
    fn split_is_a_seeded_partition_with_validation() {
        let s = survey(Task::Goqa, 21, 40);
        let config = ProtocolConfig::new(0.4, 0);
        let split = split(&s, &config).unwrap();
        let mut all: Vec<usize> = split.train.iter().chain(&split.validation).chain(&split.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..21).collect::<Vec<_>>());
        // 20 scorable: floor(0.4 · 20) = 8 meta-train, 12 test; round(0.15 · 8) = 1 validation.
        assert_eq!(split.test.len(), 12);
        assert_eq!(split.validation.len(), 1);
        assert!(split.train.contains(&0), "unscorable respondents train");
        assert!(!split.test.contains(&0) && !split.validation.contains(&0));
        assert_eq!(split, super::split(&s, &config).unwrap());
        assert_ne!(split, super::split(&s, &ProtocolConfig::new(0.4, 1)).unwrap());
    }

    #[test]
    fn split_rejects_bad_fractions_and_tiny_surveys() {
        let s = survey(Task::Goqa, 21, 40);
        assert!(split(&s, &ProtocolConfig::new(1.0, 0)).is_err());
        assert!(split(&s, &ProtocolConfig::new(0.0, 0)).is_err());
        assert!(matches!(
            split(&survey(Task::Goqa, 3, 40), &ProtocolConfig::new(0.5, 0)),
            Err(ProtocolError::TooFew { .. })
        ));
    }

    #[test]
    fn opinionqa_context_is_shared_and_other_tasks_are_not() {
        let oqa = survey(Task::Oqa, 6, 40);
        let e = episodes(&oqa, &[1, 2, 3], 20, 0);
        assert_eq!(e[0].context.len(), 20);
        assert_eq!(e[0].targets.len(), 20);
        assert!(e.iter().all(|x| x.context == e[0].context));
        assert!(e[0].targets.iter().all(|t| !e[0].context.contains(t)));
        let goqa = survey(Task::Goqa, 6, 40);
        let e = episodes(&goqa, &[1, 2, 3], 20, 0);
        assert!(e.iter().any(|x| x.context != e[0].context));
        // Respondent 0 answered only questions 0..10: its context comes from those.
        let e = episodes(&oqa, &[0], 20, 0);
        assert_eq!(e[0].context.len(), 9);
        assert!(e[0].context.iter().all(|&q| q < 10));
    }
}
