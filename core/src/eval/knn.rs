//! k nearest context questions by embedding similarity: a target question's distribution is
//! the similarity-weighted mean, over its k most similar context questions, of the probability
//! each of its options' closest counterpart got. `k` is chosen on the validation respondents.

use std::collections::HashMap;
use std::sync::Mutex;

use super::run::{Fold, Method, validation_select};
use crate::data::Survey;
use crate::embed::TaskEmbeddings;
use crate::protocol::Episode;
use crate::protocol::score::{EvalError, Predictor};

pub const KS: [usize; 4] = [1, 3, 5, 10];

/// Unit-length question means and option rows, and a memo of option matchings.
pub struct KnnIndex<'a> {
    embeddings: &'a TaskEmbeddings,
    question_means: Vec<Vec<f32>>,
    options: Vec<Vec<f32>>,
    /// (target, context) question → each target option's closest context option.
    matching: Mutex<HashMap<(usize, usize), Vec<usize>>>,
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl<'a> KnnIndex<'a> {
    pub fn new(embeddings: &'a TaskEmbeddings) -> Self {
        let questions = embeddings.offsets.len() - 1;
        Self {
            embeddings,
            question_means: (0..questions).map(|q| unit(embeddings.question_mean(q))).collect(),
            options: (0..embeddings.rows()).map(|r| unit(embeddings.row(r).to_vec())).collect(),
            matching: Mutex::new(HashMap::new()),
        }
    }

    fn matching(&self, target: usize, context: usize) -> Vec<usize> {
        if let Some(found) = self.matching.lock().expect("memo").get(&(target, context)) {
            return found.clone();
        }
        let e = self.embeddings;
        let found: Vec<usize> = (0..e.options(target))
            .map(|o| {
                let x = &self.options[e.offsets[target] + o];
                (0..e.options(context))
                    .max_by(|&a, &b| {
                        dot(x, &self.options[e.offsets[context] + a])
                            .total_cmp(&dot(x, &self.options[e.offsets[context] + b]))
                    })
                    .expect("a question has options")
            })
            .collect();
        self.matching.lock().expect("memo").insert((target, context), found.clone());
        found
    }
}

pub struct Knn<'a> {
    pub index: &'a KnnIndex<'a>,
    pub k: usize,
}

impl Knn<'_> {
    fn predict_episode(&self, survey: &Survey, episode: &Episode) -> Vec<Vec<f32>> {
        let respondent = &survey.respondents[episode.respondent];
        episode
            .targets
            .iter()
            .map(|&t| {
                let mean = &self.index.question_means[t];
                let mut neighbours: Vec<(f32, usize)> =
                    episode.context.iter().map(|&c| (dot(mean, &self.index.question_means[c]), c)).collect();
                neighbours.sort_by(|a, b| b.0.total_cmp(&a.0));
                neighbours.truncate(self.k);
                let options = self.index.embeddings.options(t);
                let mut scores = vec![0.0f64; options];
                for (similarity, c) in &neighbours {
                    let weight = similarity.max(0.0) as f64 + 1e-6;
                    let probs = &respondent.answer(*c).expect("context is answered").probs;
                    for (score, closest) in scores.iter_mut().zip(self.index.matching(t, *c)) {
                        *score += weight * probs[closest] as f64;
                    }
                }
                let total: f64 = scores.iter().sum();
                if total > 0.0 {
                    scores.iter().map(|s| (s / total) as f32).collect()
                } else {
                    vec![1.0 / options as f32; options]
                }
            })
            .collect()
    }
}

impl Predictor for Knn<'_> {
    fn name(&self) -> String {
        format!("knn(k={})", self.k)
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes.iter().map(|e| self.predict_episode(survey, e)).collect())
    }
}

pub struct KnnMethod<'a> {
    pub index: KnnIndex<'a>,
}

impl<'a> KnnMethod<'a> {
    pub fn new(embeddings: &'a TaskEmbeddings) -> Self {
        Self { index: KnnIndex::new(embeddings) }
    }
}

impl Method for KnnMethod<'_> {
    fn name(&self) -> String {
        "knn".into()
    }

    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        let candidates: Vec<Knn> = KS.iter().map(|&k| Knn { index: &self.index, k }).collect();
        Ok(Box::new(validation_select(fold, candidates)?))
    }
}
