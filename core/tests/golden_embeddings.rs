//! all-MiniLM-L6-v2 in Burn equals the reference (sentence-transformers on PyTorch): every
//! fixture text to cosine ≥ 0.9999 and max |diff| ≤ 1e-4; padded batches equal one-by-one.
//! Needs the model (`scripts/setup.sh model`); regenerate the fixture with
//! `scripts/golden_embeddings.sh`.

use burn::prelude::*;
use gpo_core::embed::tokenizer::MAX_TOKENS;
use gpo_core::embed::weights::{ModelFiles, resolve_model_dir};
use gpo_core::embed::{EMBED_DIM, SentenceEncoder};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    max_seq_length: usize,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    text: String,
    untruncated_tokens: usize,
    embedding: Vec<f32>,
}

fn fixture() -> Fixture {
    serde_json::from_str(include_str!("fixtures/minilm_golden.json")).expect("fixture parses")
}

fn encoder(device: &Device) -> SentenceEncoder {
    let dir = resolve_model_dir(None).unwrap_or_else(|e| panic!("{e}"));
    let files = ModelFiles::read(&dir).unwrap_or_else(|e| panic!("{e}"));
    SentenceEncoder::new(files.weights, &files.tokenizer_json, device).expect("encoder loads")
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum();
    let na: f64 = a.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| (*x as f64).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

fn check_against_reference(device: &Device) {
    let fixture = fixture();
    assert_eq!(fixture.max_seq_length, MAX_TOKENS);
    let encoder = encoder(device);
    let texts: Vec<String> = fixture.cases.iter().map(|c| c.text.clone()).collect();
    // One by one, as the reference did (batch_size = 1).
    for (i, case) in fixture.cases.iter().enumerate() {
        let ours = encoder.embed(&texts[i..i + 1], 1, |_| {}).expect("embeds");
        let v = ours.row(0);
        assert_eq!(v.len(), EMBED_DIM);
        let cos = cosine(v, &case.embedding);
        let diff = v.iter().zip(&case.embedding).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(
            cos >= 0.9999 && diff <= 1e-4,
            "case {i} {:?}: cosine {cos}, max diff {diff}",
            &case.text.chars().take(40).collect::<String>()
        );
        let truncated = case.untruncated_tokens > MAX_TOKENS;
        assert_eq!(
            ours.truncated == vec![0],
            truncated,
            "case {i}: truncation must be reported exactly when the text is too long"
        );
    }
}

#[test]
fn matches_sentence_transformers_on_cpu() {
    check_against_reference(&Device::flex());
}

#[test]
fn padded_batches_equal_one_by_one() {
    let device = Device::flex();
    let encoder = encoder(&device);
    let texts: Vec<String> = fixture().cases.iter().map(|c| c.text.clone()).collect();
    let batched = encoder.embed(&texts, 5, |_| {}).expect("embeds");
    for (i, text) in texts.iter().enumerate() {
        let alone = encoder.embed(std::slice::from_ref(text), 1, |_| {}).expect("embeds");
        let diff = batched.row(i).iter().zip(alone.row(0)).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(diff <= 1e-5, "text {i}: batched vs alone differ by {diff}");
    }
    assert_eq!(batched.truncated, vec![texts.len() - 1], "only the long text is cut");
}

/// The same check on wgpu (Mesa's lavapipe in CI); skipped with a note where no adapter exists.
#[cfg(feature = "wgpu")]
#[test]
fn matches_sentence_transformers_on_wgpu() {
    match gpo_core::device::DeviceChoice::Wgpu.init() {
        Ok(device) => check_against_reference(&device),
        Err(e) => eprintln!("skipped: {e}"),
    }
}
