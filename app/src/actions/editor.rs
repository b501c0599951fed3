//! What the editor's buttons do: open it (loading the encoder the first time), save a question
//! (embed, store, add it to every survey), edit, delete, choose the groups' survey, import and
//! export. Every failure is a message; nothing here panics.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::answers::SurveyAnswers;
use crate::browser::{download, now_ms, set_hash};
use crate::bundle::fetch_extra;
use crate::custom::{self, CustomQuestion, Draft, validate};
use crate::custom_store;
use crate::editor_state::{EncoderStatus, Tab, embedded};
use crate::encoder;
use crate::engine::SurveyView;
use crate::group_predict;
use crate::persist;
use crate::predictor;
use crate::records::{from_records, to_records};
use crate::state::{AppState, Level, PredictionSet};

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

/// Loads the encoder unless it is loaded or loading (also after a failure: a retry).
pub fn ensure_encoder(state: AppState) {
    let editor = state.editor;
    if matches!(editor.status.get_untracked(), EncoderStatus::Ready | EncoderStatus::Loading(_)) {
        return;
    }
    let (Some(bundle), Some(engine)) = (state.bundle.get_value(), state.engine.get_value()) else { return };
    editor.status.set(EncoderStatus::Loading(Default::default()));
    spawn_local(async move {
        let device = engine.device().clone();
        let result = encoder::load(&bundle.manifest, &device, |p| editor.status.set(EncoderStatus::Loading(p))).await;
        match result {
            Ok(page_encoder) => {
                page_encoder.warm_up().await;
                // The engine may have moved to another device meanwhile: then load again.
                if state.engine.with_value(|e| e.as_ref().map(|e| e.device() != &device).unwrap_or(true)) {
                    editor.status.set(EncoderStatus::NotLoaded);
                    ensure_encoder(state);
                    return;
                }
                editor.encoder_backend.set(engine.backend.label.clone());
                editor.encoder.set_value(Some(Rc::new(page_encoder)));
                editor.status.set(EncoderStatus::Ready);
                embed_missing(state).await;
            }
            Err(error) => editor.status.set(EncoderStatus::Failed(error)),
        }
    });
}

/// Forgets the encoder (its device is gone); loaded again when the editor is on screen.
pub fn drop_encoder(state: AppState) {
    state.editor.encoder.set_value(None);
    if state.editor.status.get_untracked() == EncoderStatus::Ready {
        state.editor.status.set(EncoderStatus::NotLoaded);
    }
    if state.editor.tab.get_untracked() == Tab::Editor {
        ensure_encoder(state);
    }
}

/// Embeds the saved questions that have no (valid) embedding, e.g. after an encoder change.
async fn embed_missing(state: AppState) {
    let Some(page_encoder) = state.editor.encoder.get_value() else { return };
    let missing: Vec<CustomQuestion> =
        state.editor.custom.with_untracked(|c| c.iter().filter(|q| q.embedding.is_none()).cloned().collect());
    if missing.is_empty() {
        return;
    }
    let mut updated = Vec::new();
    for mut question in missing {
        match page_encoder.embed(&question.draft).await {
            Ok((embedding, _)) => {
                question.embedding = Some(Arc::new(embedding));
                updated.push(question);
            }
            Err(error) => {
                state.notify(Level::Error, format!("\"{}\" could not be embedded: {error}", question.draft.text))
            }
        }
    }
    state.editor.custom.update(|custom| {
        for question in updated {
            if let Some(slot) = custom.iter_mut().find(|q| q.key == question.key) {
                *slot = question;
            }
        }
    });
    apply_custom(state, &[]);
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
        apply_custom(state, &changed);
        editor.reset_form();
        editor.selected.set(Some(key));
        group_predict::request(state);
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
    group_predict::request(state);
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
    apply_custom(state, &[key.to_string()]);
    group_predict::request(state);
}

pub fn select(state: AppState, key: &str) {
    state.editor.selected.set(Some(key.to_string()));
    group_predict::request(state);
}

/// After the custom questions changed: store them, derive the models, and carry every
/// survey's answers over (dropping answers to the questions in `forget`).
pub fn apply_custom(state: AppState, forget: &[String]) {
    let custom = state.editor.custom.get_untracked();
    if let Err(error) = custom_store::save(&custom) {
        state.notify(Level::Warning, error);
    }
    let Some(engine) = state.engine.get_value() else { return };
    let engine = Rc::new(engine.with_custom(&embedded(&custom)));
    let views = engine.views();
    let old_views = state.surveys.get_untracked();
    let mut forgotten = 0;
    state.book.update(|book| {
        for view in &views {
            let Some(old) = old_views.iter().find(|v| v.task == view.task) else { continue };
            let answers =
                book.get(&view.task).cloned().unwrap_or_else(|| SurveyAnswers::new(old.survey.questions.len()));
            let records = to_records(old, &answers);
            let kept: Vec<_> = records.into_iter().filter(|r| !forget.contains(&r.question)).collect();
            let checked = from_records(view, &kept);
            forgotten += answers.touched().saturating_sub(checked.used);
            if let Err(error) = persist::save_answers(view, &checked.answers) {
                state.notify(Level::Warning, error);
            }
            book.insert(view.task.clone(), checked.answers);
        }
    });
    if forgotten > 0 {
        state.notify(Level::Info, format!("{forgotten} of your answers to changed or deleted questions were cleared."));
    }
    // The prediction on screen follows its questions to their new places until the next one.
    let survey = state.current.get_untracked();
    if let (Some(old), Some(new)) = (old_views.get(survey), views.get(survey)) {
        state.prediction.update(|p| {
            if let Some(set) = p.as_ref().filter(|p| p.survey == survey) {
                *p = Some(Arc::new(remap(set, old, new)));
            }
        });
    }
    state.engine.set_value(Some(engine));
    state.surveys.set(views);
    predictor::request(state);
}

/// `set` (made for `old`'s questions) for `new`'s questions, matched by key.
fn remap(set: &PredictionSet, old: &SurveyView, new: &SurveyView) -> PredictionSet {
    let places: HashMap<&str, usize> =
        new.survey.questions.iter().enumerate().map(|(i, q)| (q.key.as_str(), i)).collect();
    let index = |q: usize| old.survey.questions.get(q).and_then(|o| places.get(o.key.as_str()).copied());
    let mut forecasts = vec![None; new.survey.questions.len()];
    let mut targets = Vec::new();
    for &q in &set.targets {
        if let (Some(to), Some(forecast)) = (index(q), set.forecast(q)) {
            forecasts[to] = Some(forecast.clone());
            targets.push(to);
        }
    }
    PredictionSet { survey: set.survey, forecasts, targets, context: set.context }
}

/// Applies the custom questions if the models do not have exactly them.
pub fn sync_custom(state: AppState) {
    let wanted: Vec<String> = state.editor.embedded().into_iter().map(|q| q.question.key).collect();
    let Some(engine) = state.engine.get_value() else { return };
    let have: Vec<&str> = engine.custom().iter().map(|q| q.question.key.as_str()).collect();
    if have != wanted {
        apply_custom(state, &[]);
    }
}

/// Predicts the groups of survey `task`, downloading it first if only the editor uses it.
pub fn choose_survey(state: AppState, task: String) {
    let editor = state.editor;
    editor.survey.set(task.clone());
    editor.compare.0.set(String::new());
    editor.compare.1.set(String::new());
    let (Some(bundle), Some(engine)) = (state.bundle.get_value(), state.engine.get_value()) else { return };
    if engine.model(&task).is_some() || editor.survey_loading.get_untracked().is_some() {
        group_predict::request(state);
        return;
    }
    let Some(entry) = bundle.all_surveys().iter().find(|s| s.task == task).cloned() else { return };
    editor.survey_loading.set(Some(Default::default()));
    spawn_local(async move {
        let result = fetch_extra(&bundle.manifest, &entry, |p| editor.survey_loading.set(Some(p))).await;
        editor.survey_loading.set(None);
        let loaded = result.and_then(|extra| {
            bundle.add_extra(extra.clone());
            let engine = state.engine.get_value().ok_or_else(|| "GPO is restarting".to_string())?;
            engine.with_survey(&extra.entry, &extra.survey, &extra.embeddings, extra.model.to_vec())
        });
        match loaded {
            Ok(engine) => state.engine.set_value(Some(Rc::new(engine))),
            Err(error) => state.notify(Level::Error, format!("{} could not be loaded: {error}", entry.title)),
        }
        group_predict::request(state);
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
            apply_custom(state, &[]);
            if state.editor.selected.get_untracked().is_none() {
                state.editor.selected.set(state.editor.custom.with_untracked(|c| c.last().map(|q| q.key.clone())));
            }
            group_predict::request(state);
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
                format!(
                    "{} question(s) of \"{file_name}\" were left out: {}.",
                    problems.len(),
                    persist::summary(&problems)
                ),
            );
        }
    });
}
