//! `gpo embed` as a process, killed with SIGKILL at random moments (start-up, encoding, the
//! cache writes after every 512 texts and at the end): the embedding cache is whole or absent
//! after every kill — never torn — and a run after the kills completes it.
//!
//! Needs the `gpo` binary (`cargo build -p gpo-core --bin gpo`), found at `GPO_BIN` or in the
//! target folder, and the MiniLM files (`scripts/setup.sh model`). `GPO_KILL_SEED` replays one
//! schedule of kills.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use gpo_core::data::format::read_survey;
use gpo_core::embed::weights::MINILM_SHA256;
use gpo_core::embed::{EmbeddingStore, TaskEmbeddings, TextFormat};
use gpo_core::util::rng::Rng;
use gpo_tests::{finish, gpo_binary, kill_seed, write_generated_survey};

/// Runs killed (each a few seconds: the test's time is mostly MiniLM's).
const KILLS: usize = 4;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gpo-embed-process-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `gpo embed` of the survey in `survey` into the cache folder `cache`.
fn embed(survey: &Path, cache: &Path) -> Child {
    Command::new(gpo_binary())
        .args(["embed", "--format", "qa", "--survey"])
        .arg(survey)
        .env("GPO_CACHE_DIR", cache)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gpo starts")
}

#[test]
fn a_killed_embed_leaves_the_cache_whole_or_absent() {
    let root = scratch("kill");
    let survey = root.join("survey");
    // 180 questions of 3 options: 540 texts, so the cache is written mid-run (after 512) and at
    // the end.
    write_generated_survey(&survey, "embed-kill", 180, 3);
    let texts = TaskEmbeddings::texts(&read_survey(&survey).unwrap(), TextFormat::QuestionOption);
    let cache = |n: usize| root.join(format!("cache-{n}"));
    let store = |dir: &Path| EmbeddingStore::path_in(dir, MINILM_SHA256, TextFormat::QuestionOption.id());

    let started = Instant::now();
    let child = embed(&survey, &cache(0));
    finish(child, "the uninterrupted run");
    let whole_run = started.elapsed();
    let complete = EmbeddingStore::load(&store(&cache(0))).unwrap().expect("a cache");
    assert!(texts.iter().all(|t| complete.contains(t)), "an uninterrupted run embeds every text");

    let seed = kill_seed();
    let mut rng = Rng::new(seed);
    let (mut interrupted, mut seen_partial) = (0, false);
    let dir = cache(1);
    let mut left = 1.0;
    for attempt in 0..KILLS {
        let mut child = embed(&survey, &dir);
        // Anywhere from start-up through encoding to the save after 512 texts and the final
        // save, of what is left to embed (start-up included).
        let delay = whole_run.mul_f64(left * (0.3 + 0.75 * rng.unit()));
        std::thread::sleep(delay);
        if child.try_wait().expect("status").is_none() {
            interrupted += 1;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        match EmbeddingStore::load(&store(&dir)) {
            Ok(None) => {}
            Ok(Some(cache)) => {
                let held = texts.iter().filter(|t| cache.contains(t)).count();
                seen_partial |= held < texts.len();
                assert_eq!(cache.len(), held, "kill {attempt}: texts that are not the survey's");
                left = (1.0 - held as f64 / texts.len() as f64).max(0.3);
            }
            Err(e) => panic!("kill {attempt} after {delay:?} (GPO_KILL_SEED={seed}) left a torn cache: {e}"),
        }
        // Halfway, a fresh cache again, so that later kills land in a first fill too.
        if attempt + 1 == KILLS / 2 {
            let _ = std::fs::remove_dir_all(&dir);
            left = 1.0;
        }
    }
    assert!(interrupted >= 1, "none of {KILLS} kills interrupted a run (GPO_KILL_SEED={seed})");
    finish(embed(&survey, &dir), "the run after the kills");
    let rerun = EmbeddingStore::load(&store(&dir)).unwrap().expect("a cache");
    assert!(texts.iter().all(|t| rerun.contains(t)), "the run after the kills completes the cache");
    for text in texts.iter().step_by(37) {
        let (a, b) = (rerun.get(text).unwrap(), complete.get(text).unwrap());
        let apart = a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
        assert!(apart < 1e-4, "{text}: {apart} from the uninterrupted run's vector");
    }
    eprintln!("{interrupted} of {KILLS} kills interrupted a run; a kept cache was partial: {seen_partial}");
    std::fs::remove_dir_all(root).unwrap();
}
