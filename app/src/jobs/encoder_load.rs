//! The editor's encoder: downloaded and built on the models' device the first time the editor
//! needs it, dropped when that device goes, and the saved questions that lack an embedding
//! embedded once it is ready.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::custom::CustomQuestion;
use crate::engine::encoder;
use crate::jobs::custom_questions;
use crate::state::editor::{EncoderStatus, Tab};
use crate::state::{AppState, Level};

/// Loads the encoder unless it is loaded or loading (also after a failure: a retry).
pub fn ensure_encoder(state: AppState) {
    let editor = state.editor;
    if matches!(editor.status.get_untracked(), EncoderStatus::Ready | EncoderStatus::Loading(_)) {
        return;
    }
    let (Some(bundle), Some(engine)) = (state.bundle.get_value(), state.engine()) else { return };
    editor.status.set(EncoderStatus::Loading(Default::default()));
    spawn_local(async move {
        let device = engine.device().clone();
        let result = encoder::load(&bundle.manifest, &device, |p| editor.status.set(EncoderStatus::Loading(p))).await;
        match result {
            Ok(page_encoder) => {
                page_encoder.warm_up().await;
                // The engine may have moved to another device meanwhile: then load again.
                if state.engine().is_none_or(|e| e.device() != &device) {
                    editor.status.set(EncoderStatus::NotLoaded);
                    ensure_encoder(state);
                    return;
                }
                editor.encoder_backend.set(engine.backend.label.clone());
                editor.encoder.set_value(Some(Rc::new(page_encoder)));
                editor.status.set(EncoderStatus::Ready);
                embed_missing(state).await;
            }
            Err(error) => editor.status.set(EncoderStatus::Failed(error.to_string())),
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
    custom_questions::apply(state, &[]);
}
