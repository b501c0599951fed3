//! A full disk, for real: a 2 MB tmpfs mounted for the test holds a model folder, a web bundle
//! and an embedding cache; a filler file then takes all but a few kB, and `gpo train`,
//! `gpo export-web` and `gpo embed` each end with one error naming the file they could not write
//! ("No space left on device"), the previous files byte for byte as they were and nothing half
//! written left beside them.
//!
//! Mounting needs root (CI runs as root); where `mount` is refused the test prints why and
//! passes without checking anything. Needs the `gpo` binary and the MiniLM files.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gpo_tests::{gpo_binary, verified_bundle, write_generated_survey};

const ID: &str = "full-disk";

/// The tmpfs, unmounted (and its folder removed) when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// A `size` tmpfs at a new folder, or why it could not be mounted.
    fn mount(size: &str) -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("gpo-full-disk-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&dir)
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !output.status.success() {
            let _ = std::fs::remove_dir(&dir);
            return Err(String::from_utf8_lossy(&output.stderr).split_whitespace().collect::<Vec<_>>().join(" "));
        }
        Ok(Self(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Every file below `dir`, by path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(snapshot(&path));
        } else {
            files.insert(path.clone(), std::fs::read(&path).unwrap());
        }
    }
    files
}

/// Fills the disk holding `dir` but for `leave` bytes; the filler, to remove afterwards.
fn fill(dir: &Path, leave: u64) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).unwrap();
    let block = vec![0u8; 4096];
    let mut written = 0u64;
    while file.write_all(&block).is_ok() {
        written += block.len() as u64;
    }
    drop(file);
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(written.saturating_sub(leave)).unwrap();
    file.sync_all().unwrap();
    path
}

fn gpo(root: &Path, cache: &Path, args: &[&str], paths: &[(&str, &Path)]) -> Output {
    let mut command = Command::new(gpo_binary());
    command.env("GPO_CACHE_DIR", cache).args(args);
    for (flag, path) in paths {
        command.arg(flag).arg(path);
    }
    command.current_dir(root).stdout(Stdio::null()).stderr(Stdio::piped()).output().expect("gpo runs")
}

fn succeeded(output: Output, what: &str) {
    assert!(output.status.success(), "{what} failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// The run failed with one error that names `file` and says the disk is full.
fn refused_for_space(output: Output, file: &Path, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{what} succeeded on a full disk: {stderr}");
    assert!(stderr.contains("No space left on device"), "{what}: {stderr}");
    assert!(
        stderr.contains(&file.display().to_string()),
        "{what}: the error names no file under {}: {stderr}",
        file.display()
    );
    assert_eq!(stderr.lines().filter(|l| l.starts_with("error:")).count(), 1, "{what}: one error: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

#[test]
fn a_full_disk_is_one_error_and_the_previous_files_stay() {
    let disk = match Tmpfs::mount("2m") {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("SKIPPED: cannot mount a tmpfs here ({why}); the full-disk test needs root");
            return;
        }
    };
    let root = std::env::temp_dir().join(format!("gpo-full-disk-work-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let survey = root.join("survey");
    write_generated_survey(&survey, ID, 30, 8);
    let cache = root.join("cache");
    let train = |seed: &str, out: &Path| {
        let args = ["train", "--split", "0.8", "--seed", seed, "--steps", "4", "--eval-every", "2"];
        let args = [&args[..], &["--layers", "1", "--d-model", "16", "--d-ff", "32"]].concat();
        gpo(&root, &cache, &args, &[("--survey", &survey), ("--out", out)])
    };
    let export = |models: &Path, out: &Path| {
        let args = ["export-web", "--personal", "", "--editor", "", "--no-encoder"];
        gpo(&root, &cache, &args, &[("--survey", &survey), ("--models", models), ("--out", out)])
    };

    // The previous files, written while there is room.
    let models = disk.0.join("models");
    let model = models.join(format!("web-{ID}"));
    succeeded(train("0", &model), "the first training run");
    let bundle = disk.0.join("bundle");
    succeeded(export(&models, &bundle), "the first export");
    let disk_cache = disk.0.join("cache");
    succeeded(gpo(&root, &disk_cache, &["embed", "--format", "qa"], &[("--survey", &survey)]), "the first embed");
    let before = snapshot(&disk.0);

    let filler = fill(&disk.0, 8192);
    // A model of another seed over the previous one: its checkpoint or model files do not fit.
    refused_for_space(train("1", &model), &model, "gpo train");
    // A bundle of the other model (trained off the disk) over the previous bundle.
    let other = root.join("models");
    succeeded(train("1", &other.join(format!("web-{ID}"))), "training off the full disk");
    refused_for_space(export(&other, &bundle), &bundle, "gpo export-web");
    // More texts into the cache.
    let more = root.join("more");
    write_generated_survey(&more, "full-disk-more", 40, 3);
    refused_for_space(
        gpo(&root, &disk_cache, &["embed", "--format", "qa"], &[("--survey", &more)]),
        &disk_cache,
        "gpo embed",
    );

    std::fs::remove_file(filler).unwrap();
    let after = snapshot(&disk.0);
    let names = |files: &BTreeMap<PathBuf, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&after), names(&before), "nothing half-written is left, nothing is lost");
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{} changed", path.display());
    }
    verified_bundle(&bundle).expect("the previous bundle still loads");
    std::fs::remove_dir_all(root).unwrap();
}
