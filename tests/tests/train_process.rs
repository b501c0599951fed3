//! `gpo train` as a process: the same seed writes the same model bytes in two runs, and a run
//! killed with SIGKILL at random moments (before, between and during checkpoint writes), then
//! resumed each time, ends with the same bytes as an uninterrupted run. After every kill the
//! checkpoint is either absent or whole.
//!
//! Needs the `gpo` binary (`cargo build -p gpo-core --bin gpo`, as `scripts/test.sh` does), found
//! at `GPO_BIN` or in the target folder. `GPO_KILL_SEED` replays one schedule of kills.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use gpo_core::train::checkpoint::Checkpoint;
use gpo_core::util::rng::Rng;
use gpo_tests::{finish, gpo_binary, kill_seed};

/// Training steps of each run (RUN's `--steps`).
const STEPS: usize = 40;

/// The training run every test starts: GD4, one split and seed, `STEPS` steps.
const RUN: [&str; 9] = ["train", "--task", "gd4", "--split", "0.6", "--seed", "3", "--steps", "40"];

/// What must be byte-identical (meta.json also records the seconds the run took).
const MODEL_FILES: [&str; 3] = ["config.json", "model.bpk", "model.safetensors"];

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gpo-train-process-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A short GD4 training run writing its model to `out` (checkpointing every other step).
fn train(out: &Path, resume: bool) -> Child {
    let mut command = Command::new(gpo_binary());
    command.args(RUN).args(["--eval-every", "10"]);
    command.args(["--checkpoint-every", "2", "--layers", "1", "--d-model", "32", "--d-ff", "64", "--embed-depth", "2"]);
    command.arg("--out").arg(out);
    if resume {
        command.arg("--resume");
    }
    command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("gpo starts")
}

fn model_bytes(dir: &Path) -> Vec<Vec<u8>> {
    MODEL_FILES
        .iter()
        .map(|name| std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display())))
        .collect()
}

fn assert_same_model(a: &Path, b: &Path, what: &str) {
    for ((name, x), y) in MODEL_FILES.iter().zip(model_bytes(a)).zip(model_bytes(b)) {
        assert!(x == y, "{what}: {name} differs ({} vs {} bytes)", x.len(), y.len());
    }
}

#[test]
fn seeded_training_is_bit_reproducible_and_survives_sigkill() {
    assert_eq!(RUN[8].parse::<usize>().ok(), Some(STEPS), "RUN's --steps is STEPS");
    let first = scratch("first");
    let started = Instant::now();
    finish(train(&first, false), "the first run");
    let first_run = started.elapsed();
    let second = scratch("second");
    let started = Instant::now();
    finish(train(&second, false), "the second run");
    // The first run may pay for a cold cache: the faster of the two is the run's length.
    let whole_run = first_run.min(started.elapsed());
    assert_same_model(&first, &second, "two uninterrupted runs");

    let seed = kill_seed();
    let mut rng = Rng::new(seed);
    let killed = scratch("killed");
    let checkpoint = killed.join("checkpoint.gpockpt");
    let mut interrupted = 0;
    // A resumed run has less left to do, and a busy machine runs at another speed than the
    // measured runs: a schedule whose kills came too late (fewer than two interrupted a run)
    // starts again from nothing with its delays halved.
    let mut scale = 1.0;
    for _chain in 0..4 {
        let _ = std::fs::remove_dir_all(&killed);
        interrupted = 0;
        let mut done_steps = 0;
        for attempt in 0..5 {
            let mut child = train(&killed, attempt > 0);
            // Anywhere from start-up (data, embeddings) to the last steps and the final save,
            // of what is left (start-up included).
            let left = (1.0 - done_steps as f64 / STEPS as f64).max(0.3);
            let delay = whole_run.mul_f64(scale * left * (0.15 + 0.8 * rng.unit()));
            std::thread::sleep(delay);
            if child.try_wait().expect("status").is_none() {
                interrupted += 1;
            }
            child.kill().expect("SIGKILL");
            child.wait().expect("reaped");
            if checkpoint.exists() {
                let whole = Checkpoint::load(&checkpoint).unwrap_or_else(|e| {
                    panic!("kill {attempt} after {delay:?} (GPO_KILL_SEED={seed}) left a torn checkpoint: {e}")
                });
                done_steps = whole.meta.step;
            }
        }
        if interrupted >= 2 {
            break;
        }
        scale /= 2.0;
    }
    finish(train(&killed, true), "the resumed run");
    assert!(interrupted >= 2, "only {interrupted} of 5 kills interrupted the run (GPO_KILL_SEED={seed})");
    assert_same_model(&first, &killed, &format!("a run killed {interrupted} times (GPO_KILL_SEED={seed})"));

    // Whatever an interrupted write left beside the files, nothing else is in the folder.
    let mut names: Vec<String> =
        std::fs::read_dir(&killed).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.retain(|name| !name.contains(".tmp-"));
    names.sort();
    assert_eq!(names, ["checkpoint.gpockpt", "config.json", "meta.json", "model.bpk", "model.safetensors"]);
    for dir in [first, second, killed] {
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn the_binary_refuses_a_resume_with_other_settings() {
    let dir = scratch("other");
    finish(train(&dir, false), "the run");
    let output = Command::new(gpo_binary())
        .args(RUN)
        .args(["--layers", "2"])
        .arg("--out")
        .arg(&dir)
        .arg("--resume")
        .output()
        .expect("gpo runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("checkpoint.gpockpt") && stderr.contains("another configuration"), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}
