//! The model's promises: context-only attention equals the reference's masked full attention;
//! predictions depend neither on the order of the context tokens nor on the other targets.

use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::softmax;

use super::attention::ContextAttentionConfig;
use super::batch::EpisodeInput;
use super::{GpoConfig, GpoRunner, Population};
use crate::embed::TaskEmbeddings;

fn random(shape: [usize; 3], device: &Device) -> Tensor<3> {
    Tensor::random(shape, Distribution::Normal(0.0, 1.0), device)
}

fn max_abs_diff(a: Tensor<3>, b: Tensor<3>) -> f32 {
    (a - b).abs().max().into_scalar()
}

#[test]
fn context_attention_equals_masked_full_attention() {
    let device = Device::flex();
    device.seed(1);
    let (batch, c, t, d, heads) = (3, 7, 5, 16, 4);
    let attention = ContextAttentionConfig::new(d, heads).init(&device);
    let context = random([batch, c, d], &device);
    let targets = random([batch, t, d], &device);
    // Row 2 has its last two context slots padded.
    let mut pad = vec![false; batch * c];
    pad[2 * c + c - 1] = true;
    pad[2 * c + c - 2] = true;
    let context_pad = Tensor::<2, Bool>::from_data(TensorData::new(pad.clone(), [batch, c]), &device);
    let tokens = Tensor::cat(vec![context.clone(), targets], 1);
    let ours = attention.forward(tokens.clone(), context, context_pad);

    // Reference: attention over all C+T tokens with a mask allowing only (non-padded) context keys.
    let n = c + t;
    let dh = d / heads;
    let split = |x: Tensor<3>| x.reshape([batch, n, heads, dh]).swap_dims(1, 2);
    let q = split(attention.query.forward(tokens.clone()));
    let k = split(attention.key.forward(tokens.clone()));
    let v = split(attention.value.forward(tokens));
    let mut allowed = vec![false; batch * n];
    for b in 0..batch {
        for j in 0..c {
            allowed[b * n + j] = !pad[b * c + j];
        }
    }
    let mask = Tensor::<2, Bool>::from_data(TensorData::new(allowed, [batch, n]), &device)
        .bool_not()
        .reshape([batch, 1, 1, n]);
    let scores = q.matmul(k.swap_dims(2, 3)) / (dh as f64).sqrt();
    let weights = softmax(scores.mask_fill(mask, f32::NEG_INFINITY), 3);
    let full = attention.output.forward(weights.matmul(v).swap_dims(1, 2).reshape([batch, n, d]));
    let diff = max_abs_diff(ours, full);
    assert!(diff < 1e-5, "max |diff| = {diff}");
}

/// A small random survey's embeddings: `questions` questions with 2–4 options each.
fn embeddings(questions: usize, dim: usize) -> TaskEmbeddings {
    let mut offsets = vec![0];
    for q in 0..questions {
        offsets.push(offsets[q] + 2 + q % 3);
    }
    let rows = *offsets.last().unwrap();
    let mut state = 7u64;
    let data = (0..rows * dim)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        })
        .collect();
    TaskEmbeddings { dim, offsets, data }
}

fn runner() -> GpoRunner {
    let device = Device::flex();
    device.seed(3);
    let model = GpoConfig::new().with_input_dim(12).with_d_model(16).with_layers(2).with_d_ff(16).init(&device);
    let embeddings = embeddings(12, 12);
    // Known priors on most questions (one unknown), and non-zero factor loadings.
    let mut population = Population::unknown(&[0], 8);
    for q in 0..12 {
        let n = embeddings.options(q);
        let rows = embeddings.offsets[q] * embeddings.dim..embeddings.offsets[q + 1] * embeddings.dim;
        population.push_question((q != 5).then(|| probs(n, q + 1)).as_deref(), &embeddings.data[rows], n, &embeddings);
    }
    for (i, l) in population.loadings.iter_mut().enumerate() {
        *l = ((i * 37 % 11) as f32 - 5.0) / 20.0;
    }
    GpoRunner::new(model, embeddings, population, crate::model::Offset::Factor { lambda: 0.1 }, &device)
}

fn probs(options: usize, shift: usize) -> Vec<f32> {
    let raw: Vec<f32> = (0..options).map(|o| 1.0 + ((o + shift) % options) as f32).collect();
    let total: f32 = raw.iter().sum();
    raw.iter().map(|r| r / total).collect()
}

#[test]
fn predictions_ignore_context_order_and_other_targets() {
    let runner = runner();
    let answers: Vec<Vec<f32>> = (0..12).map(|q| probs(runner.options(q), q)).collect();
    let context: Vec<(usize, &[f32])> = [0usize, 3, 5, 7].iter().map(|&q| (q, answers[q].as_slice())).collect();
    let mut reversed = context.clone();
    reversed.reverse();
    fn episode<'a>(context: &[(usize, &'a [f32])], targets: &[usize]) -> EpisodeInput<'a> {
        EpisodeInput::new(context.to_vec(), targets.to_vec())
    }
    let all = runner.predict(&[episode(&context, &[1, 2, 4, 6, 8])]);
    let permuted = runner.predict(&[episode(&reversed, &[1, 2, 4, 6, 8])]);
    let alone = runner.predict(&[episode(&context, &[4])]);
    // And in a batch beside another respondent with a longer context and other targets.
    let other: Vec<(usize, &[f32])> = [0usize, 1, 2, 9, 10, 11].iter().map(|&q| (q, answers[q].as_slice())).collect();
    let batched = runner.predict(&[episode(&other, &[3, 5]), episode(&context, &[8, 4])]);
    let close = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
    for q in 0..5 {
        assert!(close(&all[0].probs[q], &permuted[0].probs[q]), "context order changed question {q}");
        assert!(close(&all[0].std[q], &permuted[0].std[q]));
    }
    assert!(close(&all[0].probs[2], &alone[0].probs[0]), "other targets changed the prediction");
    assert!(close(&all[0].probs[2], &batched[1].probs[1]), "batch neighbours changed the prediction");
    assert!(close(&all[0].probs[4], &batched[1].probs[0]));
    for p in &all[0].probs {
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-5, "a question's probabilities sum to 1");
    }
}
