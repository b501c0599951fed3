//! The GPO transformer: tokens `[x ; y]` for context (question, option) pairs and `[x ; 0]` for
//! targets, an MLP embedder, an encoder without positional encoding whose attention reads only
//! the context, and a head giving a mean (softmaxed within each question) and a std per option.

use burn::module::Initializer;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::prelude::*;

use super::layer::{GpoLayer, GpoLayerConfig};
use super::population::{Offset, Population};
use super::segments::{Segments, segment_softmax};

/// The most weights [`GpoConfig::check`] lets a configuration ask for (64 MB of f32; the paper's
/// size has under a million).
pub const MAX_WEIGHTS: u128 = 16_000_000;

/// A model configuration that cannot be built (see [`GpoConfig::check`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("model {field}: {detail}")]
pub struct ConfigError {
    pub field: &'static str,
    pub detail: String,
}

#[derive(Config, Debug)]
pub struct GpoConfig {
    /// Width of the (question, option) embedding x.
    #[config(default = 384)]
    pub input_dim: usize,
    #[config(default = 128)]
    pub d_model: usize,
    /// Linear layers in the embedder MLP.
    #[config(default = 4)]
    pub embed_depth: usize,
    #[config(default = 6)]
    pub layers: usize,
    #[config(default = 4)]
    pub heads: usize,
    #[config(default = 128)]
    pub d_ff: usize,
    #[config(default = 0.0)]
    pub dropout: f64,
    /// Read the population's statistics (prior, known flag, factor loadings) as extra input
    /// features and add the log prior to the mean logits (see `model::population`).
    /// Off: the paper's model.
    #[config(default = true)]
    pub prior_input: bool,
    /// Factor loadings per token (with `prior_input`).
    #[config(default = 8)]
    pub population_factors: usize,
    /// With `prior_input`: offset the mean logits by the log of the factor model's estimate
    /// from the episode's context (else by the log prior).
    #[config(default = true)]
    pub factor_offset: bool,
    /// Ridge strength of that estimate.
    #[config(default = 0.1)]
    pub factor_lambda: f64,
}

/// Log-std is clamped to this range before `exp` (keeps the NLL finite).
const LOG_STD_RANGE: (f32, f32) = (-7.0, 3.0);

#[derive(Module, Debug)]
pub struct Gpo {
    pub embedder: Vec<Linear>,
    pub layers: Vec<GpoLayer>,
    pub head_hidden: Linear,
    pub head_out: Linear,
    pub activation: Relu,
    pub prior_input: bool,
}

/// Per target token: the softmaxed mean and the std.
#[derive(Clone, Debug)]
pub struct GpoOutput {
    /// `[batch, targets]`
    pub mean: Tensor<2>,
    /// `[batch, targets]`
    pub std: Tensor<2>,
}

impl GpoConfig {
    /// What the model adds to its mean logits.
    pub fn offset(&self) -> Offset {
        match (self.prior_input, self.factor_offset) {
            (false, _) => Offset::None,
            (true, false) => Offset::Prior,
            (true, true) => Offset::Factor { lambda: self.factor_lambda },
        }
    }

    /// Whether a model of this shape can be built, and within what a page or a laptop holds:
    /// a configuration read from a file (a web bundle, `config.json`) is checked before
    /// [`GpoConfig::init`], whose layers assert their shapes.
    pub fn check(&self) -> Result<(), ConfigError> {
        let bad = |field: &'static str, detail: String| Err(ConfigError { field, detail });
        let within = |v: usize, max: usize| (1..=max).contains(&v);
        if !within(self.input_dim, 1 << 14) {
            return bad("input_dim", format!("{} is not in 1..=16384", self.input_dim));
        }
        if !within(self.d_model, 1 << 12) || !within(self.d_ff, 1 << 14) {
            return bad("d_model", format!("{} / d_ff {} is out of range", self.d_model, self.d_ff));
        }
        if !(2..=16).contains(&self.embed_depth) {
            return bad("embed_depth", format!("{} (the embedder needs 2 to 16 layers)", self.embed_depth));
        }
        if self.layers > 64 {
            return bad("layers", format!("{} is more than 64", self.layers));
        }
        if self.heads == 0 || !self.d_model.is_multiple_of(self.heads) {
            return bad("heads", format!("{} does not divide d_model {}", self.heads, self.d_model));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return bad("dropout", format!("{} is not in [0, 1)", self.dropout));
        }
        if self.population_factors > 256 {
            return bad("population_factors", format!("{} is more than 256", self.population_factors));
        }
        if !self.factor_lambda.is_finite() || self.factor_lambda < 0.0 {
            return bad("factor_lambda", format!("{} is not a finite strength", self.factor_lambda));
        }
        // Each size may be fine alone and the whole too large to allocate: bound the weights.
        let (d, ff, input) = (self.d_model as u128, self.d_ff as u128, self.input_dim as u128);
        let extra = 1 + if self.prior_input { Population::width(self.population_factors) as u128 } else { 0 };
        let embedder = (input + extra) * d + (self.embed_depth as u128 - 1) * d * d;
        let weights = embedder + self.layers as u128 * (4 * d * d + 2 * d * ff) + d * ff + 2 * ff;
        if weights > MAX_WEIGHTS {
            return bad("d_model", format!("{weights} weights; at most {MAX_WEIGHTS} are built"));
        }
        Ok(())
    }

    pub fn init(&self, device: &Device) -> Gpo {
        assert!(self.embed_depth >= 2, "the embedder needs at least two layers");
        let extra = 1 + if self.prior_input { Population::width(self.population_factors) } else { 0 };
        let mut embedder = vec![LinearConfig::new(self.input_dim + extra, self.d_model).init(device)];
        for _ in 1..self.embed_depth {
            embedder.push(LinearConfig::new(self.d_model, self.d_model).init(device));
        }
        let layer = GpoLayerConfig::new(self.d_model, self.heads, self.d_ff).with_dropout(self.dropout);
        Gpo {
            embedder,
            layers: (0..self.layers).map(|_| layer.init(device)).collect(),
            head_hidden: LinearConfig::new(self.d_model, self.d_ff).init(device),
            // With an offset, a zero head starts the model exactly at the offset's estimate.
            head_out: if self.prior_input {
                LinearConfig::new(self.d_ff, 2).with_initializer(Initializer::Zeros).init(device)
            } else {
                LinearConfig::new(self.d_ff, 2).init(device)
            },
            activation: Relu::new(),
            prior_input: self.prior_input,
        }
    }
}

impl Gpo {
    /// The embedder MLP (ReLU between layers, none after the last).
    ///
    /// # Shapes
    /// - `x`: `[batch, n, input_dim]`, `y`: `[batch, n, 1]` (zeros for targets)
    /// - `population`: `[batch, n, width]` (read only with `prior_input`)
    /// - output: `[batch, n, d_model]`
    pub fn embed(&self, x: Tensor<3>, y: Tensor<3>, population: Tensor<3>) -> Tensor<3> {
        let mut h = if self.prior_input { Tensor::cat(vec![x, y, population], 2) } else { Tensor::cat(vec![x, y], 2) };
        let last = self.embedder.len() - 1;
        for (i, linear) in self.embedder.iter().enumerate() {
            h = linear.forward(h);
            if i < last {
                h = self.activation.forward(h);
            }
        }
        h
    }

    /// Target tokens `[x ; 0]` through the embedder: independent of the context, so callers may
    /// compute it once per survey and reuse it.
    ///
    /// # Shapes
    /// - `x`: `[batch, n, input_dim]`, `population`: `[batch, n, width]`; output `[batch, n, d_model]`
    pub fn embed_targets(&self, x: Tensor<3>, population: Tensor<3>) -> Tensor<3> {
        let [batch, n, _] = x.dims();
        let zeros = Tensor::zeros([batch, n, 1], &x.device());
        self.embed(x, zeros, population)
    }

    /// Encoder and head on embedded tokens: raw (pre-softmax) means and stds.
    ///
    /// # Shapes
    /// - `context`: `[batch, c, d_model]`, `context_pad`: `[batch, c]` (true = padding)
    /// - `targets`: `[batch, t, d_model]`
    /// - output: `([batch, t], [batch, t])` raw means and stds
    pub fn encode(
        &self,
        context: Tensor<3>,
        context_pad: Tensor<2, Bool>,
        targets: Tensor<3>,
    ) -> (Tensor<2>, Tensor<2>) {
        let c = context.dims()[1];
        let t = targets.dims()[1];
        let (mut context, mut targets) = (context, targets);
        let last = self.layers.len().saturating_sub(1);
        for (i, layer) in self.layers.iter().enumerate() {
            if i == last {
                // The context's own update after the last layer is never read.
                targets = layer.forward(targets, context.clone(), context_pad.clone());
            } else {
                let both = Tensor::cat(vec![context.clone(), targets], 1);
                let out = layer.forward(both, context, context_pad.clone());
                context = out.clone().narrow(1, 0, c);
                targets = out.narrow(1, c, t);
            }
        }
        let raw = self.head_out.forward(self.activation.forward(self.head_hidden.forward(targets)));
        let [batch, t, _] = raw.dims();
        let mean = raw.clone().narrow(2, 0, 1).reshape([batch, t]);
        let log_std = raw.narrow(2, 1, 1).reshape([batch, t]);
        (mean, log_std.clamp(LOG_STD_RANGE.0, LOG_STD_RANGE.1).exp())
    }

    /// The whole model.
    ///
    /// # Shapes
    /// - `context_x`: `[batch, c, input_dim]`, `context_y`: `[batch, c, 1]`,
    ///   `context_population`: `[batch, c, width]`, `context_pad`: `[batch, c]`
    /// - `target_x`: `[batch, t, input_dim]`, `target_population`: `[batch, t, width]`,
    ///   `target_offset`: `[batch, t]`; `segments` group the targets into questions
    /// - output: mean and std, `[batch, t]` each
    #[allow(clippy::too_many_arguments)]
    pub fn forward(
        &self,
        context_x: Tensor<3>,
        context_y: Tensor<3>,
        context_population: Tensor<3>,
        context_pad: Tensor<2, Bool>,
        target_x: Tensor<3>,
        target_population: Tensor<3>,
        target_offset: Tensor<2>,
        segments: &Segments,
    ) -> GpoOutput {
        let context = self.embed(context_x, context_y, context_population);
        let targets = self.embed_targets(target_x, target_population);
        self.forward_embedded(context, context_pad, targets, target_offset, segments)
    }

    /// [`Gpo::forward`] from already-embedded tokens.
    pub fn forward_embedded(
        &self,
        context: Tensor<3>,
        context_pad: Tensor<2, Bool>,
        targets: Tensor<3>,
        target_offset: Tensor<2>,
        segments: &Segments,
    ) -> GpoOutput {
        let (raw_mean, std) = self.encode(context, context_pad, targets);
        GpoOutput { mean: segment_softmax(raw_mean + target_offset, segments), std }
    }
}
