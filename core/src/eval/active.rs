//! Choosing the next question to ask: the one whose answer GPO is least sure of (the highest
//! entropy of its predicted distribution), and the native experiment that measures whether this
//! order reaches a given accuracy with fewer answers than a random order.

/// Entropy (nats) of a distribution.
pub fn entropy(probs: &[f32]) -> f64 {
    probs.iter().filter(|p| **p > 0.0).map(|&p| -(p as f64) * (p as f64).ln()).sum()
}

/// Index (into `candidates`) of the most informative question: the highest predictive entropy,
/// GPO's mean std breaking ties. `None` when there is no candidate.
pub fn most_informative(probs: &[Vec<f32>], stds: &[Vec<f32>]) -> Option<usize> {
    let score = |i: usize| {
        let std = stds.get(i).map_or(0.0, |s| s.iter().map(|&x| x as f64).sum::<f64>() / s.len().max(1) as f64);
        (entropy(&probs[i]), std)
    };
    (0..probs.len()).max_by(|&a, &b| {
        let (ea, sa) = score(a);
        let (eb, sb) = score(b);
        ea.total_cmp(&eb).then(sa.total_cmp(&sb)).then(b.cmp(&a))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_most_uncertain_question() {
        let probs = vec![vec![0.9, 0.1], vec![0.5, 0.5], vec![0.6, 0.4]];
        let stds = vec![vec![0.1, 0.1]; 3];
        assert_eq!(most_informative(&probs, &stds), Some(1));
        assert!((entropy(&[0.5, 0.5]) - std::f64::consts::LN_2).abs() < 1e-12);
        assert_eq!(most_informative(&[], &[]), None);
        // Equal entropy: the larger std wins.
        let stds = vec![vec![0.1, 0.1], vec![0.2, 0.2]];
        assert_eq!(most_informative(&[vec![0.5, 0.5], vec![0.5, 0.5]], &stds), Some(1));
    }
}

/// The active-selection experiment: accuracy on held-out questions after each answer, when the
/// next question is chosen by GPO's uncertainty versus at random.
#[cfg(not(target_arch = "wasm32"))]
pub mod experiment {
    use super::most_informative;
    use crate::data::Survey;
    use crate::model::{EpisodeInput, GpoRunner};
    use crate::protocol::metrics::argmax;
    use crate::util::rng::Rng;

    #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
    pub struct ActiveCurve {
        /// Mean accuracy on the held-out questions after 0, 1, … answers (GPO's choice).
        pub informative: Vec<f64>,
        /// The same with questions asked in random order.
        pub random: Vec<f64>,
        pub respondents: usize,
        pub held_out: usize,
    }

    /// Runs both strategies for each respondent: `held_out` of its answered questions are
    /// scored and never asked; up to `answers` of the others are asked one at a time.
    pub fn run(
        runner: &GpoRunner,
        survey: &Survey,
        respondents: &[usize],
        answers: usize,
        held_out: usize,
        seed: u64,
    ) -> ActiveCurve {
        let mut informative = vec![0.0; answers + 1];
        let mut random = vec![0.0; answers + 1];
        let mut used = 0;
        for &r in respondents {
            let person = &survey.respondents[r];
            if person.answers.len() < held_out + answers {
                continue;
            }
            let mut order: Vec<usize> = person.answers.iter().map(|a| a.question).collect();
            let mut rng = Rng::derived(seed, &[0xAC7, r as u64]);
            rng.shuffle(&mut order);
            let (scored, pool) = order.split_at(held_out);
            for (strategy, curve) in [(true, &mut informative), (false, &mut random)] {
                let mut asked: Vec<usize> = Vec::new();
                let mut remaining: Vec<usize> = pool.to_vec();
                for (step, total) in curve.iter_mut().enumerate() {
                    let context: Vec<(usize, &[f32])> =
                        asked.iter().map(|&q| (q, person.answer(q).expect("answered").probs.as_slice())).collect();
                    let targets: Vec<usize> = scored.iter().chain(&remaining).copied().collect();
                    let prediction = runner.predict(&[EpisodeInput::new(context, targets)]).remove(0);
                    let correct = scored
                        .iter()
                        .zip(&prediction.probs)
                        .filter(|(q, p)| {
                            let truth = &person.answer(**q).expect("answered").probs;
                            let p: Vec<f64> = p.iter().map(|x| *x as f64).collect();
                            let t: Vec<f64> = truth.iter().map(|x| *x as f64).collect();
                            argmax(&p) == argmax(&t)
                        })
                        .count();
                    *total += correct as f64 / held_out as f64;
                    if step == answers {
                        break;
                    }
                    let pick = if strategy {
                        let probs = &prediction.probs[held_out..];
                        let stds = &prediction.std[held_out..];
                        most_informative(probs, stds).expect("questions remain")
                    } else {
                        0 // `remaining` is already in random order
                    };
                    asked.push(remaining.remove(pick));
                }
            }
            used += 1;
        }
        let n = used.max(1) as f64;
        ActiveCurve {
            informative: informative.iter().map(|v| v / n).collect(),
            random: random.iter().map(|v| v / n).collect(),
            respondents: used,
            held_out,
        }
    }
}
