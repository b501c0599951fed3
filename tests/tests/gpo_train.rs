//! GPO trains on the real data (a short version of `gpo reproduce`): the loss falls, the
//! validation score rises, the results table has its shape, a resumed run ends where an
//! uninterrupted one ends, and CPU and wgpu give the same predictions.

use burn::prelude::*;
use gpo_core::data::Task;
use gpo_core::embed::TextFormat;
use gpo_core::eval::factor::FactorMethod;
use gpo_core::eval::gpo_method::GpoMethod;
use gpo_core::eval::knn::KnnMethod;
use gpo_core::eval::ridge::RidgeMethod;
use gpo_core::eval::run::{Method, PriorMethod, UniformMethod, run_methods};
use gpo_core::model::{EpisodeInput, GpoConfig, GpoRunner, Population};
use gpo_core::protocol::{self, ProtocolConfig};
use gpo_core::train::saved::{record_bytes, safetensors_bytes};
use gpo_core::train::trainer::{TrainData, TrainRun, init_model, train};
use gpo_core::train::{SamplingConfig, TrainConfig};
use gpo_tests::{embeddings, survey};

fn small(steps: usize, prior: bool) -> TrainConfig {
    let model = GpoConfig::new().with_layers(2).with_d_model(64).with_d_ff(128).with_prior_input(prior);
    let sampling = SamplingConfig::new().with_context_max(30).with_target_max(30);
    TrainConfig::new(model, sampling).with_steps(steps).with_batch_size(8).with_learning_rate(1e-3).with_eval_every(50)
}

fn run(config: TrainConfig) -> TrainRun {
    TrainRun { config, device: Device::flex(), checkpoint: None, checkpoint_every: 10, resume: false, stop_after: None }
}

#[test]
fn the_paper_model_learns_loss_falls_and_validation_rises() {
    let s = survey(Task::Oqa);
    let e = embeddings(&s, TextFormat::QuestionOption);
    let split = protocol::split(&s, &ProtocolConfig::new(0.6, 0)).unwrap();
    let data = TrainData { survey: &s, embeddings: &e, train: &split.train, validation: &split.validation };
    let outcome = train(&data, &run(small(200, false)), |_| {}).unwrap();
    let h = &outcome.history;
    let first_loss = h.iter().find_map(|p| p.loss).unwrap();
    let last_loss = h.last().unwrap().loss.unwrap();
    assert!(last_loss < first_loss - 0.1, "loss {first_loss} → {last_loss}");
    let untrained = h[0].validation.unwrap();
    let best = outcome.best_score.unwrap();
    assert!(best > untrained + 0.02, "validation {untrained} → {best}");
}

#[test]
fn reproduce_table_has_every_method_and_gpo_beats_the_simple_baselines() {
    let s = survey(Task::Oqa);
    let e = embeddings(&s, TextFormat::QuestionOption);
    let gpo = GpoMethod::new(&e, TextFormat::QuestionOption, small(40, true), Device::flex(), |_, _, _| {});
    let (ridge, knn, factor) = (RidgeMethod { embeddings: &e, base: None }, KnnMethod::new(&e), FactorMethod::new(&s));
    let methods: Vec<&dyn Method> = vec![&UniformMethod, &PriorMethod, &ridge, &knn, &factor, &gpo];
    let table = run_methods(&s, &methods, &[0.6], &[0], |_, _, _, _| {}).unwrap();
    assert_eq!(table.methods(), vec!["uniform", "prior", "ridge", "knn", "factor", "gpo"]);
    let mean = |m: &str| table.row(m, 0.6).unwrap().mean;
    for baseline in ["uniform", "prior", "ridge", "knn"] {
        assert!(mean("gpo") > mean(baseline), "gpo {} vs {baseline} {}", mean("gpo"), mean(baseline));
    }
    assert_eq!(gpo.trained.borrow().len(), 1);
}

#[test]
fn a_resumed_run_ends_where_an_uninterrupted_run_ends() {
    let s = survey(Task::Gd4);
    let e = embeddings(&s, TextFormat::QuestionOption);
    let split = protocol::split(&s, &ProtocolConfig::new(0.6, 1)).unwrap();
    let data = TrainData { survey: &s, embeddings: &e, train: &split.train, validation: &split.validation };
    let config = small(30, true).with_eval_every(10);
    let whole = train(&data, &run(config.clone()), |_| {}).unwrap();

    let path = std::env::temp_dir().join(format!("gpo-resume-{}.gpockpt", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut interrupted = run(config.clone());
    interrupted.checkpoint = Some(path.clone());
    interrupted.stop_after = Some(17);
    let first = train(&data, &interrupted, |_| {}).unwrap();
    assert_eq!(first.steps_run, 17);
    let mut resumed = run(config);
    resumed.checkpoint = Some(path.clone());
    resumed.resume = true;
    let rest = train(&data, &resumed, |_| {}).unwrap();
    assert_eq!(rest.steps_run, 13);
    assert_eq!(rest.history, whole.history, "the same losses and validation scores");
    assert_eq!(rest.best_step, whole.best_step);
    let max_diff =
        max_weight_difference(&safetensors_bytes(&rest.best).unwrap(), &safetensors_bytes(&whole.best).unwrap());
    assert!(max_diff == 0.0, "the same weights (max |diff| {max_diff})");
    assert!(record_bytes(&rest.best).unwrap() == record_bytes(&whole.best).unwrap(), "the same model.bpk bytes");
    assert!(
        safetensors_bytes(&rest.best).unwrap() == safetensors_bytes(&whole.best).unwrap(),
        "the same model.safetensors bytes"
    );
    std::fs::remove_file(path).unwrap();
}

/// Largest absolute difference between two safetensors files' f32 tensors of the same names.
fn max_weight_difference(a: &[u8], b: &[u8]) -> f32 {
    let (a, b) = (safetensors::SafeTensors::deserialize(a).unwrap(), safetensors::SafeTensors::deserialize(b).unwrap());
    let mut max = 0f32;
    for (name, view) in a.tensors() {
        let other = b.tensor(&name).unwrap_or_else(|_| panic!("{name} missing"));
        let floats = |bytes: &[u8]| {
            bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<_>>()
        };
        for (x, y) in floats(view.data()).iter().zip(floats(other.data())) {
            max = max.max((x - y).abs());
        }
    }
    max
}

/// The same weights give the same predictions on the CPU and on wgpu (Mesa in CI).
#[test]
fn cpu_and_wgpu_predict_the_same() {
    let Ok(gpu) = gpo_core::device::DeviceChoice::Wgpu.init() else {
        eprintln!("skipped: no wgpu adapter");
        return;
    };
    let s = survey(Task::Oqa);
    let e = embeddings(&s, TextFormat::QuestionOption);
    let config = GpoConfig::new().with_layers(2).with_d_model(64);
    let respondents: Vec<usize> = (0..20).collect();
    let population = Population::fit(&s, &e, &respondents, config.population_factors);
    let predict = |device: &Device| {
        let runner =
            GpoRunner::new(init_model(&config, 7, device), e.clone(), population.clone(), config.offset(), device);
        let r = &s.respondents[30];
        let context: Vec<(usize, &[f32])> = r.answers[..10].iter().map(|a| (a.question, a.probs.as_slice())).collect();
        let targets: Vec<usize> = r.answers[10..60].iter().map(|a| a.question).collect();
        runner.predict(&[EpisodeInput::new(context, targets)]).remove(0)
    };
    let (cpu, gpu) = (predict(&Device::flex()), predict(&gpu));
    for (a, b) in cpu.probs.iter().flatten().zip(gpu.probs.iter().flatten()) {
        assert!((a - b).abs() < 1e-4, "{a} vs {b}");
    }
}
