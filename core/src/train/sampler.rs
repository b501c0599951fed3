//! Drawing meta-training episodes from the training respondents.

use std::borrow::Cow;

use super::config::{SamplingConfig, SamplingMode};
use crate::data::{Answer, Survey};
use crate::model::EpisodeInput;
use crate::util::rng::Rng;

/// How the episodes of a batch are drawn.
pub struct EpisodeSampler<'a> {
    pub survey: &'a Survey,
    /// Training respondents.
    pub respondents: &'a [usize],
    /// Fold of each training respondent: its episodes read population table `1 + fold`.
    pub fold: &'a [usize],
    pub batch_size: usize,
    pub sampling: &'a SamplingConfig,
    /// Share of questions whose population statistics are hidden.
    pub prior_dropout: f64,
    /// Share of episodes whose respondent is a mixture of several training respondents of one
    /// fold (a plausible new group: more training tasks than there are groups).
    pub mixup: f64,
}

impl<'a> EpisodeSampler<'a> {
    /// A batch of `batch_size` episodes (all training respondents when there are fewer).
    pub fn sample(&self, rng: &mut Rng) -> Vec<EpisodeInput<'a>> {
        let n = self.respondents.len();
        let chosen: Vec<usize> =
            if n <= self.batch_size { (0..n).collect() } else { rng.sample_indices(n, self.batch_size) };
        let s = self.sampling;
        let shared = (
            rng.range_inclusive(s.context_min, s.context_max.max(s.context_min)),
            rng.range_inclusive(s.target_min, s.target_max.max(s.target_min)),
        );
        chosen.into_iter().map(|i| self.episode(i, shared, rng)).collect()
    }

    /// The answers of training respondent `i`, or of a mixture of it with others of its fold.
    fn answers(&self, i: usize, rng: &mut Rng) -> Vec<(usize, Cow<'a, [f32]>)> {
        let own = &self.survey.respondents[self.respondents[i]].answers;
        let borrowed = || own.iter().map(|a| (a.question, Cow::Borrowed(a.probs.as_slice()))).collect();
        let mates: Vec<usize> =
            (0..self.respondents.len()).filter(|&j| j != i && self.fold[j] == self.fold[i]).collect();
        if mates.is_empty() || rng.unit() >= self.mixup {
            return borrowed();
        }
        let mate = &self.survey.respondents[self.respondents[mates[rng.below(mates.len())]]].answers;
        // Dirichlet(1, 1) weights.
        let (a, b) = (-(1.0 - rng.unit()).ln(), -(1.0 - rng.unit()).ln());
        let w = (a / (a + b)) as f32;
        let mixed: Vec<(usize, Cow<'a, [f32]>)> = own
            .iter()
            .filter_map(|x: &Answer| {
                let y = mate.binary_search_by_key(&x.question, |y| y.question).ok().map(|k| &mate[k])?;
                let probs = x.probs.iter().zip(&y.probs).map(|(p, q)| w * p + (1.0 - w) * q).collect();
                Some((x.question, Cow::Owned(probs)))
            })
            .collect();
        if mixed.len() < 2 { borrowed() } else { mixed }
    }

    fn episode(&self, i: usize, shared: (usize, usize), rng: &mut Rng) -> EpisodeInput<'a> {
        let answers = self.answers(i, rng);
        let n = answers.len();
        let (n_context, n_targets) = match self.sampling.mode {
            SamplingMode::Reference => {
                let c = shared.0.min(n.saturating_sub(1)).max(1);
                (c, shared.1.min(n - c))
            }
            SamplingMode::Paper => {
                let c = rng.range_inclusive(1, n.saturating_sub(1).max(1));
                (c, (n - c).min(self.sampling.target_max))
            }
        };
        let picked = rng.sample_indices(n, n_context + n_targets);
        let (context, targets) = picked.split_at(n_context);
        let mut hide = |count: usize| (0..count).map(|_| rng.unit() < self.prior_dropout).collect::<Vec<bool>>();
        let hidden = (hide(context.len()), hide(targets.len()));
        EpisodeInput {
            context: context.iter().map(|&a| answers[a].clone()).collect(),
            targets: targets.iter().map(|&a| answers[a].0).collect(),
            truth: Some(targets.iter().map(|&a| answers[a].1.clone()).collect()),
            population: 1 + self.fold[i],
            hidden: Some(hidden),
        }
    }
}
