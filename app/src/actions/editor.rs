//! What the editor's buttons do: open it (loading the encoder the first time), save a question
//! (embed, store, add it to every survey), edit, delete, choose the groups' survey, import and
//! export. Every failure is a message; nothing here panics. The groups' predictions follow
//! from the state these change (`jobs::triggers`).

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::custom::{self, CustomQuestion, Draft, validate};
use crate::domain::error::summary;
use crate::jobs::custom_questions;
// The editor's retry button loads the encoder again.
pub use crate::jobs::encoder_load::ensure_encoder;
use crate::platform::browser::{download, now_ms, set_hash};
use crate::platform::bundle::fetch_extra;
use crate::state::editor::Tab;
use crate::state::{AppState, Level};

/// Shows the editor (or the survey); the first time, starts loading the encoder.
pub fn show_tab(state: AppState, tab: Tab) {
    state.editor.tab.set(tab);
    set_hash(if tab == Tab::Editor { "editor" } else { "" });
    if tab == Tab::Editor {
        ensure_encoder(state);
        if state.editor.survey.get_untracked().is_empty()
            && let Some(view) = state.current_view()
        {
            choose_survey(state, view.task.clone());
        }
    }
}

/// The form's contents.
fn draft(state: AppState) -> Draft {
    let editor = state.editor;
    Draft { text: editor.text.get_untracked(), options: editor.option_texts(), ordinal: editor.ordinal.get_untracked() }
}

/// Validates, embeds and saves the form's question (new, or the one being edited), then shows
/// its predictions.
pub fn save(state: AppState) {
    let editor = state.editor;
    let draft = match validate(&draft(state)) {
        Ok(draft) => draft,
        Err(problems) => {
            editor.problems.set(problems);
            return;
        }
    };
    editor.problems.set(Vec::new());
    let Some(page_encoder) = editor.encoder.get_value() else {
        editor.problems.set(vec!["The encoder is not ready yet; try again when it has loaded.".into()]);
        return;
    };
    editor.saving.set(true);
    spawn_local(async move {
        let result = page_encoder.embed(&draft).await;
        editor.saving.set(false);
        let (embedding, ms) = match result {
            Ok(done) => done,
            Err(error) => {
                editor.problems.set(vec![format!("The question could not be embedded: {error}")]);
                return;
            }
        };
        editor.embed_ms.set(Some(ms));
        let editing = editor.editing.get_untracked();
        let taken: Vec<String> = editor.custom.with_untracked(|c| c.iter().map(|q| q.key.clone()).collect());
        let key = editing.clone().filter(|k| taken.contains(k)).unwrap_or_else(|| custom::new_key(&taken, now_ms()));
        let mut changed = Vec::new();
        let question = CustomQuestion { key: key.clone(), draft, embedding: Some(Arc::new(embedding)) };
        editor.custom.update(|custom| match custom.iter_mut().find(|q| q.key == key) {
            Some(slot) => {
                // An edited question means something else now: an answer to it no longer applies.
                if slot.draft != question.draft {
                    changed.push(key.clone());
                }
                *slot = question;
            }
            None => custom.push(question),
        });
        custom_questions::apply(state, &changed);
        editor.reset_form();
        editor.selected.set(Some(key));
    });
}

/// Puts a saved question into the form.
pub fn edit(state: AppState, key: &str) {
    let editor = state.editor;
    let Some(question) = editor.custom.with_untracked(|c| c.iter().find(|q| q.key == key).cloned()) else { return };
    editor.text.set(question.draft.text.clone());
    editor.set_options(&question.draft.options);
    editor.ordinal.set(question.draft.ordinal);
    editor.editing.set(Some(key.to_string()));
    editor.problems.set(Vec::new());
    editor.selected.set(Some(key.to_string()));
}

pub fn delete(state: AppState, key: &str) {
    let editor = state.editor;
    editor.custom.update(|c| c.retain(|q| q.key != key));
    if editor.editing.get_untracked().as_deref() == Some(key) {
        editor.reset_form();
    }
    if editor.selected.get_untracked().as_deref() == Some(key) {
        editor.selected.set(editor.custom.with_untracked(|c| c.last().map(|q| q.key.clone())));
    }
    custom_questions::apply(state, &[key.to_string()]);
}

pub fn select(state: AppState, key: &str) {
    state.editor.selected.set(Some(key.to_string()));
}

/// Predicts the groups of survey `task`, downloading it first if only the editor uses it.
pub fn choose_survey(state: AppState, task: String) {
    let editor = state.editor;
    editor.survey.set(task.clone());
    editor.compare.0.set(String::new());
    editor.compare.1.set(String::new());
    let (Some(bundle), Some(engine)) = (state.bundle.get_value(), state.engine()) else { return };
    if engine.model(&task).is_some() || editor.survey_loading.get_untracked().is_some() {
        return;
    }
    let Some(entry) = bundle.all_surveys().iter().find(|s| s.task == task).cloned() else { return };
    editor.survey_loading.set(Some(Default::default()));
    spawn_local(async move {
        let result = fetch_extra(&bundle.manifest, &entry, |p| editor.survey_loading.set(Some(p))).await;
        editor.survey_loading.set(None);
        let extra = match result {
            Ok(extra) => extra,
            Err(error) => {
                state.notify(Level::Error, format!("{} could not be loaded: {error}", entry.title));
                return;
            }
        };
        bundle.add_extra(extra.clone());
        // A backend switch under way rebuilds the models with the kept bytes, this survey too.
        let Some(engine) = state.engine() else { return };
        match engine.with_survey(&extra.entry, &extra.survey, &extra.embeddings, extra.model.to_vec()) {
            Ok(engine) => state.set_engine(Rc::new(engine)),
            Err(error) => state.notify(Level::Error, format!("{} could not be loaded: {error}", entry.title)),
        }
    });
}

pub fn export(state: AppState) {
    let custom = state.editor.custom.get_untracked();
    let result = custom::to_json(&custom, false)
        .and_then(|text| download("gpo-custom-questions.json", "application/json", &text));
    if let Err(error) = result {
        state.notify(Level::Error, format!("The export failed: {error}"));
    }
}

/// Adds a file's questions (each embedded by this page); duplicates of saved ones are skipped.
pub fn import(state: AppState, file_name: String, text: String) {
    let parsed = match custom::parse(&text, None, 0) {
        Ok(parsed) => parsed,
        Err(error) => {
            state.notify(Level::Error, format!("\"{file_name}\" could not be imported: {error}."));
            return;
        }
    };
    let Some(page_encoder) = state.editor.encoder.get_value() else {
        state.notify(Level::Error, "The encoder is not ready yet; import again when it has loaded.");
        return;
    };
    let mut problems = parsed.problems;
    spawn_local(async move {
        let mut added = 0;
        let mut skipped = 0;
        for mut question in parsed.questions {
            let duplicate = state.editor.custom.with_untracked(|c| c.iter().any(|q| q.draft == question.draft));
            if duplicate {
                skipped += 1;
                continue;
            }
            match page_encoder.embed(&question.draft).await {
                Ok((embedding, _)) => {
                    question.embedding = Some(Arc::new(embedding));
                    let taken: Vec<String> =
                        state.editor.custom.with_untracked(|c| c.iter().map(|q| q.key.clone()).collect());
                    if question.key.is_empty() || taken.contains(&question.key) {
                        question.key = custom::new_key(&taken, now_ms());
                    }
                    state.editor.custom.update(|c| c.push(question));
                    added += 1;
                }
                Err(error) => problems.push(format!("\"{}\" could not be embedded: {error}", question.draft.text)),
            }
        }
        if added > 0 {
            custom_questions::apply(state, &[]);
            if state.editor.selected.get_untracked().is_none() {
                state.editor.selected.set(state.editor.custom.with_untracked(|c| c.last().map(|q| q.key.clone())));
            }
        }
        let mut message =
            format!("Imported {added} question{} from \"{file_name}\"", if added == 1 { "" } else { "s" });
        if skipped > 0 {
            message.push_str(&format!("; {skipped} already saved were skipped"));
        }
        state.notify(if added > 0 { Level::Info } else { Level::Warning }, format!("{message}."));
        if !problems.is_empty() {
            state.notify(
                Level::Warning,
                format!("{} question(s) of \"{file_name}\" were left out: {}.", problems.len(), summary(&problems)),
            );
        }
    });
}
