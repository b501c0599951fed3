//! Softmax within each question, batched: target tokens are the flattened options of several
//! questions; gathers move them into a padded `[batch, questions, max_options]` layout, the
//! softmax runs over the last axis, and a gather moves the result back. No loop over questions.

use burn::prelude::*;
use burn::tensor::activation::softmax;

/// Where each question's options sit among a batch row's target tokens.
#[derive(Clone, Debug)]
pub struct Segments {
    /// `[batch, questions · max_options]`: token index per slot; the row's token count
    /// (a sentinel) for padding slots.
    pub gather: Tensor<2, Int>,
    /// `[batch, tokens]`: each token's slot in the flattened layout.
    pub back: Tensor<2, Int>,
    pub questions: usize,
    pub max_options: usize,
}

/// Host-side layout: per batch row, the option count of each target question in token order.
pub fn segments(option_counts: &[Vec<usize>], tokens: usize, device: &Device) -> Segments {
    let batch = option_counts.len();
    let questions = option_counts.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let max_options = option_counts.iter().flatten().copied().max().unwrap_or(1).max(1);
    let slots = questions * max_options;
    let mut gather = vec![tokens as i64; batch * slots];
    let mut back = vec![0i64; batch * tokens];
    for (b, counts) in option_counts.iter().enumerate() {
        let mut token = 0;
        for (q, &n) in counts.iter().enumerate() {
            for o in 0..n {
                let slot = q * max_options + o;
                gather[b * slots + slot] = token as i64;
                back[b * tokens + token] = slot as i64;
                token += 1;
            }
        }
        assert!(token <= tokens, "more options than target tokens");
    }
    Segments {
        gather: Tensor::from_data(TensorData::new(gather, [batch, slots]), device),
        back: Tensor::from_data(TensorData::new(back, [batch, tokens]), device),
        questions,
        max_options,
    }
}

/// Softmax of `logits` within each question.
///
/// # Shapes
/// - `logits`: `[batch, tokens]`
/// - output: `[batch, tokens]` (padding tokens get some probability that callers mask out)
pub fn segment_softmax(logits: Tensor<2>, segments: &Segments) -> Tensor<2> {
    let [batch, _] = logits.dims();
    let device = logits.device();
    let sentinel = Tensor::<2>::full([batch, 1], -1.0e9, &device);
    let extended = Tensor::cat(vec![logits, sentinel], 1);
    let grouped =
        extended.gather(1, segments.gather.clone()).reshape([batch, segments.questions, segments.max_options]);
    let probs = softmax(grouped, 2).reshape([batch, segments.questions * segments.max_options]);
    probs.gather(1, segments.back.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_is_taken_within_each_question() {
        let device = Device::flex();
        // Row 0: questions with 2 and 3 options; row 1: one question with 2 options + 3 padding tokens.
        let logits = Tensor::<2>::from_data(
            TensorData::new(vec![0.0f32, 1.0, 2.0, 2.0, 2.0, 3.0, -1.0, 9.0, 9.0, 9.0], [2, 5]),
            &device,
        );
        let seg = segments(&[vec![2, 3], vec![2]], 5, &device);
        let probs: Vec<f32> = segment_softmax(logits, &seg).try_into_vec_as::<f32>().unwrap();
        let e = 1f32.exp();
        let expected = [1.0 / (1.0 + e), e / (1.0 + e), 1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0];
        for (p, x) in probs[..5].iter().zip(expected) {
            assert!((p - x).abs() < 1e-6, "{probs:?}");
        }
        let e4 = 4f32.exp();
        assert!((probs[5] - e4 / (1.0 + e4)).abs() < 1e-6);
        assert!((probs[6] - 1.0 / (1.0 + e4)).abs() < 1e-6);
    }
}
