//! The person's own questions in localStorage, with their embeddings (so they are answerable in
//! the survey after a reload without loading the encoder). An unreadable entry is set aside and
//! reported, like saved answers; an entry of a newer version, or one that cannot be set aside,
//! is left as it is and never written over.

use gpo_core::embed::EMBED_DIM;
use gpo_core::export::bundle::Manifest;

use crate::domain::custom::{self, CustomQuestion};
use crate::domain::error::{PageError, summary};
use crate::platform::browser::{storage_get, storage_remove, storage_set};
use crate::platform::persist::{newer_notice, set_aside_notice};

pub const CUSTOM_KEY: &str = "gpo.custom.v1";

/// (sha256 of the weights, text format) of the bundle's encoder.
pub fn encoder_id(manifest: &Manifest) -> Option<(String, String)> {
    let entry = manifest.encoder.as_ref()?;
    let sha = manifest.entry(&entry.weights).ok()?.sha256.clone();
    Some((sha, entry.format.clone()))
}

/// The saved questions, and notices: an unreadable entry, questions left out, questions whose
/// embedding came from another encoder (they are embedded again when the editor opens).
pub fn load(manifest: &Manifest) -> (Vec<CustomQuestion>, Vec<String>) {
    let Some(saved) = storage_get(CUSTOM_KEY) else { return (Vec::new(), Vec::new()) };
    let encoder = encoder_id(manifest);
    let what = "Your saved questions";
    let parsed = match custom::parse(&saved, encoder.as_ref().map(|(s, f)| (s.as_str(), f.as_str())), EMBED_DIM) {
        Ok(parsed) => parsed,
        Err(error) if error.is_newer_version() => return (Vec::new(), vec![newer_notice(what, &error)]),
        Err(why) => return (Vec::new(), vec![set_aside_notice(CUSTOM_KEY, &saved, what, &why.to_string()).0]),
    };
    let mut notices = Vec::new();
    // Rewritten below only when the original is safe beside it (or nothing was wrong with it).
    let mut rewrite = true;
    if !parsed.problems.is_empty() {
        let why = format!("{} could not be read: {}", parsed.problems.len(), summary(&parsed.problems));
        let (notice, moved) = set_aside_notice(CUSTOM_KEY, &saved, what, &why);
        notices.push(notice);
        rewrite = moved;
    }
    let mut questions = parsed.questions;
    // Keys must be unique and ours; a question without one gets a fresh key.
    let mut taken: Vec<String> = Vec::new();
    for (i, question) in questions.iter_mut().enumerate() {
        if question.key.is_empty() || taken.contains(&question.key) {
            question.key = custom::new_key(&taken, i as f64);
        }
        taken.push(question.key.clone());
    }
    let stale = questions.iter().filter(|q| q.embedding.is_none()).count();
    if stale > 0 {
        notices.push(format!(
            "{stale} of your questions must be embedded again (the encoder changed); they are back in the survey once the editor has loaded."
        ));
    }
    if !notices.is_empty() && rewrite {
        let _ = save(&questions);
    }
    (questions, notices)
}

/// Saves the questions, unless the stored entry is one this page must not write over (a newer
/// version's, or an unreadable one that could not be set aside).
pub fn save(questions: &[CustomQuestion]) -> Result<(), PageError> {
    if let Some(saved) = storage_get(CUSTOM_KEY)
        && let Err(error) = custom::parse(&saved, None, EMBED_DIM)
    {
        return Err(PageError::input(format!("the entry saved there is left as it is: {error}")));
    }
    if questions.is_empty() {
        storage_remove(CUSTOM_KEY);
        return Ok(());
    }
    let text = custom::to_json(questions, true)?;
    storage_set(CUSTOM_KEY, &text)
}
