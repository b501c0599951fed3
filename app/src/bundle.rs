//! Fetching the bundle at start-up: the manifest, then every file of the surveys a person can
//! answer, each checked against the manifest's size and sha256. The encoder files (for a later
//! editor) and the non-personal surveys are not downloaded.

use std::collections::HashMap;

use gpo_core::export::bundle::{Manifest, SurveyEntry};

use crate::fetch::fetch_bytes;

/// Where the bundle is served, relative to the page.
pub const BUNDLE_DIR: &str = "bundle";

/// The verified bytes of the personal surveys, kept so a backend switch can rebuild the
/// models without any network request.
pub struct LoadedBundle {
    pub surveys: Vec<SurveyEntry>,
    files: HashMap<String, Vec<u8>>,
}

impl LoadedBundle {
    pub fn file(&self, name: &str) -> Result<&[u8], String> {
        self.files.get(name).map(|b| b.as_slice()).ok_or_else(|| format!("{name} was not downloaded"))
    }
}

/// Download progress: bytes so far and in all (known once the manifest is in).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub loaded: u64,
    pub total: Option<u64>,
    pub file: String,
}

/// Fetches and verifies the bundle; every failure is one readable sentence.
pub async fn load_bundle(mut on_progress: impl FnMut(Progress)) -> Result<LoadedBundle, String> {
    let manifest_url = format!("{BUNDLE_DIR}/manifest.json");
    on_progress(Progress { loaded: 0, total: None, file: "manifest.json".into() });
    let manifest_bytes = fetch_bytes(&manifest_url, |_| {}).await?;
    let manifest = Manifest::parse(&manifest_bytes, "manifest.json").map_err(|e| e.to_string())?;
    let surveys: Vec<SurveyEntry> = manifest.surveys.iter().filter(|s| s.personal).cloned().collect();
    if surveys.is_empty() {
        return Err("the bundle has no survey a person can answer".into());
    }
    let names: Vec<String> =
        surveys.iter().flat_map(|s| [s.survey.clone(), s.embeddings.clone(), s.model.clone()]).collect();
    let mut total = 0;
    for name in &names {
        total += manifest.entry(name).map_err(|e| e.to_string())?.bytes;
    }
    let mut files = HashMap::new();
    let mut done = 0;
    for name in names {
        let url = format!("{BUNDLE_DIR}/{name}");
        let bytes = fetch_bytes(&url, |so_far| {
            on_progress(Progress { loaded: (done + so_far).min(total), total: Some(total), file: name.clone() })
        })
        .await?;
        manifest.verify(&name, &bytes).map_err(|e| e.to_string())?;
        done += bytes.len() as u64;
        files.insert(name, bytes);
    }
    on_progress(Progress { loaded: total, total: Some(total), file: String::new() });
    Ok(LoadedBundle { surveys, files })
}
