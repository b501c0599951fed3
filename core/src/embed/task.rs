//! One task's (question, option) embeddings, aligned with the survey's questions and options.

use super::cache::EmbeddingStore;
use super::text::TextFormat;
use crate::data::Survey;

#[derive(Clone, Debug, PartialEq)]
pub struct TaskEmbeddings {
    pub dim: usize,
    /// Row of each question's first option; `offsets[q + 1] - offsets[q]` = its option count.
    pub offsets: Vec<usize>,
    /// `rows × dim`, row-major: one row per (question, option).
    pub data: Vec<f32>,
}

impl TaskEmbeddings {
    /// Collects every option text of `survey` from `store`; `Err(missing texts)` if any is absent.
    pub fn from_store(survey: &Survey, format: TextFormat, store: &EmbeddingStore) -> Result<Self, Vec<String>> {
        let mut offsets = vec![0];
        let mut data = Vec::new();
        let mut missing = Vec::new();
        for question in &survey.questions {
            for text in format.option_texts(question) {
                match store.get(&text) {
                    Some(v) => data.extend_from_slice(v),
                    None => {
                        data.extend(std::iter::repeat_n(0.0, store.dim));
                        missing.push(text);
                    }
                }
            }
            offsets.push(offsets.last().unwrap() + question.options.len());
        }
        if missing.is_empty() { Ok(Self { dim: store.dim, offsets, data }) } else { Err(missing) }
    }

    /// The rows of the given questions only (in that order).
    pub fn select(&self, questions: &[usize]) -> Self {
        let mut offsets = vec![0];
        let mut data = Vec::new();
        for &q in questions {
            data.extend_from_slice(&self.data[self.offsets[q] * self.dim..self.offsets[q + 1] * self.dim]);
            offsets.push(offsets.last().unwrap() + self.options(q));
        }
        Self { dim: self.dim, offsets, data }
    }

    /// Appends one question's option vectors (e.g. a question written in the page's editor).
    pub fn push_question(&mut self, vectors: &[f32]) {
        assert_eq!(vectors.len() % self.dim, 0, "whole rows");
        self.data.extend_from_slice(vectors);
        let rows = vectors.len() / self.dim;
        self.offsets.push(self.offsets.last().unwrap() + rows);
    }

    /// Every (question, option) text of a survey, in row order.
    pub fn texts(survey: &Survey, format: TextFormat) -> Vec<String> {
        survey.questions.iter().flat_map(|q| format.option_texts(q)).collect()
    }

    pub fn rows(&self) -> usize {
        self.data.len() / self.dim
    }

    pub fn row(&self, row: usize) -> &[f32] {
        &self.data[row * self.dim..(row + 1) * self.dim]
    }

    /// The embedding of option `option` of question `question`.
    pub fn option(&self, question: usize, option: usize) -> &[f32] {
        self.row(self.offsets[question] + option)
    }

    pub fn options(&self, question: usize) -> usize {
        self.offsets[question + 1] - self.offsets[question]
    }

    /// Mean of a question's option embeddings (a question-level vector).
    pub fn question_mean(&self, question: usize) -> Vec<f32> {
        let n = self.options(question);
        let mut mean = vec![0.0; self.dim];
        for o in 0..n {
            for (m, v) in mean.iter_mut().zip(self.option(question, o)) {
                *m += v / n as f32;
            }
        }
        mean
    }
}
