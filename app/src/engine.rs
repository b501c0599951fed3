//! The GPO models of the bundle's surveys on one device, and prediction with them. Built again
//! (from the already downloaded bytes) whenever the backend changes.

use std::sync::Arc;

use burn::prelude::Device;
use gpo_core::data::Task;
use gpo_core::eval::Metric;
use gpo_core::export::bundle::{BundleSurvey, WebSurvey, one_hot_answers};
use gpo_core::model::Prediction;

use crate::backend::BackendInfo;
use crate::bundle::LoadedBundle;

/// What the views need of a survey (plain data, shared cheaply).
#[derive(Debug)]
pub struct SurveyView {
    pub task: String,
    pub title: String,
    pub metric: Metric,
    pub survey: WebSurvey,
}

pub struct Engine {
    pub backend: BackendInfo,
    /// One per personal survey, in the bundle's order.
    models: Vec<BundleSurvey>,
}

impl Engine {
    /// Loads every personal survey's model onto `device`.
    pub fn build(bundle: &LoadedBundle, device: &Device, backend: BackendInfo) -> Result<Self, String> {
        let mut models = Vec::new();
        for entry in &bundle.surveys {
            let model = BundleSurvey::load(
                bundle.file(&entry.survey)?,
                bundle.file(&entry.embeddings)?,
                bundle.file(&entry.model)?.to_vec(),
                entry,
                device,
            )
            .map_err(|e| e.to_string())?;
            models.push(model);
        }
        Ok(Self { backend, models })
    }

    /// The surveys as the views see them.
    pub fn views(&self, bundle: &LoadedBundle) -> Vec<Arc<SurveyView>> {
        self.models
            .iter()
            .zip(&bundle.surveys)
            .map(|(model, entry)| {
                let metric = Task::parse(&entry.task).map(Metric::for_task).unwrap_or(Metric::Accuracy);
                Arc::new(SurveyView {
                    task: entry.task.clone(),
                    title: entry.title.clone(),
                    metric,
                    survey: model.survey.clone(),
                })
            })
            .collect()
    }

    /// GPO's prediction of `targets` for a person who chose `chosen` (question, option) in
    /// survey `index`; one distribution and std per target, in target order.
    pub async fn predict(
        &self,
        index: usize,
        chosen: &[(usize, usize)],
        targets: Vec<usize>,
    ) -> Result<Prediction, String> {
        let model = self.models.get(index).ok_or("no such survey")?;
        if targets.is_empty() {
            return Ok(Prediction { probs: Vec::new(), std: Vec::new() });
        }
        let context = one_hot_answers(&model.survey.questions, chosen);
        let episode = model.episode(&context, targets);
        let mut predictions = model.runner.predict_async(&[episode]).await?;
        predictions.pop().ok_or_else(|| "the model returned no prediction".into())
    }
}
