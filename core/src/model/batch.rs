//! Host-side episodes → padded tensors for [`Gpo`](super::Gpo).

use std::borrow::Cow;

use burn::prelude::*;

use super::population::{Offset, Population, log_offset};
use super::segments::{Segments, segments};
use crate::embed::TaskEmbeddings;

/// One respondent's episode: its answers on the context questions, and the target questions
/// (with their true distributions when training).
#[derive(Clone, Debug)]
pub struct EpisodeInput<'a> {
    pub context: Vec<(usize, Cow<'a, [f32]>)>,
    pub targets: Vec<usize>,
    pub truth: Option<Vec<Cow<'a, [f32]>>>,
    /// Which of the batch's population tables this episode reads (training: the one computed
    /// without its respondent's fold).
    pub population: usize,
    /// Per context and per target question: whether its population statistics are hidden.
    pub hidden: Option<(Vec<bool>, Vec<bool>)>,
}

impl<'a> EpisodeInput<'a> {
    /// An episode that reads the runner's population, nothing hidden.
    pub fn new(context: Vec<(usize, &'a [f32])>, targets: Vec<usize>) -> Self {
        let context = context.into_iter().map(|(q, p)| (q, Cow::Borrowed(p))).collect();
        Self { context, targets, truth: None, population: 0, hidden: None }
    }
}

/// A padded batch of episodes.
#[derive(Clone, Debug)]
pub struct GpoBatch {
    /// Row index in the task embeddings of each context token, `[batch · c]` (padding → 0).
    pub context_rows: Tensor<1, Int>,
    /// `[batch, c, 1]`
    pub context_y: Tensor<3>,
    /// `[batch, c, width]`: population features (prior, known flag, loadings)
    pub context_population: Tensor<3>,
    /// `[batch, c]`, true = padding
    pub context_pad: Tensor<2, Bool>,
    /// Row index in the task embeddings of each target token, `[batch · t]` (padding → 0).
    pub target_rows: Tensor<1, Int>,
    /// `[batch, t, width]`
    pub target_population: Tensor<3>,
    /// `[batch, t]`: log prior added to the mean logits
    pub target_offset: Tensor<2>,
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

fn features(population: &Population, hidden: bool, row: usize) -> Vec<f32> {
    if hidden { population.hidden_features(row) } else { population.features(row) }
}

pub fn build_batch(
    embeddings: &TaskEmbeddings,
    episodes: &[EpisodeInput],
    populations: &[&Population],
    offset: Offset,
    device: &Device,
) -> GpoBatch {
    let batch = episodes.len();
    let width = Population::width(populations[0].factors);
    let context_tokens = |e: &EpisodeInput| e.context.iter().map(|(q, _)| embeddings.options(*q)).sum::<usize>();
    let target_tokens = |e: &EpisodeInput| e.targets.iter().map(|q| embeddings.options(*q)).sum::<usize>();
    let c = episodes.iter().map(context_tokens).max().unwrap_or(0).max(1);
    let t = episodes.iter().map(target_tokens).max().unwrap_or(0).max(1);

    let mut context_rows = vec![0i64; batch * c];
    let mut cy = vec![0f32; batch * c];
    let mut cpop = vec![0f32; batch * c * width];
    let mut cpad = vec![true; batch * c];
    let mut target_rows = vec![0i64; batch * t];
    let mut tpop = vec![0f32; batch * t * width];
    let mut toffset = vec![0f32; batch * t];
    let mut valid = vec![false; batch * t];
    let mut truth = vec![0f32; batch * t];
    let mut counts = Vec::with_capacity(batch);
    for (b, episode) in episodes.iter().enumerate() {
        let mut slot = 0;
        let population = populations[episode.population];
        for (i, (q, probs)) in episode.context.iter().enumerate() {
            let hidden = episode.hidden.as_ref().is_some_and(|h| h.0[i]);
            for (o, row) in rows(embeddings, *q).enumerate() {
                let at = b * c + slot;
                context_rows[at] = row as i64;
                cy[at] = probs[o];
                cpop[at * width..(at + 1) * width].copy_from_slice(&features(population, hidden, row));
                cpad[at] = false;
                slot += 1;
            }
        }
        // The factor model's coordinates of this respondent, from its visible context answers.
        let coordinates = match offset {
            Offset::Factor { lambda } => {
                let visible = episode
                    .context
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !episode.hidden.as_ref().is_some_and(|h| h.0[*i]));
                let answers = visible.flat_map(|(_, (q, probs))| rows(embeddings, *q).zip(probs.iter().copied()));
                population.coordinates(answers, population.factors, lambda)
            }
            _ => Vec::new(),
        };
        let mut slot = 0;
        for (i, q) in episode.targets.iter().enumerate() {
            let hidden = episode.hidden.as_ref().is_some_and(|h| h.1[i]);
            let estimate = match (offset, hidden) {
                (Offset::Factor { .. }, _) => Some(population.estimate(rows(embeddings, *q), &coordinates, hidden)),
                _ => None,
            };
            for (o, row) in rows(embeddings, *q).enumerate() {
                let at = b * t + slot;
                target_rows[at] = row as i64;
                let features = features(population, hidden, row);
                toffset[at] = match (offset, &estimate) {
                    (Offset::None, _) => 0.0,
                    (Offset::Factor { .. }, Some(e)) => log_offset(e[o]),
                    _ => log_offset(features[0]),
                };
                tpop[at * width..(at + 1) * width].copy_from_slice(&features);
                valid[at] = true;
                if let Some(truth_rows) = &episode.truth {
                    truth[at] = truth_rows[i][o];
                }
                slot += 1;
            }
        }
        counts.push(episode.targets.iter().map(|q| embeddings.options(*q)).collect::<Vec<_>>());
    }
    let has_truth = episodes.iter().all(|e| e.truth.is_some()) && !episodes.is_empty();
    GpoBatch {
        context_rows: Tensor::from_data(TensorData::new(context_rows, [batch * c]), device),
        context_y: Tensor::from_data(TensorData::new(cy, [batch, c, 1]), device),
        context_population: Tensor::from_data(TensorData::new(cpop, [batch, c, width]), device),
        context_pad: Tensor::from_data(TensorData::new(cpad, [batch, c]), device),
        target_rows: Tensor::from_data(TensorData::new(target_rows, [batch * t]), device),
        target_population: Tensor::from_data(TensorData::new(tpop, [batch, t, width]), device),
        target_offset: Tensor::from_data(TensorData::new(toffset, [batch, t]), device),
        target_valid: Tensor::from_data(TensorData::new(valid, [batch, t]), device),
        truth: has_truth.then(|| Tensor::from_data(TensorData::new(truth, [batch, t]), device)),
        segments: segments(&counts, t, device),
        batch,
        context: c,
        targets: t,
    }
}
