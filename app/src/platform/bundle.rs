//! Fetching the bundle at start-up: the manifest, then every file of the surveys a person can
//! answer, each checked against the manifest's size and sha256. The encoder files and the
//! surveys only the editor uses are downloaded later, when the editor needs them. A failed or
//! cut-off transfer is tried again (three tries in all) before it is reported.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use gpo_core::export::bundle::{BundleError, Manifest, SurveyEntry};

use crate::domain::error::PageError;
use crate::domain::progress::Progress;
use crate::platform::browser::sleep_ms;
use crate::platform::fetch::fetch_bytes;

/// Where the bundle is served, relative to the page.
pub const BUNDLE_DIR: &str = "bundle";

/// The verified bytes of the personal surveys, kept so a backend switch can rebuild the
/// models without any network request.
pub struct LoadedBundle {
    pub manifest: Manifest,
    /// The personal surveys, in the bundle's order.
    pub surveys: Vec<SurveyEntry>,
    files: HashMap<String, Vec<u8>>,
    /// Surveys downloaded later for the editor's group predictions (kept like the others).
    extra: RefCell<Vec<ExtraSurvey>>,
}

/// A survey the editor downloaded: its entry and the verified bytes of its three files.
#[derive(Clone)]
pub struct ExtraSurvey {
    pub entry: SurveyEntry,
    pub survey: Rc<Vec<u8>>,
    pub embeddings: Rc<Vec<u8>>,
    pub model: Rc<Vec<u8>>,
}

impl LoadedBundle {
    pub fn file(&self, name: &str) -> Result<&[u8], PageError> {
        let missing = || BundleError::Invalid { file: name.to_string(), detail: "not downloaded".into() };
        self.files.get(name).map(|b| b.as_slice()).ok_or_else(|| missing().into())
    }

    /// Every survey of the bundle (personal or not), in the bundle's order.
    pub fn all_surveys(&self) -> &[SurveyEntry] {
        &self.manifest.surveys
    }

    pub fn extra_surveys(&self) -> Vec<ExtraSurvey> {
        self.extra.borrow().clone()
    }

    pub fn add_extra(&self, survey: ExtraSurvey) {
        let mut extra = self.extra.borrow_mut();
        if !extra.iter().any(|e| e.entry.task == survey.entry.task) {
            extra.push(survey);
        }
    }
}

/// Tries of one file before its download counts as failed: an interrupted or cut-off transfer
/// is fetched again after [`RETRY_DELAY_MS`] × the tries so far, without reloading the page.
pub const DOWNLOAD_TRIES: u32 = 3;
pub const RETRY_DELAY_MS: i32 = 500;

/// Fetches one file of the bundle and checks it against the manifest; `on_bytes(so_far)`.
async fn fetch_verified(manifest: &Manifest, name: &str, mut on_bytes: impl FnMut(u64)) -> Result<Vec<u8>, PageError> {
    let url = format!("{BUNDLE_DIR}/{name}");
    let mut tries = 0;
    loop {
        tries += 1;
        let result = fetch_bytes(&url, &mut on_bytes).await.and_then(|bytes| {
            manifest.verify(name, &bytes)?;
            Ok(bytes)
        });
        match result {
            Err(error) if error.worth_retrying() && tries < DOWNLOAD_TRIES => {
                on_bytes(0);
                sleep_ms(RETRY_DELAY_MS * tries as i32).await;
            }
            result => return result,
        }
    }
}

/// Downloads and verifies the bundle's files `names` in order, `on_progress` over all of them
/// together (the page's one download-progress path: the bundle, an editor survey, the encoder).
pub async fn fetch_files(
    manifest: &Manifest,
    names: &[String],
    mut on_progress: impl FnMut(Progress),
) -> Result<Vec<Vec<u8>>, PageError> {
    let mut total = 0;
    for name in names {
        total += manifest.entry(name)?.bytes;
    }
    let mut done = 0;
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let bytes = fetch_verified(manifest, name, |so_far| {
            on_progress(Progress { loaded: (done + so_far).min(total), total: Some(total), file: name.clone() })
        })
        .await?;
        done += bytes.len() as u64;
        files.push(bytes);
    }
    on_progress(Progress { loaded: total, total: Some(total), file: String::new() });
    Ok(files)
}

/// Downloads the files of an editor-only survey (`on_progress` as for the bundle).
pub async fn fetch_extra(
    manifest: &Manifest,
    entry: &SurveyEntry,
    on_progress: impl FnMut(Progress),
) -> Result<ExtraSurvey, PageError> {
    let names = [entry.survey.clone(), entry.embeddings.clone(), entry.model.clone()];
    let mut files = fetch_files(manifest, &names, on_progress).await?.into_iter().map(Rc::new);
    let mut next = || files.next().unwrap_or_default();
    let (survey, embeddings, model) = (next(), next(), next());
    Ok(ExtraSurvey { entry: entry.clone(), survey, embeddings, model })
}

/// Fetches and verifies the bundle; every failure is one readable sentence.
pub async fn load_bundle(mut on_progress: impl FnMut(Progress)) -> Result<LoadedBundle, PageError> {
    let manifest_url = format!("{BUNDLE_DIR}/manifest.json");
    on_progress(Progress { loaded: 0, total: None, file: "manifest.json".into() });
    let manifest_bytes = fetch_bytes(&manifest_url, |_| {}).await?;
    let manifest = Manifest::parse(&manifest_bytes, "manifest.json")?;
    let surveys: Vec<SurveyEntry> = manifest.surveys.iter().filter(|s| s.personal).cloned().collect();
    if surveys.is_empty() {
        let detail = "the bundle has no survey a person can answer".into();
        return Err(BundleError::Invalid { file: "manifest.json".into(), detail }.into());
    }
    let names: Vec<String> =
        surveys.iter().flat_map(|s| [s.survey.clone(), s.embeddings.clone(), s.model.clone()]).collect();
    let bytes = fetch_files(&manifest, &names, on_progress).await?;
    let files: HashMap<String, Vec<u8>> = names.into_iter().zip(bytes).collect();
    Ok(LoadedBundle { manifest, surveys, files, extra: RefCell::new(Vec::new()) })
}
