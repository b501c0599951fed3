//! The page's state: reactive handles (Copy) shared through context. The model and the
//! downloaded bytes are not `Send`, so they live in local stored values.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;

pub mod editor;
pub mod list;

use crate::domain::answers::{AnswerBook, SurveyAnswers};
use crate::domain::error::PageError;
use crate::domain::prediction::PredictionSet;
use crate::domain::progress::Progress;
use crate::domain::settings::BackendChoice;
use crate::domain::unsaved::Unsaved;
use crate::domain::view::SurveyView;
use crate::engine::Engine;
use crate::engine::backend::BackendInfo;
use crate::platform::bundle::LoadedBundle;
use crate::platform::job::Job;
use editor::EditorState;
use list::ListState;

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Loading(Progress),
    /// One clear sentence; the page shows it instead of the survey.
    Failed(String),
    Ready,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn id(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub id: u64,
    pub level: Level,
    pub text: String,
}

/// Measured in the page with `performance.now()`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timings {
    /// The last prediction (building the batch, the forward pass, reading back).
    pub predict_ms: Option<f64>,
    /// From handing the prediction to the views until they were updated.
    pub render_ms: Option<f64>,
    /// From navigation start until the first prediction was on screen.
    pub ready_ms: Option<f64>,
    pub predictions: u64,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub phase: RwSignal<Phase>,
    /// The surveys a person can answer, in the bundle's order.
    pub surveys: RwSignal<Vec<Arc<SurveyView>>>,
    pub current: RwSignal<usize>,
    pub book: RwSignal<AnswerBook>,
    pub prediction: RwSignal<Option<Arc<PredictionSet>>>,
    pub backend: RwSignal<Option<BackendInfo>>,
    pub choice: RwSignal<BackendChoice>,
    /// A backend switch is rebuilding the models.
    pub switching: RwSignal<bool>,
    /// Re-predicting the survey on screen (`predictor`).
    pub predict_job: Job,
    pub timings: RwSignal<Timings>,
    pub notices: RwSignal<Vec<Notice>>,
    /// What could not be saved in the browser (one notice until it is saved).
    pub unsaved: RwSignal<Unsaved>,
    /// The question "most informative" picked last.
    pub picked: RwSignal<Option<(usize, usize)>>,
    pub list: ListState,
    pub editor: EditorState,
    pub bundle: StoredValue<Option<Rc<LoadedBundle>>, LocalStorage>,
    /// The models; read with [`AppState::engine`], replaced with [`AppState::set_engine`].
    engine: StoredValue<Option<Rc<Engine>>, LocalStorage>,
    /// Bumped whenever the engine is replaced: what the prediction jobs' triggers track.
    pub engine_version: RwSignal<u64>,
    next_notice: StoredValue<u64>,
}

impl AppState {
    pub fn new() -> Self {
        Self {
            phase: RwSignal::new(Phase::Loading(Progress::default())),
            surveys: RwSignal::new(Vec::new()),
            current: RwSignal::new(0),
            book: RwSignal::new(AnswerBook::new()),
            prediction: RwSignal::new(None),
            backend: RwSignal::new(None),
            choice: RwSignal::new(BackendChoice::Auto),
            switching: RwSignal::new(false),
            predict_job: Job::new(),
            timings: RwSignal::new(Timings::default()),
            notices: RwSignal::new(Vec::new()),
            unsaved: RwSignal::new(Unsaved::default()),
            picked: RwSignal::new(None),
            list: ListState::new(),
            editor: EditorState::new(),
            bundle: StoredValue::new_local(None),
            engine: StoredValue::new_local(None),
            engine_version: RwSignal::new(0),
            next_notice: StoredValue::new(0),
        }
    }

    pub fn notify(&self, level: Level, text: impl Into<String>) {
        let id = self.next_notice.get_value();
        self.next_notice.set_value(id + 1);
        let text = text.into();
        self.notices.update(|notices| {
            // The same message twice in a row says nothing new.
            if notices.last().is_none_or(|last| last.text != text) {
                notices.push(Notice { id, level, text });
            }
        });
    }

    /// Records whether saving `what` ("your answers to …") in the browser worked.
    pub fn record_save(&self, what: &str, result: Result<(), PageError>) {
        let failure = result.err().map(|error| error.to_string());
        if failure.is_some() || self.unsaved.with_untracked(|u| !u.is_empty()) {
            self.unsaved.update(|unsaved| unsaved.record(what, failure));
        }
    }

    pub fn dismiss(&self, id: u64) {
        self.notices.update(|notices| notices.retain(|n| n.id != id));
    }

    /// The models as they are now (untracked).
    pub fn engine(&self) -> Option<Rc<Engine>> {
        self.engine.get_value()
    }

    /// Replaces the models; the prediction jobs run again on the new ones.
    pub fn set_engine(&self, engine: Rc<Engine>) {
        self.engine.set_value(Some(engine));
        self.engine_version.update(|v| *v += 1);
    }

    /// The survey on screen (untracked).
    pub fn current_view(&self) -> Option<Arc<SurveyView>> {
        let index = self.current.get_untracked();
        self.surveys.with_untracked(|surveys| surveys.get(index).cloned())
    }

    /// A copy of one survey's answers (untracked).
    pub fn answers_of(&self, view: &SurveyView) -> SurveyAnswers {
        self.book
            .with_untracked(|book| book.get(&view.task).cloned())
            .unwrap_or_else(|| SurveyAnswers::new(view.survey.questions.len()))
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}
