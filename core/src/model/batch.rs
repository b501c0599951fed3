//! Host-side episodes → padded tensors for [`Gpo`](super::Gpo).

use burn::prelude::*;

use super::segments::{Segments, segments};
use crate::embed::TaskEmbeddings;

/// One respondent's episode: its answers on the context questions, and the target questions
/// (with their true distributions when training).
#[derive(Clone, Debug)]
pub struct EpisodeInput<'a> {
    pub context: Vec<(usize, &'a [f32])>,
    pub targets: Vec<usize>,
    pub truth: Option<Vec<&'a [f32]>>,
}

/// A padded batch of episodes.
#[derive(Clone, Debug)]
pub struct GpoBatch {
    /// Row index in the task embeddings of each context token, `[batch · c]` (padding → 0).
    pub context_rows: Tensor<1, Int>,
    /// `[batch, c, 1]`
    pub context_y: Tensor<3>,
    /// `[batch, c]`, true = padding
    pub context_pad: Tensor<2, Bool>,
    /// Row index in the task embeddings of each target token, `[batch · t]` (padding → 0).
    pub target_rows: Tensor<1, Int>,
    /// `[batch, t]`, true for real target tokens
    pub target_valid: Tensor<2, Bool>,
    /// `[batch, t]` true probabilities (training only)
    pub truth: Option<Tensor<2>>,
    pub segments: Segments,
    pub batch: usize,
    pub context: usize,
    pub targets: usize,
}

/// The option rows of a question in `embeddings`.
fn rows(embeddings: &TaskEmbeddings, question: usize) -> std::ops::Range<usize> {
    embeddings.offsets[question]..embeddings.offsets[question + 1]
}

pub fn build_batch(
    embeddings: &TaskEmbeddings,
    episodes: &[EpisodeInput],
    device: &Device,
) -> GpoBatch {
    let batch = episodes.len();
    let context_tokens = |e: &EpisodeInput| {
        e.context
            .iter()
            .map(|(q, _)| embeddings.options(*q))
            .sum::<usize>()
    };
    let target_tokens = |e: &EpisodeInput| {
        e.targets
            .iter()
            .map(|q| embeddings.options(*q))
            .sum::<usize>()
    };
    let c = episodes
        .iter()
        .map(context_tokens)
        .max()
        .unwrap_or(0)
        .max(1);
    let t = episodes.iter().map(target_tokens).max().unwrap_or(0).max(1);

    let mut context_rows = vec![0i64; batch * c];
    let mut cy = vec![0f32; batch * c];
    let mut cpad = vec![true; batch * c];
    let mut target_rows = vec![0i64; batch * t];
    let mut valid = vec![false; batch * t];
    let mut truth = vec![0f32; batch * t];
    let mut counts = Vec::with_capacity(batch);
    for (b, episode) in episodes.iter().enumerate() {
        let mut slot = 0;
        for (q, probs) in &episode.context {
            for (o, row) in rows(embeddings, *q).enumerate() {
                let at = b * c + slot;
                context_rows[at] = row as i64;
                cy[at] = probs[o];
                cpad[at] = false;
                slot += 1;
            }
        }
        let mut slot = 0;
        for (i, q) in episode.targets.iter().enumerate() {
            for (o, row) in rows(embeddings, *q).enumerate() {
                let at = b * t + slot;
                target_rows[at] = row as i64;
                valid[at] = true;
                if let Some(truth_rows) = &episode.truth {
                    truth[at] = truth_rows[i][o];
                }
                slot += 1;
            }
        }
        counts.push(
            episode
                .targets
                .iter()
                .map(|q| embeddings.options(*q))
                .collect::<Vec<_>>(),
        );
    }
    let has_truth = episodes.iter().all(|e| e.truth.is_some()) && !episodes.is_empty();
    GpoBatch {
        context_rows: Tensor::from_data(TensorData::new(context_rows, [batch * c]), device),
        context_y: Tensor::from_data(TensorData::new(cy, [batch, c, 1]), device),
        context_pad: Tensor::from_data(TensorData::new(cpad, [batch, c]), device),
        target_rows: Tensor::from_data(TensorData::new(target_rows, [batch * t]), device),
        target_valid: Tensor::from_data(TensorData::new(valid, [batch, t]), device),
        truth: has_truth.then(|| Tensor::from_data(TensorData::new(truth, [batch, t]), device)),
        segments: segments(&counts, t, device),
        batch,
        context: c,
        targets: t,
    }
}
