//! Drawing meta-training episodes from the training respondents.

use super::config::{SamplingConfig, SamplingMode};
use crate::data::Survey;
use crate::model::EpisodeInput;
use crate::util::rng::Rng;

/// A batch of `batch_size` training episodes (all training respondents when there are fewer).
pub fn sample_batch<'a>(
    survey: &'a Survey,
    respondents: &[usize],
    batch_size: usize,
    sampling: &SamplingConfig,
    rng: &mut Rng,
) -> Vec<EpisodeInput<'a>> {
    let chosen: Vec<usize> = if respondents.len() <= batch_size {
        respondents.to_vec()
    } else {
        rng.sample_indices(respondents.len(), batch_size)
            .into_iter()
            .map(|i| respondents[i])
            .collect()
    };
    let shared = (
        rng.range_inclusive(
            sampling.context_min,
            sampling.context_max.max(sampling.context_min),
        ),
        rng.range_inclusive(
            sampling.target_min,
            sampling.target_max.max(sampling.target_min),
        ),
    );
    chosen
        .into_iter()
        .map(|r| {
            let answers = &survey.respondents[r].answers;
            let n = answers.len();
            let (n_context, n_targets) = match sampling.mode {
                SamplingMode::Reference => {
                    let c = shared.0.min(n.saturating_sub(1)).max(1);
                    (c, shared.1.min(n - c))
                }
                SamplingMode::Paper => {
                    let c = rng.range_inclusive(1, n.saturating_sub(1).max(1));
                    (c, (n - c).min(sampling.target_max))
                }
            };
            let picked = rng.sample_indices(n, n_context + n_targets);
            let (context, targets) = picked.split_at(n_context);
            EpisodeInput {
                context: context
                    .iter()
                    .map(|&i| (answers[i].question, answers[i].probs.as_slice()))
                    .collect(),
                targets: targets.iter().map(|&i| answers[i].question).collect(),
                truth: Some(
                    targets
                        .iter()
                        .map(|&i| answers[i].probs.as_slice())
                        .collect(),
                ),
            }
        })
        .collect()
}
