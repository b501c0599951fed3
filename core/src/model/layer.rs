//! One GPO encoder layer, post-LN as PyTorch's `TransformerEncoderLayer` (the reference):
//! `x = LN1(x + Attn(x → context)); x = LN2(x + W2·relu(W1·x))`.

use burn::nn::{Dropout, DropoutConfig, LayerNorm, LayerNormConfig, Linear, LinearConfig, Relu};
use burn::prelude::*;

use super::attention::{ContextAttention, ContextAttentionConfig};

#[derive(Config, Debug)]
pub struct GpoLayerConfig {
    pub d_model: usize,
    pub heads: usize,
    pub d_ff: usize,
    #[config(default = 0.0)]
    pub dropout: f64,
}

#[derive(Module, Debug)]
pub struct GpoLayer {
    pub attention: ContextAttention,
    pub norm_1: LayerNorm,
    pub ff_inner: Linear,
    pub ff_outer: Linear,
    pub norm_2: LayerNorm,
    pub dropout: Dropout,
    pub activation: Relu,
}

impl GpoLayerConfig {
    pub fn init(&self, device: &Device) -> GpoLayer {
        GpoLayer {
            attention: ContextAttentionConfig::new(self.d_model, self.heads).init(device),
            norm_1: LayerNormConfig::new(self.d_model).init(device),
            ff_inner: LinearConfig::new(self.d_model, self.d_ff).init(device),
            ff_outer: LinearConfig::new(self.d_ff, self.d_model).init(device),
            norm_2: LayerNormConfig::new(self.d_model).init(device),
            dropout: DropoutConfig::new(self.dropout).init(),
            activation: Relu::new(),
        }
    }
}

impl GpoLayer {
    /// Updates `tokens` by attending to `context` (this layer's context states).
    ///
    /// # Shapes
    /// - `tokens`: `[batch, n, d_model]`
    /// - `context`: `[batch, c, d_model]`, `context_pad`: `[batch, c]`
    /// - output: `[batch, n, d_model]`
    pub fn forward(&self, tokens: Tensor<3>, context: Tensor<3>, context_pad: Tensor<2, Bool>) -> Tensor<3> {
        let attended = self.attention.forward(tokens.clone(), context, context_pad);
        let x = self.norm_1.forward(tokens + self.dropout.forward(attended));
        let ff = self.ff_outer.forward(self.activation.forward(self.ff_inner.forward(x.clone())));
        self.norm_2.forward(x + self.dropout.forward(ff))
    }
}
