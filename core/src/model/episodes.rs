//! GPO's predictions for protocol episodes (a respondent's context answers → its targets): what
//! training validates with and evaluation scores.

use crate::data::Survey;
use crate::model::EpisodeInput;
#[cfg(not(target_arch = "wasm32"))]
use crate::model::GpoRunner;
use crate::protocol::Episode;
#[cfg(not(target_arch = "wasm32"))]
use crate::protocol::score::{EvalError, Predictor};

/// Respondents predicted per forward pass.
pub const EVAL_CHUNK: usize = 8;

/// The episodes' inputs: each respondent's answers on its context questions.
pub fn episode_inputs<'a>(survey: &'a Survey, episodes: &[Episode]) -> Vec<EpisodeInput<'a>> {
    episodes
        .iter()
        .map(|e| {
            let respondent = &survey.respondents[e.respondent];
            let context = e
                .context
                .iter()
                .map(|&q| (q, respondent.answer(q).expect("context is answered").probs.as_slice()))
                .collect();
            EpisodeInput::new(context, e.targets.clone())
        })
        .collect()
}

/// GPO's predicted distributions for every episode (in chunks of [`EVAL_CHUNK`] respondents).
#[cfg(not(target_arch = "wasm32"))]
pub fn predict_episodes(runner: &GpoRunner, survey: &Survey, episodes: &[Episode]) -> Vec<Vec<Vec<f32>>> {
    predict_inputs(runner, &episode_inputs(survey, episodes))
}

#[cfg(not(target_arch = "wasm32"))]
fn predict_inputs(runner: &GpoRunner, inputs: &[EpisodeInput]) -> Vec<Vec<Vec<f32>>> {
    inputs.chunks(EVAL_CHUNK).flat_map(|chunk| runner.predict(chunk)).map(|p| p.probs).collect()
}

/// GPO's predictions with every target's population statistics hidden (its prior estimated
/// from its text alone), as for a question written in the page's editor.
#[cfg(not(target_arch = "wasm32"))]
pub fn predict_episodes_as_new(runner: &GpoRunner, survey: &Survey, episodes: &[Episode]) -> Vec<Vec<Vec<f32>>> {
    let mut inputs = episode_inputs(survey, episodes);
    for input in &mut inputs {
        input.hidden = Some((vec![false; input.context.len()], vec![true; input.targets.len()]));
    }
    predict_inputs(runner, &inputs)
}

#[cfg(not(target_arch = "wasm32"))]
impl Predictor for GpoRunner {
    fn name(&self) -> String {
        "gpo".into()
    }

    fn predict(&self, survey: &Survey, episodes: &[Episode]) -> Result<Vec<Vec<Vec<f32>>>, EvalError> {
        Ok(predict_episodes(self, survey, episodes))
    }
}
