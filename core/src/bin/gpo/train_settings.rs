//! GPO's architecture and training flags, shared by `gpo train`, `gpo reproduce` and `gpo bench`.

use clap::Args;
use gpo_core::model::GpoConfig;
use gpo_core::train::{SamplingConfig, SamplingMode, TrainConfig};

use crate::cli::DeviceArg;

/// GPO's architecture and training settings (shared by train and reproduce).
#[derive(Args, Clone, Debug)]
pub struct TrainSettings {
    #[arg(long, default_value_t = 500)]
    pub steps: usize,
    /// Respondents per step.
    #[arg(long, default_value_t = 8)]
    pub batch: usize,
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Encoder layers (the paper: 6; 2 measured as accurate here, see docs/RESULTS.md).
    #[arg(long, default_value_t = 2)]
    pub layers: usize,
    /// Model width (the paper: 128; 64 measured as accurate here).
    #[arg(long, default_value_t = 64)]
    pub d_model: usize,
    #[arg(long, default_value_t = 4)]
    pub heads: usize,
    #[arg(long, default_value_t = 128)]
    pub d_ff: usize,
    #[arg(long, default_value_t = 4)]
    pub embed_depth: usize,
    #[arg(long, default_value_t = 0.0)]
    pub dropout: f64,
    /// `reference` (per batch, U{min..max} context and target questions) or `paper` (m ~ U[1, n−1]).
    #[arg(long, default_value = "reference")]
    pub sampling: String,
    #[arg(long, default_value_t = 10)]
    pub context_min: usize,
    #[arg(long, default_value_t = 40)]
    pub context_max: usize,
    #[arg(long, default_value_t = 10)]
    pub target_min: usize,
    #[arg(long, default_value_t = 40)]
    pub target_max: usize,
    #[arg(long, default_value_t = 100)]
    pub eval_every: usize,
    /// Text format of the embeddings.
    #[arg(long, default_value = "qa", value_parser = crate::cli::parse_format)]
    pub format: gpo_core::embed::TextFormat,
    #[arg(long, default_value = "cpu")]
    pub device: DeviceArg,
    /// The paper's model: no population prior as input.
    #[arg(long)]
    pub no_prior: bool,
    #[arg(long, default_value_t = 0.15)]
    pub prior_dropout: f64,
    /// Choose the model on validation scores for known and new questions alike (see
    /// `TrainConfig::select_for_new_questions`).
    #[arg(long)]
    pub select_for_new_questions: bool,
    /// Factor loadings of the population per token.
    #[arg(long, default_value_t = 8)]
    pub factors: usize,
    /// Offset the logits by the log prior instead of the factor model's estimate.
    #[arg(long)]
    pub prior_offset: bool,
    /// Share of episodes whose respondent is a mixture of two training respondents
    /// (default: 0.5 for groups, 0 for individuals).
    #[arg(long)]
    pub mixup: Option<f64>,
}

impl TrainSettings {
    pub fn config(&self, seed: u64, kind: gpo_core::data::RespondentKind) -> anyhow::Result<TrainConfig> {
        let mode = match self.sampling.as_str() {
            "reference" => SamplingMode::Reference,
            "paper" => SamplingMode::Paper,
            other => anyhow::bail!("--sampling: unknown mode '{other}' (reference, paper)"),
        };
        let model = GpoConfig::new()
            .with_d_model(self.d_model)
            .with_layers(self.layers)
            .with_heads(self.heads)
            .with_d_ff(self.d_ff)
            .with_embed_depth(self.embed_depth)
            .with_dropout(self.dropout)
            .with_prior_input(!self.no_prior)
            .with_population_factors(self.factors)
            .with_factor_offset(!self.prior_offset);
        let groups = kind == gpo_core::data::RespondentKind::Group;
        let mixup = self.mixup.unwrap_or(if groups { 0.5 } else { 0.0 });
        let sampling = SamplingConfig::new()
            .with_mode(mode)
            .with_context_min(self.context_min)
            .with_context_max(self.context_max)
            .with_target_min(self.target_min)
            .with_target_max(self.target_max);
        Ok(TrainConfig::new(model, sampling)
            .with_steps(self.steps)
            .with_batch_size(self.batch)
            .with_learning_rate(self.lr)
            .with_eval_every(self.eval_every)
            .with_prior_dropout(self.prior_dropout)
            .with_select_for_new_questions(self.select_for_new_questions)
            .with_mixup(mixup)
            .with_seed(seed))
    }
}
