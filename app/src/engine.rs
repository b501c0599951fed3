//! The GPO models of the bundle's surveys on one device, and prediction with them. Built again
//! (from the already downloaded bytes) whenever the backend changes; derived anew (sharing the
//! trained weights) whenever the person's own questions change, so a prediction under way
//! keeps the engine it started with.

use std::rc::Rc;
use std::sync::Arc;

use burn::prelude::Device;
use gpo_core::data::{Question, Task};
use gpo_core::eval::Metric;
use gpo_core::export::bundle::{BundleSurvey, SurveyEntry, WebSurvey};
use gpo_core::model::{EpisodeInput, GpoRunner, Prediction};

use crate::backend::BackendInfo;
use crate::bundle::LoadedBundle;
use crate::custom::QuestionEmbedding;

/// What the views need of a survey (plain data, shared cheaply): the survey's questions, then
/// the person's own.
#[derive(Debug)]
pub struct SurveyView {
    pub task: String,
    pub title: String,
    pub metric: Metric,
    pub survey: WebSurvey,
    /// How many of `survey.questions` are the survey's own (the rest are custom).
    pub base_questions: usize,
}

impl SurveyView {
    pub fn is_custom(&self, question: usize) -> bool {
        question >= self.base_questions
    }
}

/// A question written in the editor, with its (question, option) embeddings.
#[derive(Clone, Debug)]
pub struct EmbeddedQuestion {
    pub question: Question,
    pub embedding: Arc<QuestionEmbedding>,
}

/// One survey's model: its own questions and groups, and a runner over those questions
/// followed by the custom ones.
pub struct SurveyModel {
    pub entry: SurveyEntry,
    pub survey: WebSurvey,
    pub runner: GpoRunner,
}

impl SurveyModel {
    fn load(
        entry: &SurveyEntry,
        survey: &[u8],
        embeddings: &[u8],
        model: Vec<u8>,
        device: &Device,
    ) -> Result<Self, String> {
        let loaded = BundleSurvey::load(survey, embeddings, model, entry, device).map_err(|e| e.to_string())?;
        Ok(Self { entry: entry.clone(), survey: loaded.survey, runner: loaded.runner })
    }

    /// The same model over the survey's questions followed by `custom`: their population
    /// statistics unknown, exactly as `GpoRunner::push_question` adds a question.
    fn with_custom(&self, custom: &[EmbeddedQuestion]) -> Self {
        let base: Vec<usize> = (0..self.survey.questions.len()).collect();
        let runner = &self.runner;
        let mut embeddings = runner.embeddings.select(&base);
        let mut population = runner.population.select(&runner.embeddings.offsets, &base);
        for question in custom {
            embeddings.push_question(&question.embedding.vectors);
            population.push_question(None, &question.embedding.vectors, question.question.options.len());
        }
        let runner = GpoRunner::new(runner.model.clone(), embeddings, population, runner.offset, runner.device());
        Self { entry: self.entry.clone(), survey: self.survey.clone(), runner }
    }

    /// Runner index of the custom question `key`.
    pub fn custom_index(&self, custom: &[EmbeddedQuestion], key: &str) -> Option<usize> {
        custom.iter().position(|q| q.question.key == key).map(|i| self.survey.questions.len() + i)
    }

    pub fn metric(&self) -> Metric {
        let scoring = self.survey.scoring.or_else(|| Task::parse(&self.entry.task).map(|task| task.info().scoring));
        scoring.map_or(Metric::Accuracy, Metric::for_scoring)
    }
}

pub struct Engine {
    pub backend: BackendInfo,
    device: Device,
    /// The personal surveys in the bundle's order, then the editor-only ones loaded so far.
    models: Vec<Rc<SurveyModel>>,
    personal: usize,
    custom: Vec<EmbeddedQuestion>,
}

impl Engine {
    /// Loads every personal survey's model (and the editor's surveys downloaded so far) onto
    /// `device`, with the custom questions after each survey's own.
    pub fn build(
        bundle: &LoadedBundle,
        device: &Device,
        backend: BackendInfo,
        custom: &[EmbeddedQuestion],
    ) -> Result<Self, String> {
        let mut models = Vec::new();
        for entry in &bundle.surveys {
            let file = |name: &str| bundle.file(name);
            let model = SurveyModel::load(
                entry,
                file(&entry.survey)?,
                file(&entry.embeddings)?,
                file(&entry.model)?.to_vec(),
                device,
            )?;
            models.push(model);
        }
        let personal = models.len();
        for extra in bundle.extra_surveys() {
            models.push(SurveyModel::load(
                &extra.entry,
                &extra.survey,
                &extra.embeddings,
                extra.model.to_vec(),
                device,
            )?);
        }
        let models =
            models.into_iter().map(|m| Rc::new(if custom.is_empty() { m } else { m.with_custom(custom) })).collect();
        Ok(Self { backend, device: device.clone(), models, personal, custom: custom.to_vec() })
    }

    /// The same engine with another set of custom questions.
    pub fn with_custom(&self, custom: &[EmbeddedQuestion]) -> Self {
        Self {
            backend: self.backend.clone(),
            device: self.device.clone(),
            models: self.models.iter().map(|m| Rc::new(m.with_custom(custom))).collect(),
            personal: self.personal,
            custom: custom.to_vec(),
        }
    }

    /// The same engine with one more (editor-only) survey, loaded from its verified bytes.
    pub fn with_survey(
        &self,
        entry: &SurveyEntry,
        survey: &[u8],
        embeddings: &[u8],
        model: Vec<u8>,
    ) -> Result<Self, String> {
        let mut models = self.models.clone();
        if self.model(&entry.task).is_some() {
            return Ok(Self {
                backend: self.backend.clone(),
                device: self.device.clone(),
                models,
                personal: self.personal,
                custom: self.custom.clone(),
            });
        }
        let loaded = SurveyModel::load(entry, survey, embeddings, model, &self.device)?;
        models.push(Rc::new(if self.custom.is_empty() { loaded } else { loaded.with_custom(&self.custom) }));
        Ok(Self {
            backend: self.backend.clone(),
            device: self.device.clone(),
            models,
            personal: self.personal,
            custom: self.custom.clone(),
        })
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn custom(&self) -> &[EmbeddedQuestion] {
        &self.custom
    }

    /// The model of survey `task` (personal or loaded for the editor).
    pub fn model(&self, task: &str) -> Option<Rc<SurveyModel>> {
        self.models.iter().find(|m| m.entry.task == task).cloned()
    }

    /// The personal surveys as the views see them.
    pub fn views(&self) -> Vec<Arc<SurveyView>> {
        self.models[..self.personal]
            .iter()
            .map(|model| {
                let mut survey = model.survey.clone();
                let base_questions = survey.questions.len();
                survey.questions.extend(self.custom.iter().map(|q| q.question.clone()));
                Arc::new(SurveyView {
                    task: model.entry.task.clone(),
                    title: model.entry.title.clone(),
                    metric: model.metric(),
                    survey,
                    base_questions,
                })
            })
            .collect()
    }

    /// GPO's prediction of `targets` for a person who chose `chosen` (question, option) in
    /// personal survey `index`; one distribution and std per target, in target order.
    pub async fn predict(
        &self,
        index: usize,
        chosen: &[(usize, usize)],
        targets: Vec<usize>,
    ) -> Result<Prediction, String> {
        let model = self.models[..self.personal].get(index).ok_or("no such survey")?;
        if targets.is_empty() {
            return Ok(Prediction { probs: Vec::new(), std: Vec::new() });
        }
        let context = one_hot(&model.runner, chosen);
        let episode = EpisodeInput::new(context.iter().map(|(q, p)| (*q, p.as_slice())).collect(), targets);
        let mut predictions = model.runner.predict_async(&[episode]).await?;
        predictions.pop().ok_or_else(|| "the model returned no prediction".into())
    }
}

/// A person's chosen options as one-hot distributions over the runner's questions (answers to
/// questions the runner does not have are left out).
pub fn one_hot(runner: &GpoRunner, chosen: &[(usize, usize)]) -> Vec<(usize, Vec<f32>)> {
    let questions = runner.embeddings.offsets.len() - 1;
    chosen
        .iter()
        .filter(|&&(q, option)| q < questions && option < runner.embeddings.options(q))
        .map(|&(q, option)| {
            let mut probs = vec![0.0; runner.embeddings.options(q)];
            probs[option] = 1.0;
            (q, probs)
        })
        .collect()
}
