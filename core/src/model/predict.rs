//! Prediction with a trained [`Gpo`]: `predict(context, targets)` for any number of questions with
//! any number of options, the context-independent target embeddings computed once per survey.

use burn::prelude::*;

use super::batch::{EpisodeInput, GpoBatch, build_batch};
use super::gpo::{Gpo, GpoOutput};
use super::population::{Offset, Population};
use crate::embed::TaskEmbeddings;

/// Per target question: the predicted distribution and GPO's std of each option.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub probs: Vec<Vec<f32>>,
    pub std: Vec<Vec<f32>>,
}

/// Reading predictions back from the device failed (a lost WebGPU device, for one).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("reading GPO's predictions back from the device failed: {detail}")]
pub struct ReadBackError {
    pub detail: String,
}

/// A model bound to one survey's (question, option) embeddings and population prior on one
/// device.
pub struct GpoRunner {
    model: Gpo,
    embeddings: TaskEmbeddings,
    population: Population,
    offset: Offset,
    device: Device,
    /// `[rows, input_dim]`
    table: Tensor<2>,
    /// `[rows, width]`
    population_table: Tensor<2>,
    /// `[rows, d_model]`: every option as a target token `[x ; 0 ; population]` through the
    /// embedder.
    target_table: Tensor<2>,
}

/// Uploads the population features as a `[rows, width]` tensor.
pub fn population_table(population: &Population, device: &Device) -> Tensor<2> {
    let rows = population.rows();
    let data: Vec<f32> = (0..rows).flat_map(|r| population.features(r)).collect();
    Tensor::from_data(TensorData::new(data, [rows, Population::width(population.factors)]), device)
}

/// Uploads the task's embedding rows as a `[rows, dim]` tensor.
pub fn embedding_table(embeddings: &TaskEmbeddings, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(embeddings.data.clone(), [embeddings.rows(), embeddings.dim]), device)
}

impl Gpo {
    /// The model on a batch whose tokens are rows of `table` (used in training).
    pub fn forward_batch(&self, table: &Tensor<2>, batch: &GpoBatch) -> GpoOutput {
        let rows = |index: &Tensor<1, Int>, n: usize| {
            let dim = table.dims()[1];
            table.clone().select(0, index.clone()).reshape([batch.batch, n, dim])
        };
        self.forward(
            rows(&batch.context_rows, batch.context),
            batch.context_y.clone(),
            batch.context_population.clone(),
            batch.context_pad.clone(),
            rows(&batch.target_rows, batch.targets),
            batch.target_population.clone(),
            batch.target_offset.clone(),
            &batch.segments,
        )
    }
}

impl GpoRunner {
    pub fn new(
        model: Gpo,
        embeddings: TaskEmbeddings,
        population: Population,
        offset: Offset,
        device: &Device,
    ) -> Self {
        let table = embedding_table(&embeddings, device);
        let population_table = population_table(&population, device);
        let target_table = Self::targets(&model, &table, &population_table);
        Self { model, embeddings, population, offset, device: device.clone(), table, population_table, target_table }
    }

    /// Every row as a target token `[x ; 0 ; population]` through the embedder.
    fn targets(model: &Gpo, table: &Tensor<2>, population_table: &Tensor<2>) -> Tensor<2> {
        model
            .embed_targets(table.clone().unsqueeze::<3>(), population_table.clone().unsqueeze::<3>())
            .squeeze_dim::<2>(0)
    }

    pub fn device(&self) -> &Device {
        &self.device
    }

    pub fn model(&self) -> &Gpo {
        &self.model
    }

    pub fn embeddings(&self) -> &TaskEmbeddings {
        &self.embeddings
    }

    pub fn population(&self) -> &Population {
        &self.population
    }

    /// How many questions the runner predicts (the survey's own and any added).
    pub fn questions(&self) -> usize {
        self.embeddings.offsets.len() - 1
    }

    /// How many options question `q` has.
    pub fn options(&self, q: usize) -> usize {
        self.embeddings.options(q)
    }

    /// The same weights over the first `keep` questions followed by `added` (e.g. questions
    /// written in the page's editor): each added question's option embeddings (`options × dim`)
    /// with its population statistics unknown (its prior estimated from the text). The device
    /// tables are built once.
    pub fn with_questions(&self, keep: usize, added: &[&[f32]]) -> Self {
        let keep = keep.min(self.questions());
        let base: Vec<usize> = (0..keep).collect();
        let mut embeddings = self.embeddings.select(&base);
        let mut population = self.population.select(&self.embeddings.offsets, &base);
        let source = embeddings.clone();
        for vectors in added {
            embeddings.push_question(vectors);
            population.push_question(None, vectors, vectors.len() / embeddings.dim, &source);
        }
        Self::new(self.model.clone(), embeddings, population, self.offset, &self.device)
    }

    /// Swaps in another model (e.g. a newer training snapshot) over the same embeddings.
    pub fn set_model(&mut self, model: Gpo) {
        self.target_table = Self::targets(&model, &self.table, &self.population_table);
        self.model = model;
    }

    /// Mean and std tensors for a batch of episodes (all read the runner's population).
    pub fn forward(&self, episodes: &[EpisodeInput]) -> (GpoBatch, GpoOutput) {
        let batch = build_batch(&self.embeddings, episodes, &[&self.population], self.offset, &self.device);
        let dim = self.table.dims()[1];
        let d_model = self.target_table.dims()[1];
        let context_x =
            self.table.clone().select(0, batch.context_rows.clone()).reshape([batch.batch, batch.context, dim]);
        let context = self.model.embed(context_x, batch.context_y.clone(), batch.context_population.clone());
        let targets = self.target_table.clone().select(0, batch.target_rows.clone()).reshape([
            batch.batch,
            batch.targets,
            d_model,
        ]);
        let output = self.model.forward_embedded(
            context,
            batch.context_pad.clone(),
            targets,
            batch.target_offset.clone(),
            &batch.segments,
        );
        (batch, output)
    }

    /// Splits read-back `[batch, t]` means and stds into per-question predictions.
    fn split(&self, episodes: &[EpisodeInput], t: usize, mean: &[f32], std: &[f32]) -> Vec<Prediction> {
        episodes
            .iter()
            .enumerate()
            .map(|(b, episode)| {
                let mut at = b * t;
                let mut prediction = Prediction { probs: Vec::new(), std: Vec::new() };
                for &q in &episode.targets {
                    let n = self.embeddings.options(q);
                    prediction.probs.push(mean[at..at + n].to_vec());
                    prediction.std.push(std[at..at + n].to_vec());
                    at += n;
                }
                prediction
            })
            .collect()
    }

    /// Predicts each episode's targets (native: reads back synchronously).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn predict(&self, episodes: &[EpisodeInput]) -> Vec<Prediction> {
        if episodes.is_empty() {
            return Vec::new();
        }
        let (batch, output) = self.forward(episodes);
        let mean: Vec<f32> = output.mean.try_into_vec_as().expect("reading predictions");
        let std: Vec<f32> = output.std.try_into_vec_as().expect("reading predictions");
        self.split(episodes, batch.targets, &mean, &std)
    }

    /// Predicts each episode's targets, reading back asynchronously (WebGPU in the page).
    pub async fn predict_async(&self, episodes: &[EpisodeInput<'_>]) -> Result<Vec<Prediction>, ReadBackError> {
        if episodes.is_empty() {
            return Ok(Vec::new());
        }
        let (batch, output) = self.forward(episodes);
        let read = |data: Result<TensorData, _>| -> Result<Vec<f32>, ReadBackError> {
            let failed = |e: &dyn std::fmt::Debug| ReadBackError { detail: format!("{e:?}") };
            data.map_err(|e| failed(&e))?.try_into_vec_as::<f32>().map_err(|e| failed(&e))
        };
        let mean = read(output.mean.into_data_async().await)?;
        let std = read(output.std.into_data_async().await)?;
        Ok(self.split(episodes, batch.targets, &mean, &std))
    }
}
