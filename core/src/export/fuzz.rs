//! Generated bad bundles (issue 14): structured mutations of a small bundle's survey JSON (a
//! field replaced by a value that breaks an assumption, removed, duplicated), byte damage to
//! every file (truncation, bit flips, a header's lengths), shrunk to the smallest failing case.
//!
//! The property: loading gives a `BundleError`, or a predictor whose predictions of the person
//! and of every group are finite — never a panic (in the page a panic aborts the whole wasm
//! module) and never an allocation sized by an unchecked length. `GPO_FUZZ_CASES` sets the
//! cases per property (a soak run: `GPO_FUZZ_CASES=100000 cargo test -p gpo-core fuzz`).

use std::ops::ControlFlow;

use burn::prelude::Device;
use futures_lite::future::block_on;
use proptest::prelude::*;
use serde_json::{Value, json};

use super::bundle::Manifest;
use super::predictor::SurveyPredictor;
use super::test_bundle::{BundleFiles, small_bundle};
use crate::util::fuzz::edits::{JsonEdit, apply_json, json_edit};
use crate::util::fuzz::{byte_damage, cases, damage};

/// Where an edit lands: a survey file is mostly numbers of its population table, so a field is
/// first drawn from one of these parts (a prefix of its JSON pointer), each as likely.
const REGIONS: [&str; 8] =
    ["/model", "/offset", "/population/factors", "/population/prior_map", "/questions", "/groups", "/population", ""];

fn edit() -> impl Strategy<Value = (usize, JsonEdit)> {
    json_edit(REGIONS.len())
}

fn apply(value: &mut Value, edit: &(usize, JsonEdit)) {
    apply_json(value, &REGIONS, edit)
}

/// Loads the files; what loads must predict the person and every group in finite numbers.
fn loads_or_refuses(
    files: &BundleFiles,
    survey: &[u8],
    embeddings: &[u8],
    model: Vec<u8>,
) -> Result<(), TestCaseError> {
    let device = Device::flex();
    let Ok(predictor) = SurveyPredictor::load(&files.entry, survey, embeddings, model, &device) else { return Ok(()) };
    let questions = predictor.own_questions();
    let chosen: Vec<(usize, usize)> = (0..questions).step_by(3).map(|q| (q, predictor.options(q) - 1)).collect();
    let targets: Vec<usize> = (0..questions).filter(|q| q % 3 != 0).collect();
    let person = block_on(predictor.predict_person(&chosen, &targets)).expect("the CPU reads back");
    for forecast in &person.forecasts {
        prop_assert!(forecast.probs.iter().chain(&forecast.std).all(|v| v.is_finite()), "{forecast:?}");
    }
    // A question added later (the editor's) reads the text map.
    let added = vec![0.25f32; 2 * predictor.survey().model.input_dim];
    let extended = predictor.with_questions(&[&added]);
    let new = block_on(extended.predict_person(&chosen, &[extended.questions() - 1])).expect("the CPU reads back");
    prop_assert!(
        new.forecasts.iter().all(|f| f.probs.iter().chain(&f.std).all(|v| v.is_finite())),
        "{:?}",
        new.forecasts
    );
    if questions > 0 {
        let groups = block_on(predictor.predict_groups(questions - 1, Some(5), |_| ControlFlow::Continue(())));
        for forecast in groups.expect("the CPU reads back").into_iter().flatten() {
            prop_assert!(forecast.probs.iter().chain(&forecast.std).all(|v| v.is_finite()), "{forecast:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(400), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_survey_json_with_edited_fields_loads_or_is_refused(edits in proptest::collection::vec(edit(), 1..4)) {
        let files = small_bundle_cached();
        let mut value: Value = serde_json::from_slice(&files.survey).unwrap();
        for edit in &edits {
            apply(&mut value, edit);
        }
        let survey = serde_json::to_vec(&value).unwrap();
        loads_or_refuses(files, &survey, &files.embeddings, files.model.clone())?;
    }

    #[test]
    fn damaged_bundle_files_load_or_are_refused(
        which in 0..3usize,
        (cut, flips) in byte_damage(),
        header in proptest::option::of((any::<u32>(), any::<u32>())),
    ) {
        let files = small_bundle_cached();
        let (mut survey, mut embeddings, mut model) = (files.survey.clone(), files.embeddings.clone(), files.model.clone());
        match which {
            0 => survey = damage(&survey, cut, &flips),
            1 => {
                embeddings = damage(&embeddings, cut, &flips);
                // The header's row and column counts, set to anything.
                if let Some((rows, dim)) = header && embeddings.len() >= 16 {
                    embeddings[8..12].copy_from_slice(&rows.to_le_bytes());
                    embeddings[12..16].copy_from_slice(&dim.to_le_bytes());
                }
            }
            _ => model = damage(&model, cut, &flips),
        }
        // A flipped weight may load as any number: the manifest's checksum guards the real
        // download; here the property is no panic.
        if which == 2 {
            let device = Device::flex();
            let _ = SurveyPredictor::load(&files.entry, &survey, &embeddings, model, &device);
        } else {
            loads_or_refuses(files, &survey, &embeddings, model)?;
        }
    }

    #[test]
    fn a_damaged_manifest_is_an_error(cut in proptest::option::of(any::<usize>()), flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6), edits in proptest::collection::vec(edit(), 0..3)) {
        let mut value = json!({
            "format": "gpo-web-bundle", "version": super::bundle::BUNDLE_VERSION, "created_by": "t",
            "surveys": [{"task": "t", "title": "T", "personal": true, "survey": "t.json", "embeddings": "t.emb", "model": "t.bpk"}],
            "encoder": null,
            "files": [{"name": "t.json", "bytes": 3, "sha256": "00"}],
        });
        for edit in &edits {
            apply(&mut value, edit);
        }
        let bytes = damage(&serde_json::to_vec(&value).unwrap(), cut, &flips);
        if let Ok(manifest) = Manifest::parse(&bytes, "manifest.json") {
            // Whatever it lists, checking a file against it is an answer, not a panic.
            for name in ["t.json", "x"] {
                let _ = manifest.verify(name, b"abc");
            }
        }
    }
}

/// The bundle is built once per test binary (its weights take a moment to draw), with a text
/// map for added questions so that edits can reach it.
fn small_bundle_cached() -> &'static BundleFiles {
    static FILES: std::sync::OnceLock<BundleFiles> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let mut files = small_bundle();
        let mut survey: Value = serde_json::from_slice(&files.survey).unwrap();
        let factors = survey["population"]["factors"].as_u64().unwrap();
        let landmarks = [0, 1, 2];
        survey["population"]["prior_map"] = json!({
            "kernel": {"gamma": 2.0, "slot_mismatch": 0.5},
            "landmarks": landmarks,
            "positions": {"factors": factors, "entries": [
                {"options": 2, "prior": [0.6, 0.4], "loadings": vec![0.0; 2 * factors as usize]},
            ]},
            "weights": vec![0.1; landmarks.len()],
            "lambda": 1.0,
            "loading_weights": vec![0.01; landmarks.len() * factors as usize],
            "loading_lambda": 1.0,
        });
        files.survey = serde_json::to_vec(&survey).unwrap();
        files
    })
}

#[test]
fn the_unedited_bundle_loads_and_predicts() {
    let files = small_bundle_cached();
    assert!(files.load(&Device::flex()).is_ok());
    loads_or_refuses(files, &files.survey, &files.embeddings, files.model.clone()).unwrap();
}
