//! The GPO models of the bundle's surveys on one device, and prediction with them. Built again
//! (from the already downloaded bytes) whenever the backend changes; derived anew (sharing the
//! trained weights) whenever the person's own questions change, so a prediction under way
//! keeps the engine it started with.

pub mod backend;
pub mod encoder;

use std::sync::Arc;

use burn::prelude::Device;
use gpo_core::export::bundle::SurveyEntry;
use gpo_core::export::predictor::{PersonPrediction, SurveyPredictor};

use crate::domain::custom::EmbeddedQuestion;
use crate::domain::error::PageError;
use crate::domain::view::SurveyView;
use crate::platform::bundle::LoadedBundle;
use backend::BackendInfo;

/// Index, in `predictor`'s questions, of the custom question `key`: custom questions follow
/// the survey's own, in `custom`'s order.
pub fn custom_index(predictor: &SurveyPredictor, custom: &[EmbeddedQuestion], key: &str) -> Option<usize> {
    custom.iter().position(|q| q.question.key == key).map(|i| predictor.own_questions() + i)
}

fn load(
    entry: &SurveyEntry,
    survey: &[u8],
    embeddings: &[u8],
    model: Vec<u8>,
    device: &Device,
) -> Result<SurveyPredictor, PageError> {
    Ok(SurveyPredictor::load(entry, survey, embeddings, model, device)?)
}

/// `predictor` over its survey's questions followed by `custom`.
fn with_custom(predictor: SurveyPredictor, custom: &[EmbeddedQuestion]) -> SurveyPredictor {
    if custom.is_empty() && predictor.questions() == predictor.own_questions() {
        return predictor;
    }
    let added: Vec<&[f32]> = custom.iter().map(|q| q.embedding.vectors.as_slice()).collect();
    predictor.with_questions(&added)
}

pub struct Engine {
    pub backend: BackendInfo,
    device: Device,
    /// The personal surveys in the bundle's order, then the editor-only ones loaded so far.
    models: Vec<SurveyPredictor>,
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
    ) -> Result<Self, PageError> {
        let mut models = Vec::new();
        for entry in &bundle.surveys {
            let file = |name: &str| bundle.file(name);
            let model =
                load(entry, file(&entry.survey)?, file(&entry.embeddings)?, file(&entry.model)?.to_vec(), device)?;
            models.push(model);
        }
        let personal = models.len();
        for extra in bundle.extra_surveys() {
            models.push(load(&extra.entry, &extra.survey, &extra.embeddings, extra.model.to_vec(), device)?);
        }
        let models = models.into_iter().map(|m| with_custom(m, custom)).collect();
        Ok(Self { backend, device: device.clone(), models, personal, custom: custom.to_vec() })
    }

    /// The same engine with another set of custom questions.
    pub fn with_custom(&self, custom: &[EmbeddedQuestion]) -> Self {
        Self {
            backend: self.backend.clone(),
            device: self.device.clone(),
            models: self.models.iter().map(|m| with_custom(m.clone(), custom)).collect(),
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
    ) -> Result<Self, PageError> {
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
        models.push(with_custom(load(entry, survey, embeddings, model, &self.device)?, &self.custom));
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
    pub fn model(&self, task: &str) -> Option<SurveyPredictor> {
        self.models.iter().find(|m| m.entry().task == task).cloned()
    }

    /// The personal surveys as the views see them.
    pub fn views(&self) -> Vec<Arc<SurveyView>> {
        self.models[..self.personal]
            .iter()
            .map(|model| {
                let mut survey = model.survey().clone();
                let base_questions = survey.questions.len();
                survey.questions.extend(self.custom.iter().map(|q| q.question.clone()));
                Arc::new(SurveyView {
                    task: model.entry().task.clone(),
                    title: model.entry().title.clone(),
                    metric: model.metric(),
                    survey,
                    base_questions,
                })
            })
            .collect()
    }

    /// GPO's prediction of `targets` for a person who chose `chosen` (question, option) in
    /// personal survey `index`; one forecast per target, in target order (`None`: no such
    /// survey).
    pub async fn predict(
        &self,
        index: usize,
        chosen: &[(usize, usize)],
        targets: &[usize],
    ) -> Result<Option<PersonPrediction>, PageError> {
        let Some(model) = self.models[..self.personal].get(index) else { return Ok(None) };
        Ok(Some(model.predict_person(chosen, targets).await?))
    }
}
