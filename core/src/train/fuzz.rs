//! Generated bad training files (issue 14): checkpoints cut anywhere, with bits flipped, with a
//! length field set to any u64 or with edited JSON metadata (re-sealed, as a crafted file would
//! be, so that the checksum does not stop them first); saved model folders with a damaged or
//! edited file. The property: a resumed state or a model, or one error naming the file — never
//! a panic, never an allocation sized by an unchecked length. `GPO_FUZZ_CASES` sets the cases.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use burn::optim::{AdamConfig, ModuleOptimizer};
use burn::prelude::*;
use proptest::prelude::*;
use serde_json::Value;

use super::checkpoint::{Checkpoint, CheckpointMeta, HistoryPoint};
use super::resume::resume;
use super::saved::{ModelMeta, check_finite, load_model, model_from_record, record_bytes, save_model};
use super::trainer::init_model;
use super::{SamplingConfig, TrainConfig};
use crate::model::GpoConfig;
use crate::util::digest::{SEAL_BYTES, seal};
use crate::util::fuzz::edits::{JsonEdit, apply_json, json_edit};
use crate::util::fuzz::{byte_damage, cases, damage};
use crate::util::rng::Rng;

const CONFIG_JSON: &str = "{\"the\": \"configuration\"}";
const FINGERPRINT: &str = "survey:10q:7r";

fn model_config() -> GpoConfig {
    GpoConfig::new().with_input_dim(8).with_layers(1).with_d_model(16).with_d_ff(32)
}

fn fresh_optimizer() -> ModuleOptimizer {
    AdamConfig::new().with_epsilon(1e-8).init()
}

/// A fresh scratch folder per case (cases of several tests run at once).
fn scratch(what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("gpo-train-fuzz-{what}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A whole checkpoint of a small model (its best model another seed, the optimizer's state
/// that of a fresh Adam), built once.
fn checkpoint() -> &'static Checkpoint {
    static CHECKPOINT: OnceLock<Checkpoint> = OnceLock::new();
    CHECKPOINT.get_or_init(|| {
        let cpu = Device::flex();
        Checkpoint {
            meta: CheckpointMeta {
                step: 4,
                rng: Rng::new(1),
                history: vec![
                    HistoryPoint { step: 0, loss: None, validation: Some(0.5) },
                    HistoryPoint { step: 4, loss: Some(1.25), validation: Some(0.625) },
                ],
                best_step: Some(4),
                best_score: Some(0.625),
                config: CONFIG_JSON.into(),
                fingerprint: FINGERPRINT.into(),
                pending_loss: (0.0, 0),
            },
            model: record_bytes(&init_model(&model_config(), 1, &cpu)).unwrap(),
            optimizer: fresh_optimizer().into_bytes().unwrap().to_vec(),
            best_model: record_bytes(&init_model(&model_config(), 2, &cpu)).unwrap(),
        }
    })
}

/// Offsets of the four length fields (metadata, model, optimizer, best model).
fn length_fields(body: &[u8]) -> Vec<usize> {
    let mut at = 8;
    let mut fields = Vec::new();
    for _ in 0..4 {
        fields.push(at);
        at += 8 + u64::from_le_bytes(body[at..at + 8].try_into().unwrap()) as usize;
    }
    fields
}

/// Metadata fields an edit lands in.
const META_REGIONS: [&str; 6] = ["/history", "/rng", "/step", "/best_step", "/pending_loss", ""];

#[derive(Clone, Debug)]
enum Damage {
    /// Bytes of the sealed file: the checksum must refuse any change.
    Sealed(Option<usize>, Vec<(usize, u8)>),
    /// Bytes before the checksum, re-sealed.
    Body(Option<usize>, Vec<(usize, u8)>),
    /// One length field set to any value, re-sealed.
    Length(usize, u64),
    /// The JSON metadata edited, re-sealed.
    Meta(Vec<(usize, JsonEdit)>),
}

fn checkpoint_damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        byte_damage().prop_map(|(cut, flips)| Damage::Sealed(cut, flips)),
        byte_damage().prop_map(|(cut, flips)| Damage::Body(cut, flips)),
        // Any u64, a small one, or one just below u64::MAX (where a sum with the offset wraps).
        (0..4usize, prop_oneof![any::<u64>(), 0u64..100_000, (0u64..100_000).prop_map(|d| u64::MAX - d)])
            .prop_map(|(i, v)| Damage::Length(i, v)),
        proptest::collection::vec(json_edit(META_REGIONS.len()), 1..4).prop_map(Damage::Meta),
    ]
}

fn damaged_checkpoint(damage_: &Damage) -> Vec<u8> {
    let whole = checkpoint();
    let sealed = whole.to_bytes();
    let body = &sealed[..sealed.len() - SEAL_BYTES];
    let mut out = match damage_ {
        Damage::Sealed(cut, flips) => return damage(&sealed, *cut, flips),
        Damage::Body(cut, flips) => damage(body, *cut, flips),
        Damage::Length(which, value) => {
            let mut out = body.to_vec();
            let at = length_fields(body)[*which];
            out[at..at + 8].copy_from_slice(&value.to_le_bytes());
            out
        }
        Damage::Meta(edits) => {
            let mut meta = serde_json::to_value(&whole.meta).unwrap();
            for edit in edits {
                apply_json(&mut meta, &META_REGIONS, edit);
            }
            let meta = serde_json::to_vec(&meta).unwrap();
            let mut out = b"GPOCKPT1".to_vec();
            for blob in [&meta, &whole.model, &whole.optimizer, &whole.best_model] {
                out.extend_from_slice(&(blob.len() as u64).to_le_bytes());
                out.extend_from_slice(blob);
            }
            out
        }
    };
    seal(&mut out);
    out
}

/// A file of `bytes` resumed from: the state, or an error naming the file.
fn resumes_or_names_the_file(bytes: &[u8]) -> Result<bool, TestCaseError> {
    let dir = scratch("checkpoint");
    let path = dir.join("checkpoint.gpockpt");
    std::fs::write(&path, bytes).unwrap();
    let cpu = Device::flex();
    let result =
        resume(&path, &model_config(), CONFIG_JSON, FINGERPRINT, fresh_optimizer(), &cpu.clone().autodiff(), &cpu);
    std::fs::remove_dir_all(&dir).unwrap();
    match result {
        Ok(resumed) => {
            prop_assert!(resumed.meta.step >= resumed.meta.history.last().map_or(0, |h| h.step));
            Ok(true)
        }
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(shown.contains(&path.display().to_string()), "the error does not name the file: {shown}");
            Ok(false)
        }
    }
}

/// A saved model folder of the small model: saved once, its files copied into `dir`.
fn save_small_model(dir: &Path) {
    static FILES: OnceLock<Vec<(&str, Vec<u8>)>> = OnceLock::new();
    let files = FILES.get_or_init(|| {
        let saved = scratch("saved");
        save_once(&saved);
        let files = MODEL_FILES.iter().map(|&name| (name, std::fs::read(saved.join(name)).unwrap())).collect();
        std::fs::remove_dir_all(&saved).unwrap();
        files
    });
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

fn save_once(dir: &Path) {
    let cpu = Device::flex();
    let config = TrainConfig::new(model_config(), SamplingConfig::new()).with_steps(4);
    let meta = ModelMeta {
        task: "t".into(),
        format: "qa".into(),
        split: 0.6,
        seed: 0,
        train_respondents: vec!["a".into()],
        holdout_questions: 0.0,
        holdout: Default::default(),
        validation_respondents: vec!["b".into()],
        best_step: 4,
        best_validation: Some(0.625),
        history: checkpoint().meta.history.clone(),
        seconds: 1.0,
        device: "cpu".into(),
    };
    save_model(dir, &init_model(&model_config(), 1, &cpu), &config, &meta).unwrap();
}

const MODEL_FILES: [&str; 4] = ["config.json", "model.bpk", "model.safetensors", "meta.json"];
const CONFIG_REGIONS: [&str; 3] = ["/model", "/sampling", ""];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_checkpoint_resumes_or_is_refused(damage_ in checkpoint_damage()) {
        let bytes = damaged_checkpoint(&damage_);
        let resumed = resumes_or_names_the_file(&bytes)?;
        if let Damage::Sealed(..) = damage_ {
            // Any change to a sealed file is caught by its checksum.
            prop_assert_eq!(resumed, bytes == checkpoint().to_bytes());
        }
    }

    #[test]
    fn a_damaged_model_folder_loads_or_is_refused(
        which in 0..4usize,
        (cut, flips) in byte_damage(),
        edits in proptest::option::of(proptest::collection::vec(json_edit(CONFIG_REGIONS.len()), 1..4)),
    ) {
        let dir = scratch("model");
        save_small_model(&dir);
        let path = dir.join(MODEL_FILES[which]);
        let bytes = std::fs::read(&path).unwrap();
        let damaged = match (&edits, which) {
            // JSON files get field edits (values that break assumptions) instead of byte damage.
            (Some(edits), 0 | 3) => {
                let mut value: Value = serde_json::from_slice(&bytes).unwrap();
                for edit in edits {
                    apply_json(&mut value, &CONFIG_REGIONS, edit);
                }
                serde_json::to_vec(&value).unwrap()
            }
            _ => damage(&bytes, cut, &flips),
        };
        std::fs::write(&path, &damaged).unwrap();
        let loaded = load_model(&dir, &Device::flex());
        std::fs::remove_dir_all(&dir).unwrap();
        match loaded {
            Ok((model, config, _)) => {
                prop_assert!(config.model.check().is_ok());
                prop_assert!(check_finite(&burn::tensor::Bytes::from_bytes_vec(record_bytes(&model).unwrap())).is_ok());
            }
            Err(e) => {
                let shown = e.to_string();
                prop_assert!(shown.contains(&dir.display().to_string()), "the error does not name the folder's file: {shown}");
            }
        }
    }
}

#[test]
fn the_undamaged_checkpoint_and_folder_load() {
    assert!(resumes_or_names_the_file(&checkpoint().to_bytes()).unwrap());
    let dir = scratch("whole");
    save_small_model(&dir);
    assert!(load_model(&dir, &Device::flex()).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Found by `a_damaged_checkpoint_resumes_or_is_refused`: a length field near u64::MAX made
/// `at + len` overflow (a panic in a debug build, a wrapped range in release).
#[test]
fn a_length_past_the_end_is_an_error() {
    for value in [u64::MAX, u64::MAX - 7, 1 << 40] {
        let bytes = damaged_checkpoint(&Damage::Length(1, value));
        let err = Checkpoint::from_bytes(&bytes, Path::new("c.gpockpt")).unwrap_err().to_string();
        assert!(err.contains("c.gpockpt") && err.contains("model: length"), "{err}");
    }
}

/// A model record whose bits flip a weight to NaN is refused on load, not only by a manifest's
/// checksum.
#[test]
fn a_record_with_a_nan_weight_is_refused() {
    let bytes = record_bytes(&init_model(&model_config(), 1, &Device::flex())).unwrap();
    // The pack's tensor data is 4-byte aligned f32s at its end: make one of them NaN.
    let at = bytes.len() - 4;
    let mut nan = bytes.clone();
    nan[at..].copy_from_slice(&f32::NAN.to_le_bytes());
    let err = model_from_record(&model_config(), nan, &Device::flex()).unwrap_err();
    assert!(matches!(err, super::saved::ExportError::NotFinite { .. }), "{err}");
    let mut inf = bytes;
    inf[at..].copy_from_slice(&f32::INFINITY.to_le_bytes());
    assert!(model_from_record(&model_config(), inf, &Device::flex()).is_err());
}

/// A config.json whose sizes cannot be built is named as the file at fault, with its field.
#[test]
fn a_bad_size_in_config_json_names_config_json() {
    let dir = scratch("heads");
    save_small_model(&dir);
    let path = dir.join("config.json");
    let mut config: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    config["model"]["heads"] = 3.into();
    std::fs::write(&path, serde_json::to_vec(&config).unwrap()).unwrap();
    let err = load_model(&dir, &Device::flex()).expect_err("refused").to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(err.contains("config.json") && err.contains("heads"), "{err}");
}
