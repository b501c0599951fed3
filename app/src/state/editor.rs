//! The editor's state: the encoder (loaded on first use), the person's questions, the form, and
//! the latest group predictions. Reactive handles (Copy); the encoder lives in a local value.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

use crate::domain::custom::{CustomQuestion, EmbeddedQuestion, embedded};
use crate::domain::groups::{DEFAULT_CONTEXT, GroupPredictions};
use crate::domain::progress::Progress;
use crate::engine::encoder::PageEncoder;
use crate::platform::job::Job;

/// Which part of the page is on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Survey,
    Editor,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EncoderStatus {
    NotLoaded,
    Loading(Progress),
    Ready,
    Failed(String),
}

impl EncoderStatus {
    pub fn id(&self) -> &'static str {
        match self {
            Self::NotLoaded => "not-loaded",
            Self::Loading(_) => "loading",
            Self::Ready => "ready",
            Self::Failed(_) => "failed",
        }
    }
}

#[derive(Clone, Copy)]
pub struct EditorState {
    pub tab: RwSignal<Tab>,
    pub status: RwSignal<EncoderStatus>,
    /// "CPU" or "WebGPU: …": where the encoder runs.
    pub encoder_backend: RwSignal<String>,
    pub custom: RwSignal<Vec<CustomQuestion>>,
    /// The form: question, options (with stable ids for the list), ordinal, which question
    /// is being edited (`None`: a new one).
    pub text: RwSignal<String>,
    pub options: RwSignal<Vec<(u64, ArcRwSignal<String>)>>,
    pub ordinal: RwSignal<bool>,
    pub editing: RwSignal<Option<String>>,
    pub problems: RwSignal<Vec<String>>,
    pub saving: RwSignal<bool>,
    /// The question whose predictions are shown.
    pub selected: RwSignal<Option<String>>,
    /// Task of the survey whose groups are predicted.
    pub survey: RwSignal<String>,
    pub survey_loading: RwSignal<Option<Progress>>,
    /// Index into [`crate::domain::groups::CONTEXT_SIZES`].
    pub context: RwSignal<usize>,
    pub compare: (RwSignal<String>, RwSignal<String>),
    pub predictions: RwSignal<Option<Arc<GroupPredictions>>>,
    /// Predicting every group on the selected question (`jobs::groups`).
    pub group_job: Job,
    pub embed_ms: RwSignal<Option<f64>>,
    pub group_predict_ms: RwSignal<Option<f64>>,
    pub encoder: StoredValue<Option<Rc<PageEncoder>>, LocalStorage>,
    next_option: StoredValue<u64>,
}

impl EditorState {
    pub fn new() -> Self {
        let state = Self {
            tab: RwSignal::new(Tab::Survey),
            status: RwSignal::new(EncoderStatus::NotLoaded),
            encoder_backend: RwSignal::new(String::new()),
            custom: RwSignal::new(Vec::new()),
            text: RwSignal::new(String::new()),
            options: RwSignal::new(Vec::new()),
            ordinal: RwSignal::new(false),
            editing: RwSignal::new(None),
            problems: RwSignal::new(Vec::new()),
            saving: RwSignal::new(false),
            selected: RwSignal::new(None),
            survey: RwSignal::new(String::new()),
            survey_loading: RwSignal::new(None),
            context: RwSignal::new(DEFAULT_CONTEXT),
            compare: (RwSignal::new(String::new()), RwSignal::new(String::new())),
            predictions: RwSignal::new(None),
            group_job: Job::new(),
            embed_ms: RwSignal::new(None),
            group_predict_ms: RwSignal::new(None),
            encoder: StoredValue::new_local(None),
            next_option: StoredValue::new(0),
        };
        state.reset_form();
        state
    }

    /// An id for a new option row.
    pub fn option_id(&self) -> u64 {
        let id = self.next_option.get_value();
        self.next_option.set_value(id + 1);
        id
    }

    /// Puts `options` into the form.
    pub fn set_options(&self, options: &[String]) {
        self.options.set(options.iter().map(|o| (self.option_id(), ArcRwSignal::new(o.clone()))).collect());
    }

    /// The options in the form, in order.
    pub fn option_texts(&self) -> Vec<String> {
        self.options.with_untracked(|o| o.iter().map(|(_, t)| t.get_untracked()).collect())
    }

    /// An empty form for a new question (two empty options).
    pub fn reset_form(&self) {
        self.text.set(String::new());
        self.set_options(&[String::new(), String::new()]);
        self.ordinal.set(false);
        self.editing.set(None);
        self.problems.set(Vec::new());
    }

    /// The custom questions that have embeddings, in order (what the models read).
    pub fn embedded(&self) -> Vec<EmbeddedQuestion> {
        self.custom.with_untracked(|custom| embedded(custom))
    }
}

impl Default for EditorState {
    fn default() -> Self {
        Self::new()
    }
}
