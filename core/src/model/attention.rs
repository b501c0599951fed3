//! Attention where every token attends only to the context tokens: keys and values come from
//! the context alone, so the cost is O((C+T)·C), not the reference's O((C+T)²) mask.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::softmax;

#[derive(Config, Debug)]
pub struct ContextAttentionConfig {
    pub d_model: usize,
    pub heads: usize,
}

#[derive(Module, Debug)]
pub struct ContextAttention {
    pub query: Linear,
    pub key: Linear,
    pub value: Linear,
    pub output: Linear,
    pub heads: usize,
}

/// Score given to padded context keys before the softmax (as Burn's own attention).
pub const MASKED: f32 = -1.0e4;

impl ContextAttentionConfig {
    pub fn init(&self, device: &Device) -> ContextAttention {
        assert!(self.d_model.is_multiple_of(self.heads), "d_model must be divisible by heads");
        let linear = || LinearConfig::new(self.d_model, self.d_model).init(device);
        ContextAttention { query: linear(), key: linear(), value: linear(), output: linear(), heads: self.heads }
    }
}

impl ContextAttention {
    /// # Shapes
    /// - `queries`: `[batch, n, d_model]` (context and/or target tokens)
    /// - `context`: `[batch, c, d_model]`
    /// - `context_pad`: `[batch, c]`, true where the context slot is padding
    /// - output: `[batch, n, d_model]`
    pub fn forward(&self, queries: Tensor<3>, context: Tensor<3>, context_pad: Tensor<2, Bool>) -> Tensor<3> {
        let q = self.query.forward(queries);
        let k = self.key.forward(context.clone());
        let v = self.value.forward(context);
        // On a wgpu device, for inference, the project's own fused WGSL kernel (shaders/).
        #[cfg(any(feature = "wgpu", feature = "webgpu"))]
        if let Some(out) = super::wgsl::fused_context_attention(&q, &k, &v, &context_pad, self.heads, MASKED) {
            return self.output.forward(out);
        }
        self.output.forward(attend(q, k, v, context_pad, self.heads))
    }
}

/// Multi-head attention of projected queries over projected context keys and values, with
/// Burn's tensor ops (the reference the WGSL kernel is tested against).
///
/// # Shapes
/// - `q`: `[batch, n, d_model]`; `k`, `v`: `[batch, c, d_model]`; `context_pad`: `[batch, c]`
/// - output: `[batch, n, d_model]`
pub fn attend(q: Tensor<3>, k: Tensor<3>, v: Tensor<3>, context_pad: Tensor<2, Bool>, heads: usize) -> Tensor<3> {
    {
        let [batch, n, d_model] = q.dims();
        let c = k.dims()[1];
        let (h, d_head) = (heads, d_model / heads);
        let split = |x: Tensor<3>, len: usize| x.reshape([batch, len, h, d_head]).swap_dims(1, 2);
        let q = split(q, n); // [b, h, n, dh]
        let k = split(k, c); // [b, h, c, dh]
        let v = split(v, c);
        let scores = q.matmul(k.swap_dims(2, 3)) / (d_head as f64).sqrt(); // [b, h, n, c]
        let mask = context_pad.reshape([batch, 1, 1, c]);
        let weights = softmax(scores.mask_fill(mask, MASKED), 3);
        weights.matmul(v).swap_dims(1, 2).reshape([batch, n, d_model])
    }
}
