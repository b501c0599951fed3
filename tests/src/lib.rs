//! Shared helpers for the cross-crate tests in `tests/tests/`.

use std::path::{Path, PathBuf};

use gpo_core::data::{LoadOptions, Survey, Task, load_task, resolve_data_dir};
use gpo_core::embed::fill::{fill_store, open_store};
use gpo_core::embed::weights::{ModelFiles, resolve_cache_dir, resolve_model_dir};
use gpo_core::embed::{EMBED_DIM, EmbeddingStore, SentenceEncoder, TaskEmbeddings, TextFormat};

/// A task's real survey from the data folder (`../shared/data` or `GPO_DATA_DIR`).
pub fn survey(task: Task) -> Survey {
    let dir = resolve_data_dir(None).unwrap_or_else(|e| panic!("{e}"));
    load_task(task, &dir, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The survey's (question, option) embeddings from the cache, embedding what is missing.
pub fn embeddings(survey: &Survey, format: TextFormat) -> TaskEmbeddings {
    let cache = resolve_cache_dir(None).expect("cache folder");
    let sha = gpo_core::embed::weights::MINILM_SHA256;
    let path = EmbeddingStore::path_in(&cache, sha, format.id());
    let mut store = open_store(&path, sha, format.id(), EMBED_DIM, |w| eprintln!("warning: {w}"));
    let texts = TaskEmbeddings::texts(survey, format);
    if texts.iter().any(|t| !store.contains(t)) {
        let files = ModelFiles::read(&resolve_model_dir(None).unwrap_or_else(|e| panic!("{e}"))).expect("model files");
        let encoder = SentenceEncoder::new(files.weights, &files.tokenizer_json, &burn::prelude::Device::flex())
            .expect("encoder");
        fill_store(&encoder, &mut store, &path, &texts, |_, _| {}).expect("embedding");
    }
    TaskEmbeddings::from_store(survey, format, &store).expect("all texts embedded")
}

/// The `gpo` binary (`cargo build -p gpo-core --bin gpo`, as `scripts/test.sh` does), at
/// `GPO_BIN` or in the target folder.
pub fn gpo_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("GPO_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let path = target.join("debug/gpo");
    assert!(path.exists(), "no gpo binary at {} (cargo build -p gpo-core --bin gpo, or set GPO_BIN)", path.display());
    path
}

/// Runs `gpo` with `args`; its stdout, or its stderr as the error.
pub fn gpo(args: &[&str]) -> Result<String, String> {
    let output = std::process::Command::new(gpo_binary()).args(args).output().expect("gpo starts");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.success() { Ok(String::from_utf8(output.stdout).expect("gpo prints UTF-8")) } else { Err(stderr) }
}

/// Writes a generated survey folder (`gpo-survey/1`, groups): `questions` questions of three
/// options, `groups` groups answering every question with counts that follow one latent
/// leaning; the question texts carry `id` so that two surveys share no text.
pub fn write_generated_survey(dir: &Path, id: &str, questions: usize, groups: usize) {
    use std::fmt::Write as _;
    std::fs::create_dir_all(dir).unwrap();
    let manifest =
        format!(r#"{{"format": "gpo-survey/1", "id": "{id}", "title": "Generated {id}", "respondents": "groups"}}"#);
    std::fs::write(dir.join("survey.json"), manifest).unwrap();
    let mut rng = gpo_core::util::rng::Rng::new(questions as u64);
    let (mut text, mut answers) =
        (String::from("question,text,option,value\n"), String::from("respondent,question,option,weight\n"));
    for q in 0..questions {
        let loading = 3.0 * (rng.unit() - 0.5);
        for (k, option) in ["More", "Same", "Less"].iter().enumerate() {
            let question = if k == 0 { format!("{id}: should item {q} get more money?") } else { String::new() };
            writeln!(text, "q{q},{question},{option},{}", k + 1).unwrap();
        }
        for g in 0..groups {
            let lean = g as f64 / groups.max(2) as f64 * 2.0 - 1.0;
            for (k, option) in ["More", "Same", "Less"].iter().enumerate() {
                let count = (100.0 * ((k as f64 - 1.0) * loading * lean).exp()).round() + 1.0;
                writeln!(answers, "g{g},q{q},{option},{count}").unwrap();
            }
        }
    }
    std::fs::write(dir.join("questions.csv"), text).unwrap();
    std::fs::write(dir.join("answers.csv"), answers).unwrap();
}

/// The bundle in `dir` as the page would take it: its manifest parses and every file it lists
/// has the listed length and checksum, and nothing else is in the folder. Its manifest, or why
/// the page would refuse it.
pub fn verified_bundle(dir: &Path) -> Result<gpo_core::export::bundle::Manifest, String> {
    use gpo_core::export::bundle::Manifest;
    let bytes = std::fs::read(dir.join("manifest.json")).map_err(|e| format!("manifest.json: {e}"))?;
    let manifest = Manifest::parse(&bytes, "manifest.json").map_err(|e| e.to_string())?;
    for file in &manifest.files {
        let bytes = std::fs::read(dir.join(&file.name)).map_err(|e| format!("{}: {e}", file.name))?;
        manifest.verify(&file.name, &bytes).map_err(|e| e.to_string())?;
    }
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.retain(|name| name != "manifest.json" && !manifest.files.iter().any(|f| &f.name == name));
    if !names.is_empty() {
        return Err(format!("files the manifest does not list: {names:?}"));
    }
    Ok(manifest)
}

/// Waits for a `gpo` run started with piped stderr; fails the test with its stderr unless it
/// succeeded.
pub fn finish(child: std::process::Child, what: &str) {
    let output = child.wait_with_output().expect("gpo runs");
    assert!(output.status.success(), "{what} failed: {}", String::from_utf8_lossy(&output.stderr));
}

/// The seed of a kill test's schedule: `GPO_KILL_SEED` (to replay one), else the clock.
pub fn kill_seed() -> u64 {
    std::env::var("GPO_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    })
}
