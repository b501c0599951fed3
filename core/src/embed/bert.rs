//! BERT as in all-MiniLM-L6-v2: token + position + type embeddings, LayerNorm, then a post-LN
//! transformer encoder with exact GELU.

use burn::nn::transformer::{TransformerEncoder, TransformerEncoderConfig, TransformerEncoderInput};
use burn::nn::{Embedding, EmbeddingConfig, LayerNorm, LayerNormConfig};
use burn::prelude::*;

#[derive(Config, Debug)]
pub struct BertConfig {
    #[config(default = 30522)]
    pub vocab_size: usize,
    #[config(default = 384)]
    pub hidden_size: usize,
    #[config(default = 6)]
    pub num_layers: usize,
    #[config(default = 12)]
    pub num_heads: usize,
    #[config(default = 1536)]
    pub intermediate_size: usize,
    #[config(default = 512)]
    pub max_position_embeddings: usize,
    #[config(default = 2)]
    pub type_vocab_size: usize,
    #[config(default = 1e-12)]
    pub layer_norm_eps: f64,
}

impl BertConfig {
    /// all-MiniLM-L6-v2's configuration.
    pub fn minilm_l6() -> Self {
        Self::new()
    }

    pub fn init(&self, device: &Device) -> Bert {
        Bert {
            embeddings: BertEmbeddings {
                word_embeddings: EmbeddingConfig::new(self.vocab_size, self.hidden_size).init(device),
                position_embeddings: EmbeddingConfig::new(self.max_position_embeddings, self.hidden_size).init(device),
                token_type_embeddings: EmbeddingConfig::new(self.type_vocab_size, self.hidden_size).init(device),
                layer_norm: LayerNormConfig::new(self.hidden_size).with_epsilon(self.layer_norm_eps).init(device),
            },
            encoder: TransformerEncoderConfig::new(
                self.hidden_size,
                self.intermediate_size,
                self.num_heads,
                self.num_layers,
            )
            .with_dropout(0.0)
            .with_norm_first(false)
            .with_layer_norm_eps(self.layer_norm_eps)
            .init(device),
        }
    }
}

#[derive(Module, Debug)]
pub struct BertEmbeddings {
    pub word_embeddings: Embedding,
    pub position_embeddings: Embedding,
    pub token_type_embeddings: Embedding,
    pub layer_norm: LayerNorm,
}

#[derive(Module, Debug)]
pub struct Bert {
    pub embeddings: BertEmbeddings,
    pub encoder: TransformerEncoder,
}

impl Bert {
    /// Last hidden states.
    ///
    /// # Shapes
    /// - `input_ids`: `[batch, seq]`
    /// - `padding`: `[batch, seq]`, true where the position is padding
    /// - output: `[batch, seq, hidden]`
    pub fn forward(&self, input_ids: Tensor<2, Int>, padding: Tensor<2, Bool>) -> Tensor<3> {
        let [batch, seq] = input_ids.dims();
        let device = input_ids.device();
        let positions = Tensor::<1, Int>::arange(0..seq as i64, &device).reshape([1, seq]).expand([batch, seq]);
        let types = Tensor::<2, Int>::zeros([batch, seq], &device);
        let x = self.embeddings.word_embeddings.forward(input_ids)
            + self.embeddings.position_embeddings.forward(positions)
            + self.embeddings.token_type_embeddings.forward(types);
        let x = self.embeddings.layer_norm.forward(x);
        self.encoder.forward(TransformerEncoderInput::new(x).mask_pad(padding))
    }

    /// Sentence embeddings: mean over the non-padding positions, then L2-normalised
    /// (the sentence-transformers recipe for all-MiniLM-L6-v2).
    ///
    /// # Shapes
    /// - `input_ids`, `padding`: `[batch, seq]`
    /// - output: `[batch, hidden]`
    pub fn embed(&self, input_ids: Tensor<2, Int>, padding: Tensor<2, Bool>) -> Tensor<2> {
        let [batch, seq] = input_ids.dims();
        let hidden = self.forward(input_ids, padding.clone());
        let keep = padding.bool_not().float().reshape([batch, seq, 1]);
        let summed = (hidden * keep.clone()).sum_dim(1); // [batch, 1, hidden]
        let count = keep.sum_dim(1).clamp_min(1e-9); // [batch, 1, 1]
        let mean = (summed / count).squeeze_dim::<2>(1);
        let norm = mean.clone().square().sum_dim(1).sqrt().clamp_min(1e-12); // [batch, 1]
        mean / norm
    }
}
