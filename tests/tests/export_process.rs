//! `gpo export-web` as a process, killed with SIGKILL at random moments while it replaces a
//! bundle with one of another model: after every kill the bundle folder is the old bundle or
//! the new one — its manifest one of the two and every file matching the manifest's checksums,
//! nothing else in it — never a mixture, a partial folder or none.
//!
//! Needs the `gpo` binary (`cargo build -p gpo-core --bin gpo`), found at `GPO_BIN` or in the
//! target folder, and the MiniLM files (the survey's embeddings). `GPO_KILL_SEED` replays one
//! schedule of kills.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gpo_core::export::bundle::Manifest;
use gpo_core::util::rng::Rng;
use gpo_tests::{finish, gpo_binary, kill_seed, verified_bundle, write_generated_survey};

const ID: &str = "export-kill";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gpo-export-process-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn command(root: &Path) -> Command {
    let mut command = Command::new(gpo_binary());
    command.env("GPO_CACHE_DIR", root.join("cache")).stdout(Stdio::null()).stderr(Stdio::piped());
    command
}

/// A small model of the survey for the page, trained with `seed`, in `<root>/model-<seed>`.
fn train(root: &Path, seed: u64) -> PathBuf {
    let out = root.join(format!("model-{seed}"));
    let mut command = command(root);
    command.arg("train").arg("--survey").arg(root.join("survey"));
    command.args(["--split", "0.8", "--seed", &seed.to_string(), "--steps", "4", "--eval-every", "2"]);
    command.args(["--layers", "1", "--d-model", "16", "--d-ff", "32"]).arg("--out").arg(&out);
    finish(command.spawn().expect("gpo starts"), "gpo train");
    out
}

/// `gpo export-web` of the survey with the model in `<root>/models/web-<ID>` into `out`.
fn export(root: &Path, out: &Path) -> Child {
    let mut command = command(root);
    command.arg("export-web").arg("--survey").arg(root.join("survey"));
    command.args(["--personal", "", "--editor", "", "--no-encoder"]).arg("--models").arg(root.join("models"));
    command.arg("--out").arg(out).spawn().expect("gpo starts")
}

/// Puts the model trained with `seed` in the place export-web reads it from.
fn use_model(root: &Path, seed: u64) {
    let place = root.join("models").join(format!("web-{ID}"));
    let _ = std::fs::remove_dir_all(&place);
    std::fs::create_dir_all(&place).unwrap();
    for entry in std::fs::read_dir(root.join(format!("model-{seed}"))).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), place.join(entry.file_name())).unwrap();
    }
}

#[test]
fn a_killed_export_leaves_the_old_bundle_or_the_new_one() {
    let root = scratch("kill");
    write_generated_survey(&root.join("survey"), ID, 30, 8);
    train(&root, 0);
    train(&root, 1);
    // The bundle of each model, for reference.
    let mut bundles: Vec<Manifest> = Vec::new();
    let mut whole_run = Duration::MAX;
    for seed in [0, 1] {
        use_model(&root, seed);
        let out = root.join(format!("reference-{seed}"));
        let started = Instant::now();
        finish(export(&root, &out), "an uninterrupted export");
        whole_run = whole_run.min(started.elapsed());
        bundles.push(verified_bundle(&out).unwrap_or_else(|e| panic!("an uninterrupted export: {e}")));
    }
    assert_ne!(bundles[0].files, bundles[1].files, "two models make two bundles");

    let seed = kill_seed();
    let mut rng = Rng::new(seed);
    let out = root.join("bundle");
    use_model(&root, 0);
    finish(export(&root, &out), "the first export");
    let (mut current, mut interrupted, mut replaced) = (0usize, 0, 0);
    for attempt in 0..8 {
        let next = 1 - current;
        use_model(&root, next as u64);
        let mut child = export(&root, &out);
        // From start-up to past the measured end (a run may be slower than the measured one):
        // some kills land while the bundle is written and swapped, some after the export.
        let delay = whole_run.mul_f64(1.6 * rng.unit());
        std::thread::sleep(delay);
        if child.try_wait().expect("status").is_none() {
            interrupted += 1;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let found = verified_bundle(&out).unwrap_or_else(|e| {
            panic!("kill {attempt} after {delay:?} (GPO_KILL_SEED={seed}) left a bundle the page refuses: {e}")
        });
        let which = bundles.iter().position(|b| b.files == found.files).unwrap_or_else(|| {
            panic!(
                "kill {attempt} after {delay:?} (GPO_KILL_SEED={seed}): a bundle that is neither the old nor the new"
            )
        });
        assert!(which == current || which == next);
        if which != current {
            replaced += 1;
        }
        current = which;
    }
    eprintln!("{interrupted} of 8 kills interrupted an export; {replaced} exports finished first");
    // The next export removes what the killed ones left beside the bundle.
    use_model(&root, 1 - current as u64);
    finish(export(&root, &out), "the export after the kills");
    let beside: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".bundle."))
        .collect();
    assert!(beside.is_empty(), "left beside the bundle: {beside:?}");
    assert!(interrupted >= 1, "none of 8 kills interrupted an export (GPO_KILL_SEED={seed})");
    std::fs::remove_dir_all(root).unwrap();
}
