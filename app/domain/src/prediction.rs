//! GPO's latest prediction of a survey's unanswered questions, as the page keeps it.

use std::collections::HashMap;

use crate::answers::Forecast;
use crate::view::SurveyView;

#[derive(Clone, Debug, PartialEq)]
pub struct PredictionSet {
    pub survey: usize,
    /// Per question; `None` for questions that were answered (the context).
    pub forecasts: Vec<Option<Forecast>>,
    /// The predicted questions, in the order they were predicted.
    pub targets: Vec<usize>,
    /// How many answers the context held.
    pub context: usize,
}

impl PredictionSet {
    pub fn forecast(&self, question: usize) -> Option<&Forecast> {
        self.forecasts.get(question).and_then(Option::as_ref)
    }

    /// This set (made for `old`'s questions) for `new`'s questions, matched by key: the
    /// prediction on screen follows its questions to their new places until the next one.
    pub fn remap(&self, old: &SurveyView, new: &SurveyView) -> PredictionSet {
        let places: HashMap<&str, usize> =
            new.survey.questions.iter().enumerate().map(|(i, q)| (q.key.as_str(), i)).collect();
        let index = |q: usize| old.survey.questions.get(q).and_then(|o| places.get(o.key.as_str()).copied());
        let mut forecasts = vec![None; new.survey.questions.len()];
        let mut targets = Vec::new();
        for &q in &self.targets {
            if let (Some(to), Some(forecast)) = (index(q), self.forecast(q)) {
                forecasts[to] = Some(forecast.clone());
                targets.push(to);
            }
        }
        PredictionSet { survey: self.survey, forecasts, targets, context: self.context }
    }

    /// For tests and curious people: the predicted questions as `[{"key", "probs", "std"}]`.
    pub fn to_json(&self, view: &SurveyView) -> String {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            key: &'a str,
            probs: &'a [f32],
            std: &'a [f32],
        }
        let rows: Vec<Row> = self
            .targets
            .iter()
            .filter_map(|&q| {
                let forecast = self.forecast(q)?;
                let key = &view.survey.questions.get(q)?.key;
                Some(Row { key, probs: &forecast.probs, std: &forecast.std })
            })
            .collect();
        serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::{question, view, view_of};

    fn forecast(probs: &[f32]) -> Forecast {
        Forecast { probs: probs.to_vec(), std: vec![0.1; probs.len()] }
    }

    fn predicted(targets: &[usize], questions: usize) -> PredictionSet {
        let mut forecasts = vec![None; questions];
        for &q in targets {
            forecasts[q] = Some(forecast(&[0.25 + q as f32 / 10.0, 0.75 - q as f32 / 10.0]));
        }
        PredictionSet { survey: 0, forecasts, targets: targets.to_vec(), context: 1 }
    }

    #[test]
    fn a_remapped_prediction_follows_its_questions_by_key() {
        let old = view();
        // q1 removed, q3 moved first, a new question added.
        let new = view_of(vec![
            question("q3", "Climate change is real", &["Agree", "Disagree"]),
            question("custom-1", "New", &["a", "b"]),
            question("q2", "How often?", &["Often", "Sometimes", "Never, ever"]),
        ]);
        let set = predicted(&[0, 2], 3);
        let moved = set.remap(&old, &new);
        assert_eq!(moved.targets, vec![0]);
        assert_eq!(moved.forecast(0), set.forecast(2));
        assert_eq!(moved.forecasts.len(), 3);
        assert!(moved.forecast(1).is_none() && moved.forecast(2).is_none());
        assert_eq!(moved.context, set.context);
    }

    #[test]
    fn the_json_lists_the_targets_by_key() {
        let set = predicted(&[2, 0], 3);
        let rows: serde_json::Value = serde_json::from_str(&set.to_json(&view())).unwrap();
        let keys: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["q3", "q1"]);
        assert_eq!(rows[0]["probs"].as_array().unwrap().len(), 2);
    }
}
