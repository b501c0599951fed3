//! A small web bundle for the tests of `export`: one survey's three files, built here.

use burn::prelude::Device;

use super::bundle::{BundleError, SurveyEntry, WebGroup, WebSurvey, embeddings_to_bytes};
use super::predictor::SurveyPredictor;
use crate::data::Question;
use crate::embed::TaskEmbeddings;
use crate::model::{GpoConfig, Offset, Population};

/// A survey's files as the page downloads them (verified against the manifest).
pub struct BundleFiles {
    pub entry: SurveyEntry,
    pub survey: Vec<u8>,
    pub embeddings: Vec<u8>,
    pub model: Vec<u8>,
}

impl BundleFiles {
    pub fn load(&self, device: &Device) -> Result<SurveyPredictor, BundleError> {
        SurveyPredictor::load(&self.entry, &self.survey, &self.embeddings, self.model.clone(), device)
    }
}

/// A bundle survey of 10 questions (2–4 options) and 7 groups with 3–9 answers each, with
/// random (seeded) weights: its three files as the page downloads them.
pub fn small_bundle() -> BundleFiles {
    let dim = 8;
    let options: Vec<usize> = (0..10).map(|q| 2 + q % 3).collect();
    let questions: Vec<Question> = options
        .iter()
        .enumerate()
        .map(|(q, &n)| Question {
            key: format!("q{q}"),
            text: format!("question {q}"),
            options: (0..n).map(|o| format!("option {o}")).collect(),
            ordinals: None,
        })
        .collect();
    let mut offsets = vec![0];
    for n in &options {
        offsets.push(offsets.last().unwrap() + n);
    }
    let rows = *offsets.last().unwrap();
    let data = (0..rows * dim).map(|i| ((i * 7919 % 101) as f32 / 101.0) - 0.5).collect();
    let embeddings = TaskEmbeddings { dim, offsets: offsets.clone(), data };
    let share = |n: usize, shift: usize| -> Vec<f32> {
        let raw: Vec<f32> = (0..n).map(|o| 1.0 + ((o + shift) % n) as f32).collect();
        raw.iter().map(|r| r / raw.iter().sum::<f32>()).collect()
    };
    let groups = (0..7)
        .map(|g| WebGroup {
            name: format!("g{g}"),
            label: format!("Group {g}"),
            size: 1,
            answers: (0..3 + g).map(|q| (q, share(options[q], g))).collect(),
        })
        .collect();
    // No prior input: its head starts random (not at zero), so contexts change predictions.
    let model =
        GpoConfig::new().with_input_dim(dim).with_d_model(16).with_layers(1).with_d_ff(16).with_prior_input(false);
    let factors = model.population_factors;
    let device = Device::flex();
    let weights = crate::device::seeded(&device, 5, || model.init(&device));
    let survey = WebSurvey {
        task: "t".into(),
        title: "T".into(),
        description: String::new(),
        metric: "alignment".into(),
        scoring: None,
        questions,
        groups,
        model,
        population: Population::unknown(&offsets, factors),
        offset: Offset::None,
    };
    let entry = SurveyEntry {
        task: "t".into(),
        title: "T".into(),
        personal: true,
        survey: "t.json".into(),
        embeddings: "t.emb".into(),
        model: "t.bpk".into(),
    };
    let record = crate::train::saved::record_bytes(&weights).unwrap();
    let embedding_bytes = embeddings_to_bytes(&embeddings);
    BundleFiles { entry, survey: serde_json::to_vec(&survey).unwrap(), embeddings: embedding_bytes, model: record }
}
