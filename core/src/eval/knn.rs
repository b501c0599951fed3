//! k nearest context questions by embedding similarity: a target question's distribution is
//! the similarity-weighted mean, over its k most similar context questions, of the probability
//! each of its options' closest counterpart got. `k` is chosen on the validation respondents.

use super::protocol::Episode;
use super::run::{Fold, Method, validation_select};
use super::score::{EvalError, Predictor};
use crate::data::Survey;
use crate::embed::TaskEmbeddings;

pub const KS: [usize; 4] = [1, 3, 5, 10];

pub struct Knn<'a> {
    pub embeddings: &'a TaskEmbeddings,
    pub k: usize,
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let (mut ab, mut aa, mut bb) = (0.0f64, 0.0f64, 0.0f64);
    for (x, y) in a.iter().zip(b) {
        ab += (*x as f64) * (*y as f64);
        aa += (*x as f64) * (*x as f64);
        bb += (*y as f64) * (*y as f64);
    }
    ab / (aa.sqrt() * bb.sqrt()).max(1e-12)
}

impl Knn<'_> {
    fn predict_episode(&self, survey: &Survey, episode: &Episode) -> Vec<Vec<f32>> {
        let e = self.embeddings;
        let respondent = &survey.respondents[episode.respondent];
        let context_means: Vec<(usize, Vec<f32>)> = episode
            .context
            .iter()
            .map(|&q| (q, e.question_mean(q)))
            .collect();
        episode
            .targets
            .iter()
            .map(|&t| {
                let mean = e.question_mean(t);
                let mut neighbours: Vec<(f64, usize)> = context_means
                    .iter()
                    .map(|(q, m)| (cosine(&mean, m), *q))
                    .collect();
                neighbours.sort_by(|a, b| b.0.total_cmp(&a.0));
                neighbours.truncate(self.k);
                let options = e.options(t);
                let mut scores = vec![0.0f64; options];
                for (similarity, c) in &neighbours {
                    let weight = similarity.max(0.0) + 1e-6;
                    let probs = &respondent.answer(*c).expect("context is answered").probs;
                    for (o, score) in scores.iter_mut().enumerate() {
                        let closest = (0..e.options(*c))
                            .max_by(|&a, &b| {
                                cosine(e.option(t, o), e.option(*c, a))
                                    .total_cmp(&cosine(e.option(t, o), e.option(*c, b)))
                            })
                            .expect("a question has options");
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

    fn predict(
        &self,
        survey: &Survey,
        episodes: &[Episode],
    ) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(episodes
            .iter()
            .map(|e| self.predict_episode(survey, e))
            .collect())
    }
}

pub struct KnnMethod<'a> {
    pub embeddings: &'a TaskEmbeddings,
}

impl Method for KnnMethod<'_> {
    fn name(&self) -> String {
        "knn".into()
    }

    fn build(&self, fold: &Fold) -> Result<Box<dyn Predictor + '_>, EvalError> {
        let candidates: Vec<Knn> = KS
            .iter()
            .map(|&k| Knn {
                embeddings: self.embeddings,
                k,
            })
            .collect();
        Ok(Box::new(validation_select(fold, candidates)?))
    }
}
