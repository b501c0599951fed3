//! Meta-training settings.

use burn::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::GpoConfig;

/// How a training episode's context and target questions are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SamplingMode {
    /// The reference code: per batch, #context ~ U{min..max} and #targets ~ U{min..max}
    /// questions, each respondent its own random questions.
    Reference,
    /// The paper's text: per respondent, m ~ U[1, n−1] context questions, the rest (at most
    /// `target_max`) targets.
    Paper,
}

#[derive(Config, Debug)]
pub struct SamplingConfig {
    #[config(default = "SamplingMode::Reference")]
    pub mode: SamplingMode,
    #[config(default = 10)]
    pub context_min: usize,
    #[config(default = 100)]
    pub context_max: usize,
    #[config(default = 10)]
    pub target_min: usize,
    #[config(default = 100)]
    pub target_max: usize,
}

#[derive(Config, Debug)]
pub struct TrainConfig {
    pub model: GpoConfig,
    pub sampling: SamplingConfig,
    /// Adam's learning rate, decayed to 0 by a cosine over `steps`.
    #[config(default = 3e-4)]
    pub learning_rate: f64,
    #[config(default = 2000)]
    pub steps: usize,
    /// Respondents per step.
    #[config(default = 16)]
    pub batch_size: usize,
    /// Validate (and maybe keep the best model) every this many steps.
    #[config(default = 100)]
    pub eval_every: usize,
    /// Context questions of each validation respondent.
    #[config(default = 20)]
    pub eval_context: usize,
    #[config(default = 0)]
    pub seed: u64,
    /// Share of episode questions whose prior is hidden (so the model also works without one,
    /// e.g. on a question written in the page's editor).
    #[config(default = 0.15)]
    pub prior_dropout: f64,
    /// Keep the model that validates best on the mean of the usual score and the score with
    /// every target's statistics hidden (for a model that also serves the page's editor).
    #[config(default = false)]
    pub select_for_new_questions: bool,
    /// Share of episodes whose respondent is a mixture of two training respondents (groups).
    #[config(default = 0.0)]
    pub mixup: f64,
}

/// Cosine decay from `base` at step 0 to 0 at `total` (the reference's `CosineAnnealingLR`).
pub fn cosine_lr(base: f64, step: usize, total: usize) -> f64 {
    let progress = (step as f64 / total.max(1) as f64).min(1.0);
    0.5 * base * (1.0 + (std::f64::consts::PI * progress).cos())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_schedule_by_hand() {
        assert!((cosine_lr(1.0, 0, 100) - 1.0).abs() < 1e-12);
        assert!((cosine_lr(1.0, 50, 100) - 0.5).abs() < 1e-12);
        assert!(cosine_lr(1.0, 100, 100).abs() < 1e-12);
        assert!(cosine_lr(1.0, 150, 100).abs() < 1e-12, "no rise after the end");
    }
}
