//! What the page keeps in localStorage: each survey's answers, the backend choice and the last
//! survey. An entry the page cannot read (corrupted, or written by something else) is moved
//! aside to another key and reported, never trusted and never a crash.

use crate::domain::answers::SurveyAnswers;
use crate::domain::error::{PageError, summary};
use crate::domain::records::{from_records, parse_file, to_file};
use crate::domain::settings::BackendChoice;
use crate::domain::view::SurveyView;
use crate::platform::browser::{now_ms, storage_get, storage_keys, storage_remove, storage_set};

/// Every key the page writes starts with this.
pub const PREFIX: &str = "gpo.";
const ANSWERS_PREFIX: &str = "gpo.answers.";
const SET_ASIDE_PREFIX: &str = "gpo.set-aside.";
pub const BACKEND_KEY: &str = "gpo.backend";
pub const SURVEY_KEY: &str = "gpo.survey";

pub fn answers_key(task: &str) -> String {
    format!("{ANSWERS_PREFIX}v1.{task}")
}

/// Moves `key`'s value to a new key and returns that key.
fn set_aside(key: &str, value: &str) -> Result<String, PageError> {
    let aside = format!("{SET_ASIDE_PREFIX}{}.{}", key.trim_start_matches(PREFIX), now_ms().round() as u64);
    storage_set(&aside, value)?;
    storage_remove(key);
    Ok(aside)
}

pub fn set_aside_notice(key: &str, value: &str, what: &str, why: &str) -> String {
    match set_aside(key, value) {
        Ok(aside) => format!("{what} could not be used ({why}); it was set aside in localStorage as \"{aside}\"."),
        Err(e) => {
            storage_remove(key);
            format!("{what} could not be used ({why}) and was removed (setting it aside failed: {e}).")
        }
    }
}

/// A survey's saved answers, and a notice when the saved entry was (partly) unusable.
pub fn load_answers(view: &SurveyView) -> (SurveyAnswers, Option<String>) {
    let key = answers_key(&view.task);
    let empty = SurveyAnswers::new(view.survey.questions.len());
    let Some(saved) = storage_get(&key) else { return (empty, None) };
    let what = format!("Your saved answers to {}", view.title);
    let file = match parse_file(&saved) {
        Ok(file) if file.survey == view.task => file,
        Ok(file) => {
            let why = format!("they belong to survey \"{}\"", file.survey);
            return (empty, Some(set_aside_notice(&key, &saved, &what, &why)));
        }
        Err(why) => return (empty, Some(set_aside_notice(&key, &saved, &what, &why.to_string()))),
    };
    let checked = from_records(view, &file.answers);
    if checked.problems.is_empty() {
        return (checked.answers, None);
    }
    // Keep what matches, and the untouched original beside it.
    let why =
        format!("{} of {} did not match: {}", checked.problems.len(), file.answers.len(), summary(&checked.problems));
    let notice = match set_aside(&key, &saved) {
        Ok(aside) => format!(
            "{what}: {why}. The {} that match were kept; the original entry was copied to \"{aside}\".",
            checked.used
        ),
        Err(e) => format!("{what}: {why}. The {} that match were kept ({e}).", checked.used),
    };
    let _ = save_answers(view, &checked.answers);
    (checked.answers, Some(notice))
}

/// Saves a survey's answers; the error says they could not be saved, and why.
pub fn save_answers(view: &SurveyView, answers: &SurveyAnswers) -> Result<(), PageError> {
    let key = answers_key(&view.task);
    if answers.is_empty() {
        storage_remove(&key);
        return Ok(());
    }
    let text = serde_json::to_string(&to_file(view, answers)).map_err(|e| PageError::Write(e.to_string()))?;
    storage_set(&key, &text)
        .map_err(|e| PageError::Browser(format!("your answers could not be saved in this browser: {e}")))
}

/// Sets aside answer entries for surveys this page does not have (or an older layout).
pub fn set_aside_foreign(tasks: &[String]) -> Vec<String> {
    let known: Vec<String> = tasks.iter().map(|t| answers_key(t)).collect();
    storage_keys()
        .into_iter()
        .filter(|key| key.starts_with(ANSWERS_PREFIX) && !known.contains(key))
        .filter_map(|key| {
            let value = storage_get(&key)?;
            let what = format!("A saved entry \"{key}\"");
            Some(set_aside_notice(&key, &value, &what, "no survey of this page uses it"))
        })
        .collect()
}

/// A saved setting, or `None` (and a notice) when it is unreadable.
fn load_setting<T>(key: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> (Option<T>, Option<String>) {
    let Some(saved) = storage_get(key) else { return (None, None) };
    match parse(&saved) {
        Some(value) => (Some(value), None),
        None => (None, Some(set_aside_notice(key, &saved, what, "unrecognised value"))),
    }
}

pub fn load_backend_choice() -> (BackendChoice, Option<String>) {
    let (choice, notice) = load_setting(BACKEND_KEY, BackendChoice::parse, "The saved backend choice");
    (choice.unwrap_or(BackendChoice::Auto), notice)
}

pub fn save_backend_choice(choice: BackendChoice) -> Result<(), PageError> {
    storage_set(BACKEND_KEY, choice.id())
}

pub fn load_survey_choice(tasks: &[String]) -> (Option<usize>, Option<String>) {
    load_setting(SURVEY_KEY, |task| tasks.iter().position(|t| t == task), "The saved survey choice")
}

pub fn save_survey_choice(task: &str) {
    let _ = storage_set(SURVEY_KEY, task);
}

/// Removes every survey's answers and every set-aside copy (settings stay).
pub fn clear_answers() -> usize {
    let keys: Vec<String> = storage_keys()
        .into_iter()
        .filter(|k| k.starts_with(ANSWERS_PREFIX) || k.starts_with(SET_ASIDE_PREFIX))
        .collect();
    for key in &keys {
        storage_remove(key);
    }
    keys.len()
}
