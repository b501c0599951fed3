//! The one prediction API over a bundle's survey: what the page runs (WebGPU or CPU, reading
//! back asynchronously) and what `gpo predict` runs natively, so that the browser parity tests
//! compare one implementation on two backends.
//!
//! A [`SurveyPredictor`] holds the survey (questions, groups), its trained weights on one device
//! and any questions added after the survey's own (the page's editor, `gpo predict --question`).
//! It predicts a person from their chosen options, and every group on one question from each
//! group's first N answers in its fixed context order, a few groups per forward pass
//! ([`plan_passes`]).

use std::ops::ControlFlow;
use std::rc::Rc;

use burn::prelude::Device;

use super::bundle::{BundleError, SurveyEntry, WebSurvey, embeddings_from_bytes};
use super::contexts::context_order;
use super::passes::plan_passes;
use crate::data::Task;
use crate::model::prior_map::Neighbour;
use crate::model::{EpisodeInput, GpoRunner, Prediction, ReadBackError};
use crate::protocol::Metric;

/// GPO's prediction of one question: a distribution over its options and a std per option.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Forecast {
    pub probs: Vec<f32>,
    pub std: Vec<f32>,
}

impl Forecast {
    /// The most likely option (the first on ties).
    pub fn top(&self) -> usize {
        let mut best = 0;
        for (i, p) in self.probs.iter().enumerate() {
            if *p > self.probs[best] {
                best = i;
            }
        }
        best
    }

    /// How sure GPO is of its top option.
    pub fn confidence(&self) -> f32 {
        self.probs.get(self.top()).copied().unwrap_or(0.0)
    }
}

/// One survey of a bundle on one device, with the questions added after its own.
#[derive(Clone)]
pub struct SurveyPredictor {
    entry: SurveyEntry,
    survey: Rc<WebSurvey>,
    /// Over the survey's questions, then the added ones.
    runner: Rc<GpoRunner>,
}

impl SurveyPredictor {
    /// From the verified bytes of a survey's three files.
    pub fn load(
        entry: &SurveyEntry,
        survey_bytes: &[u8],
        embedding_bytes: &[u8],
        model_bytes: Vec<u8>,
        device: &Device,
    ) -> Result<Self, BundleError> {
        let survey = WebSurvey::parse(survey_bytes, &entry.survey)?;
        let embeddings = embeddings_from_bytes(embedding_bytes, &survey.questions, &entry.embeddings)?;
        if embeddings.dim != survey.model.input_dim {
            let detail =
                format!("{}-wide embeddings for a model that reads {}", embeddings.dim, survey.model.input_dim);
            return Err(BundleError::Invalid { file: entry.embeddings.clone(), detail });
        }
        let model = crate::train::saved::model_from_record(&survey.model, model_bytes, device)
            .map_err(|e| BundleError::Invalid { file: entry.model.clone(), detail: e.to_string() })?;
        let runner = GpoRunner::new(model, embeddings, survey.population.clone(), survey.offset, device);
        Ok(Self { entry: entry.clone(), survey: Rc::new(survey), runner: Rc::new(runner) })
    }

    pub fn entry(&self) -> &SurveyEntry {
        &self.entry
    }

    /// The survey's own questions and groups (without the added questions).
    pub fn survey(&self) -> &WebSurvey {
        &self.survey
    }

    pub fn device(&self) -> &Device {
        self.runner.device()
    }

    /// How many questions are the survey's own; added questions follow them.
    pub fn own_questions(&self) -> usize {
        self.survey.questions.len()
    }

    /// The survey's own questions and the added ones.
    pub fn questions(&self) -> usize {
        self.runner.questions()
    }

    pub fn options(&self, question: usize) -> usize {
        self.runner.options(question)
    }

    /// How the survey is scored: its bundle's `scoring`, else (bundles written before it) the
    /// built-in task's, else accuracy.
    pub fn metric(&self) -> Metric {
        let scoring = self.survey.scoring.or_else(|| Task::parse(&self.entry.task).map(|task| task.info().scoring));
        scoring.map_or(Metric::Accuracy, Metric::for_scoring)
    }

    /// The same trained weights over the survey's own questions followed by `added`: each an
    /// added question's option embeddings (`options × dim`), its population statistics unknown.
    /// Replaces any questions added before.
    pub fn with_questions(&self, added: &[&[f32]]) -> Self {
        let runner = self.runner.with_questions(self.own_questions(), added);
        Self { entry: self.entry.clone(), survey: self.survey.clone(), runner: Rc::new(runner) }
    }

    /// What the estimated statistics of added question `question` drew on: the survey's own
    /// questions most like it by the text map's similarity, most alike first (none without a
    /// text map). Below [`CLOSE`](crate::model::prior_map::CLOSE) the estimate is near its
    /// option scale's typical answer.
    pub fn similar_questions(&self, question: usize, count: usize) -> Vec<Neighbour> {
        let embeddings = self.runner.embeddings();
        match (&self.runner.population().prior_map, question < self.questions()) {
            (Some(map), true) => {
                let rows = embeddings.offsets[question]..embeddings.offsets[question + 1];
                let vectors = &embeddings.data[rows.start * embeddings.dim..rows.end * embeddings.dim];
                map.nearest(embeddings, 0..self.own_questions(), vectors, count)
            }
            _ => Vec::new(),
        }
    }

    /// A person's chosen (question, option) pairs as one-hot distributions; choices the
    /// predictor does not have (a removed question, an option out of range) are left out.
    pub fn one_hot(&self, chosen: &[(usize, usize)]) -> Vec<(usize, Vec<f32>)> {
        chosen
            .iter()
            .filter(|&&(q, option)| q < self.questions() && option < self.options(q))
            .map(|&(q, option)| {
                let mut probs = vec![0.0; self.options(q)];
                probs[option] = 1.0;
                (q, probs)
            })
            .collect()
    }

    /// GPO's prediction of `targets` for a person who chose `chosen`; one forecast per target,
    /// in target order. Returns the context actually used (its size is what the page shows).
    pub async fn predict_person(
        &self,
        chosen: &[(usize, usize)],
        targets: &[usize],
    ) -> Result<PersonPrediction, ReadBackError> {
        let context = self.one_hot(chosen);
        let targets: Vec<usize> = targets.iter().copied().filter(|&q| q < self.questions()).collect();
        if targets.is_empty() {
            return Ok(PersonPrediction { context: context.len(), forecasts: Vec::new() });
        }
        let episode = EpisodeInput::new(context.iter().map(|(q, p)| (*q, p.as_slice())).collect(), targets);
        let prediction = self.runner.predict_async(std::slice::from_ref(&episode)).await?.pop();
        let forecasts = prediction.map(forecasts).unwrap_or_default();
        Ok(PersonPrediction { context: context.len(), forecasts })
    }

    /// Each group's context: the indices (into its answers) of its first `size` answers in its
    /// fixed order (all of them for `None`), so a larger size adds answers and the same size
    /// always gives the same prediction.
    pub fn group_contexts(&self, size: Option<usize>) -> Vec<Vec<usize>> {
        self.survey
            .groups
            .iter()
            .map(|group| {
                let mut order = context_order(&group.name, group.answers.len());
                order.truncate(size.unwrap_or(usize::MAX));
                order
            })
            .collect()
    }

    /// Every group's prediction of question `target` from its first `size` answers (see
    /// [`Self::group_contexts`]), in the survey's group order. After each forward pass
    /// `progress` sees the forecasts so far (`None`: not yet predicted) and may stop the run,
    /// which then returns `Ok(None)`.
    pub async fn predict_groups(
        &self,
        target: usize,
        size: Option<usize>,
        mut progress: impl FnMut(&[Option<Forecast>]) -> ControlFlow<()>,
    ) -> Result<Option<Vec<Forecast>>, ReadBackError> {
        let groups = &self.survey.groups;
        let contexts = self.group_contexts(size);
        let options = self.options(target);
        let tokens: Vec<usize> = contexts
            .iter()
            .zip(groups)
            .map(|(context, group)| context.iter().map(|&a| group.answers[a].1.len()).sum::<usize>() + options)
            .collect();
        let mut done: Vec<Option<Forecast>> = vec![None; groups.len()];
        for pass in plan_passes(&tokens) {
            let episodes: Vec<EpisodeInput> = pass
                .iter()
                .map(|&g| {
                    let answers = &groups[g].answers;
                    let context = contexts[g].iter().map(|&a| (answers[a].0, answers[a].1.as_slice())).collect();
                    EpisodeInput::new(context, vec![target])
                })
                .collect();
            let predictions = self.runner.predict_async(&episodes).await?;
            for (&g, prediction) in pass.iter().zip(predictions) {
                done[g] = forecasts(prediction).pop();
            }
            if progress(&done).is_break() {
                return Ok(None);
            }
        }
        Ok(Some(done.into_iter().map(|f| f.expect("every group is in one pass")).collect()))
    }
}

/// A person's prediction: how many of their answers were the context, and a forecast per target.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonPrediction {
    pub context: usize,
    pub forecasts: Vec<Forecast>,
}

fn forecasts(prediction: Prediction) -> Vec<Forecast> {
    prediction.probs.into_iter().zip(prediction.std).map(|(probs, std)| Forecast { probs, std }).collect()
}

/// Native callers (`gpo predict`, tests) run the same asynchronous code to completion: on the
/// CPU and native wgpu the read-back is ready when polled.
#[cfg(not(target_arch = "wasm32"))]
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    futures_lite::future::block_on(future)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::test_bundle::small_bundle;

    /// The small bundle survey of `test_bundle`, loaded as the page loads it.
    fn predictor() -> SurveyPredictor {
        small_bundle().load(&Device::flex()).unwrap()
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5)
    }

    #[test]
    fn groups_predicted_together_are_the_groups_predicted_alone() {
        let added: Vec<f32> = (0..24).map(|i| (i as f32 * 0.37).sin()).collect();
        let predictor = predictor().with_questions(&[&added]);
        let target = predictor.own_questions();
        assert_eq!((target, predictor.questions(), predictor.options(target)), (10, 11, 3));
        let all = block_on(predictor.predict_groups(target, Some(4), |_| ControlFlow::Continue(()))).unwrap().unwrap();
        let contexts = predictor.group_contexts(Some(4));
        assert_eq!(all.len(), 7);
        for (g, (forecast, context)) in all.iter().zip(&contexts).enumerate() {
            assert!(context.len() == 4.min(3 + g), "group {g}: its first four answers");
            let answers = &predictor.survey().groups[g].answers;
            let episode = EpisodeInput::new(
                context.iter().map(|&a| (answers[a].0, answers[a].1.as_slice())).collect(),
                vec![target],
            );
            let alone = forecasts(block_on(predictor.runner.predict_async(&[episode])).unwrap().remove(0)).remove(0);
            assert!(close(&forecast.probs, &alone.probs) && close(&forecast.std, &alone.std), "group {g}");
            assert!((forecast.probs.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
        assert!(!close(&all[0].probs, &all[6].probs), "the groups' contexts matter (else this test shows nothing)");
        // A larger context adds answers to the same order.
        let more = predictor.group_contexts(None);
        assert!(contexts.iter().zip(&more).all(|(a, b)| b.starts_with(a)));
    }

    #[test]
    fn a_stopped_run_returns_nothing_and_added_questions_replace_the_last() {
        let predictor = predictor();
        let mut calls = 0;
        let stopped = block_on(predictor.predict_groups(3, None, |_| {
            calls += 1;
            ControlFlow::Break(())
        }));
        assert_eq!((stopped.unwrap(), calls), (None, 1));
        let once = predictor.with_questions(&[&[0.2; 16], &[0.3; 24]]);
        assert_eq!(once.questions(), 12);
        assert_eq!(once.with_questions(&[&[0.2; 16]]).questions(), 11, "added questions are replaced, not stacked");
        assert_eq!(predictor.questions(), 10, "the original is untouched");
    }

    #[test]
    fn a_person_is_predicted_from_the_choices_the_survey_has() {
        let predictor = predictor();
        // Question 12 and option 7 of question 0 do not exist: left out of the context.
        let chosen = [(1, 1), (12, 0), (0, 7), (4, 0)];
        assert_eq!(predictor.one_hot(&chosen), vec![(1, vec![0.0, 1.0, 0.0]), (4, vec![1.0, 0.0, 0.0])]);
        let person = block_on(predictor.predict_person(&chosen, &[2, 3, 99])).unwrap();
        assert_eq!(person.context, 2);
        assert_eq!(person.forecasts.len(), 2, "an unknown target is left out");
        assert_eq!(person.forecasts[0].probs.len(), 4);
        let none = block_on(predictor.predict_person(&chosen, &[])).unwrap();
        assert!(none.forecasts.is_empty());
    }
}
