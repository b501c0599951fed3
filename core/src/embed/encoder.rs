//! The sentence encoder: tokenizer + BERT + mean pooling + L2 normalisation, one code path for
//! native and the browser (reads back synchronously natively, asynchronously in the page).

use burn::prelude::*;

use super::EmbedError;
use super::bert::{Bert, BertConfig};
use super::tokenizer::{MAX_TOKENS, TextTokenizer, Tokens};
use super::weights::load_bert;

/// all-MiniLM-L6-v2's embedding width.
pub const EMBED_DIM: usize = 384;

pub struct SentenceEncoder {
    bert: Bert,
    tokenizer: TextTokenizer,
    device: Device,
}

/// Embeddings of a list of texts, in input order.
#[derive(Clone, Debug, PartialEq)]
pub struct Embedded {
    /// `texts × EMBED_DIM`, row-major.
    pub vectors: Vec<f32>,
    /// Indices of the texts that were longer than the token limit and cut.
    pub truncated: Vec<usize>,
}

impl Embedded {
    pub fn row(&self, index: usize) -> &[f32] {
        &self.vectors[index * EMBED_DIM..(index + 1) * EMBED_DIM]
    }
}

impl SentenceEncoder {
    /// From the model's safetensors (f32 or f16) and `tokenizer.json` bytes.
    pub fn new(weights: Vec<u8>, tokenizer_json: &[u8], device: &Device) -> Result<Self, EmbedError> {
        Ok(Self {
            bert: load_bert(weights, &BertConfig::minilm_l6(), device)?,
            tokenizer: TextTokenizer::from_bytes(tokenizer_json, MAX_TOKENS)?,
            device: device.clone(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn tokenize(&self, texts: &[String]) -> Result<Vec<Tokens>, EmbedError> {
        texts.iter().map(|t| self.tokenizer.encode(t)).collect()
    }

    /// The pooled, normalised embeddings of one padded batch.
    ///
    /// # Shapes
    /// - output: `[batch.len(), EMBED_DIM]`
    pub fn forward(&self, batch: &[&Tokens]) -> Tensor<2> {
        let seq = batch.iter().map(|t| t.ids.len()).max().unwrap_or(1).max(1);
        let mut ids = Vec::with_capacity(batch.len() * seq);
        let mut pad = Vec::with_capacity(batch.len() * seq);
        for tokens in batch {
            ids.extend(tokens.ids.iter().map(|&id| id as i64));
            pad.extend(std::iter::repeat_n(false, tokens.ids.len()));
            ids.extend(std::iter::repeat_n(0i64, seq - tokens.ids.len()));
            pad.extend(std::iter::repeat_n(true, seq - tokens.ids.len()));
        }
        let ids = Tensor::<2, Int>::from_data(TensorData::new(ids, [batch.len(), seq]), &self.device);
        let pad = Tensor::<2, Bool>::from_data(TensorData::new(pad, [batch.len(), seq]), &self.device);
        self.bert.embed(ids, pad)
    }

    /// Batches of similar length (sorted by token count) of at most `batch_size` texts.
    pub fn plan(tokens: &[Tokens], batch_size: usize) -> Vec<Vec<usize>> {
        let mut order: Vec<usize> = (0..tokens.len()).collect();
        order.sort_by_key(|&i| tokens[i].ids.len());
        order.chunks(batch_size.max(1)).map(<[usize]>::to_vec).collect()
    }

    /// Embeds `texts` (natively, reading back synchronously); `progress(done)` after each batch.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn embed(
        &self,
        texts: &[String],
        batch_size: usize,
        mut progress: impl FnMut(usize),
    ) -> Result<Embedded, EmbedError> {
        let tokens = self.tokenize(texts)?;
        let mut vectors = vec![0f32; texts.len() * EMBED_DIM];
        let mut done = 0;
        for batch in Self::plan(&tokens, batch_size) {
            let refs: Vec<&Tokens> = batch.iter().map(|&i| &tokens[i]).collect();
            let out = self.forward(&refs).try_into_vec_as::<f32>().map_err(|e| EmbedError::Read(format!("{e:?}")))?;
            scatter(&mut vectors, &batch, &out);
            done += batch.len();
            progress(done);
        }
        Ok(Embedded { vectors, truncated: truncated(&tokens) })
    }

    /// Embeds `texts`, reading back asynchronously (required for WebGPU in the browser).
    pub async fn embed_async(&self, texts: &[String], batch_size: usize) -> Result<Embedded, EmbedError> {
        let tokens = self.tokenize(texts)?;
        let mut vectors = vec![0f32; texts.len() * EMBED_DIM];
        for batch in Self::plan(&tokens, batch_size) {
            let refs: Vec<&Tokens> = batch.iter().map(|&i| &tokens[i]).collect();
            let out = self
                .forward(&refs)
                .into_data_async()
                .await
                .map_err(|e| EmbedError::Read(format!("{e:?}")))?
                .try_into_vec_as::<f32>()
                .map_err(|e| EmbedError::Read(format!("{e:?}")))?;
            scatter(&mut vectors, &batch, &out);
        }
        Ok(Embedded { vectors, truncated: truncated(&tokens) })
    }
}

fn scatter(vectors: &mut [f32], batch: &[usize], out: &[f32]) {
    for (row, &index) in batch.iter().enumerate() {
        vectors[index * EMBED_DIM..(index + 1) * EMBED_DIM]
            .copy_from_slice(&out[row * EMBED_DIM..(row + 1) * EMBED_DIM]);
    }
}

fn truncated(tokens: &[Tokens]) -> Vec<usize> {
    tokens.iter().enumerate().filter(|(_, t)| t.truncated).map(|(i, _)| i).collect()
}
