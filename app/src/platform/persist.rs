//! What the page keeps in localStorage: each survey's answers, the backend choice and the last
//! survey. An entry the page cannot read (corrupted, or written by something else) is moved
//! aside to another key and reported, never trusted and never a crash; one written by a newer
//! version of the page, or one that cannot be moved (storage full), is left where it is and
//! never written over. Answers are saved merged into what is stored now, so two tabs of the
//! page keep each other's answers.

use crate::domain::answers::SurveyAnswers;
use crate::domain::error::{PageError, summary};
use crate::domain::merge::merge;
use crate::domain::records::{AnswerFile, AnswerRecord, FORMAT, VERSION, from_records, parse_file, to_records};
use crate::domain::settings::BackendChoice;
use crate::domain::version;
use crate::domain::view::SurveyView;
use crate::platform::browser::{now_ms, storage_get, storage_keys, storage_remove, storage_set};

/// Every key the page writes starts with this.
pub const PREFIX: &str = "gpo.";
const ANSWERS_PREFIX: &str = "gpo.answers.";
const SET_ASIDE_PREFIX: &str = "gpo.set-aside.";
pub const BACKEND_KEY: &str = "gpo.backend";
pub const SURVEY_KEY: &str = "gpo.survey";

pub fn answers_key(task: &str) -> String {
    format!("{ANSWERS_PREFIX}v{VERSION}.{task}")
}

/// Moves `key`'s value to a new key and returns that key.
fn set_aside(key: &str, value: &str) -> Result<String, PageError> {
    let aside = format!("{SET_ASIDE_PREFIX}{}.{}", key.trim_start_matches(PREFIX), now_ms().round() as u64);
    storage_set(&aside, value)?;
    storage_remove(key);
    Ok(aside)
}

/// Sets an unusable entry aside and says so; when that fails (e.g. the storage is full) the
/// entry is left where it is, never removed. The flag: whether it was moved.
pub fn set_aside_notice(key: &str, value: &str, what: &str, why: &str) -> (String, bool) {
    match set_aside(key, value) {
        Ok(aside) => {
            (format!("{what} could not be used ({why}); it was set aside in localStorage as \"{aside}\"."), true)
        }
        Err(e) => (format!("{what} could not be used ({why}); it was left where it is, untouched ({e})."), false),
    }
}

/// The notice for an entry written by a newer version of the page: left as it is.
pub fn newer_notice(what: &str, error: &PageError) -> String {
    format!("{what} are {error}: they are left as they are, and nothing here is saved over them.")
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
            return (empty, Some(set_aside_notice(&key, &saved, &what, &why).0));
        }
        Err(error) if error.is_newer_version() => return (empty, Some(newer_notice(&what, &error))),
        Err(why) => return (empty, Some(set_aside_notice(&key, &saved, &what, &why.to_string()).0)),
    };
    let checked = from_records(view, &file.answers);
    if checked.problems.is_empty() {
        return (checked.answers, None);
    }
    // Keep what matches, and the untouched original beside it (or, when it cannot be copied,
    // in its place: later saves merge into it, keeping the records that did not match).
    let why =
        format!("{} of {} did not match: {}", checked.problems.len(), file.answers.len(), summary(&checked.problems));
    let notice = match set_aside(&key, &saved) {
        Ok(aside) => {
            let _ = save_answers(view, &checked.answers);
            format!(
                "{what}: {why}. The {} that match were kept; the original entry was copied to \"{aside}\".",
                checked.used
            )
        }
        Err(e) => {
            format!("{what}: {why}. The {} that match are used; the entry was left as it is ({e}).", checked.used)
        }
    };
    (checked.answers, Some(notice))
}

/// What is stored for `view` now (another tab may have written it since this page read it), or
/// why the entry must not be written over: another survey's, unreadable, or a newer version's.
fn stored_records(view: &SurveyView) -> Result<Vec<AnswerRecord>, PageError> {
    let Some(saved) = storage_get(&answers_key(&view.task)) else { return Ok(Vec::new()) };
    match parse_file(&saved) {
        Ok(file) if file.survey == view.task => Ok(file.answers),
        Ok(file) => Err(PageError::input(format!(
            "the entry saved there belongs to survey \"{}\" and is left as it is",
            file.survey
        ))),
        Err(error) => Err(PageError::input(format!("the entry saved there is left as it is: {error}"))),
    }
}

fn write_records(view: &SurveyView, answers: Vec<AnswerRecord>) -> Result<(), PageError> {
    let key = answers_key(&view.task);
    if answers.is_empty() {
        storage_remove(&key);
        return Ok(());
    }
    let file = AnswerFile { format: FORMAT.into(), version: VERSION, survey: view.task.clone(), answers };
    let text = serde_json::to_string(&file).map_err(|e| PageError::Write(e.to_string()))?;
    storage_set(&key, &text)
}

/// Saves this page's answers to a survey merged into what is stored now (keeping another tab's
/// answers and records this page cannot use), `forgotten` (a question's key) removed.
pub fn save_merged(view: &SurveyView, answers: &SurveyAnswers, forgotten: Option<&str>) -> Result<(), PageError> {
    let stored = stored_records(view)?;
    write_records(view, merge(&stored, &to_records(view, answers), forgotten))
}

/// Saves exactly `answers` as the survey's (an import, questions changed in the editor) — unless
/// the stored entry is one this page must not write over.
pub fn save_answers(view: &SurveyView, answers: &SurveyAnswers) -> Result<(), PageError> {
    stored_records(view)?;
    write_records(view, to_records(view, answers))
}

/// Sets aside answer entries for surveys this page does not have (or an older layout).
pub fn set_aside_foreign(tasks: &[String]) -> Vec<String> {
    let known: Vec<String> = tasks.iter().map(|t| answers_key(t)).collect();
    storage_keys()
        .into_iter()
        .filter(|key| key.starts_with(ANSWERS_PREFIX) && !known.contains(key))
        .filter_map(|key| {
            let value = storage_get(&key)?;
            // A newer page's entries are its own: left where that page will look for them.
            if let Some(found) = version::of_key(&key, ANSWERS_PREFIX).filter(|&v| v > VERSION as u64) {
                let what = format!("The saved answers \"{key}\"");
                return Some(newer_notice(&what, &PageError::Version { found, reads: VERSION }));
            }
            let what = format!("A saved entry \"{key}\"");
            Some(set_aside_notice(&key, &value, &what, "no survey of this page uses it").0)
        })
        .collect()
}

/// A saved setting, or `None` (and a notice) when it is unreadable.
fn load_setting<T>(key: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> (Option<T>, Option<String>) {
    let Some(saved) = storage_get(key) else { return (None, None) };
    match parse(&saved) {
        Some(value) => (Some(value), None),
        None => (None, Some(set_aside_notice(key, &saved, what, "unrecognised value").0)),
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
