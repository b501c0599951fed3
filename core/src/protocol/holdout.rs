//! Which questions are held out of training altogether, to score what a model does with a
//! question nobody answered (`eval::new_questions`), in two cases a reader must see apart:
//! - `Random`: questions drawn at random — a new item of a survey whose neighbours are known
//!   (the page's editor, writing one more question of a known kind);
//! - `Blocks`: whole blocks of related questions — a new survey. A block is a survey wave where
//!   the question keys name one (OpinionQA's `…_W26`), else one of [`ORDER_BLOCKS`] runs of
//!   consecutive questions in the survey's own order (a questionnaire's sections: Global
//!   Dialogues' batteries, GlobalOpinionQA's source surveys as its file orders them).

use serde::{Deserialize, Serialize};

use crate::data::Survey;
use crate::util::rng::Rng;

/// Blocks of consecutive questions where the keys name no wave.
pub const ORDER_BLOCKS: usize = 10;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Holdout {
    #[default]
    Random,
    Blocks,
}

impl Holdout {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "random" => Some(Self::Random),
            "blocks" => Some(Self::Blocks),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Self::Random => "random",
            Self::Blocks => "blocks",
        }
    }
}

/// The wave a key names (`…_W26` → `W26`), if it names one.
fn wave(key: &str) -> Option<&str> {
    let (_, suffix) = key.rsplit_once('_')?;
    (suffix.len() > 1 && suffix.starts_with('W') && suffix[1..].bytes().all(|b| b.is_ascii_digit())).then_some(suffix)
}

/// Each question's block (numbered from 0 in the order first met).
pub fn question_blocks(survey: &Survey) -> Vec<usize> {
    let n = survey.questions.len();
    let waves: Option<Vec<&str>> = survey.questions.iter().map(|q| wave(&q.key)).collect();
    match waves {
        Some(waves) if n > 0 => {
            let mut names: Vec<&str> = Vec::new();
            waves
                .iter()
                .map(|w| match names.iter().position(|n| n == w) {
                    Some(i) => i,
                    None => {
                        names.push(w);
                        names.len() - 1
                    }
                })
                .collect()
        }
        _ => (0..n).map(|q| q * ORDER_BLOCKS.min(n.max(1)) / n.max(1)).collect(),
    }
}

/// The held-out questions, sorted, fixed by the seed: `round(fraction · questions)` of them
/// drawn at random, or whole blocks (drawn in a seeded order) until at least that many.
pub fn holdout_questions(survey: &Survey, fraction: f64, seed: u64, holdout: Holdout) -> Vec<usize> {
    let questions = survey.questions.len();
    let n = ((fraction.clamp(0.0, 1.0) * questions as f64).round() as usize).min(questions);
    let mut held = match holdout {
        Holdout::Random => {
            let mut order: Vec<usize> = (0..questions).collect();
            Rng::derived(seed, &[0x0E1D]).shuffle(&mut order);
            order.truncate(n);
            order
        }
        Holdout::Blocks => {
            let blocks = question_blocks(survey);
            let mut order: Vec<usize> = (0..blocks.iter().max().map_or(0, |b| b + 1)).collect();
            Rng::derived(seed, &[0xB10C]).shuffle(&mut order);
            let mut held = Vec::new();
            for block in order {
                // Never the whole survey: training needs questions to learn from.
                if held.len() >= n || held.len() + blocks.iter().filter(|&&b| b == block).count() >= questions {
                    break;
                }
                held.extend((0..questions).filter(|&q| blocks[q] == block));
            }
            held
        }
    };
    held.sort_unstable();
    held
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{LoadReport, Question, Task};

    fn survey(keys: &[&str]) -> Survey {
        Survey {
            info: Task::Oqa.info(),
            questions: keys
                .iter()
                .map(|k| Question {
                    key: k.to_string(),
                    text: k.to_string(),
                    options: vec!["a".into(), "b".into()],
                    ordinals: None,
                })
                .collect(),
            respondents: vec![],
            report: LoadReport::default(),
        }
    }

    #[test]
    fn blocks_are_waves_where_keys_name_them_else_runs_of_the_order() {
        let waves = survey(&["A_W26", "B_W27", "C_W26", "D_W29", "E_W27", "F_W29"]);
        assert_eq!(question_blocks(&waves), vec![0, 1, 0, 2, 1, 2]);
        let held = holdout_questions(&waves, 0.3, 0, Holdout::Blocks);
        // Whole waves: one wave (2 questions) reaches 30 % of 6.
        assert_eq!(held.len(), 2);
        let blocks = question_blocks(&waves);
        assert_eq!(blocks[held[0]], blocks[held[1]], "{held:?}");
        assert_eq!(held, holdout_questions(&waves, 0.3, 0, Holdout::Blocks), "seeded");
        // Keys without waves: consecutive runs.
        let keys: Vec<String> = (0..25).map(|i| format!("q{i}")).collect();
        let plain = survey(&keys.iter().map(String::as_str).collect::<Vec<_>>());
        let blocks = question_blocks(&plain);
        assert_eq!((blocks[0], blocks[2], blocks[3], blocks[24]), (0, 0, 1, 9));
        let held = holdout_questions(&plain, 0.2, 3, Holdout::Blocks);
        assert!(held.len() >= 5 && held.windows(2).all(|w| w[1] > w[0]));
        for block in held.iter().map(|&q| blocks[q]) {
            assert!((0..25).filter(|&q| blocks[q] == block).all(|q| held.contains(&q)), "whole blocks");
        }
        // At random: exactly the share, and never a whole survey by blocks.
        assert_eq!(holdout_questions(&plain, 0.2, 3, Holdout::Random).len(), 5);
        assert!(holdout_questions(&waves, 0.99, 0, Holdout::Blocks).len() < 6);
    }
}
