//! "Groups closest to you": how well each group's real answers agree with a person's, on the
//! questions both answered, with the survey's own alignment measure.

use crate::data::Question;
use crate::protocol::metrics::{Metric, score_pair};

/// A group's closeness to a person.
#[derive(Clone, Debug, PartialEq)]
pub struct Closeness {
    pub group: usize,
    /// Mean alignment over the shared questions (for individuals' surveys: the mean probability
    /// the group gives the person's answers).
    pub score: f64,
    pub shared: usize,
}

/// Ranks `groups` (each a list of (question, distribution)) by closeness to the person's
/// answers (question, chosen option), best first; groups sharing no question are left out.
/// A group that shares fewer than half as many questions as the best-covered group is ranked
/// after the others (one lucky match is no evidence of closeness).
pub fn rank_groups(
    questions: &[Question],
    metric: Metric,
    groups: &[&[(usize, Vec<f32>)]],
    answers: &[(usize, usize)],
) -> Vec<Closeness> {
    let mut ranked: Vec<Closeness> = groups
        .iter()
        .enumerate()
        .filter_map(|(g, group)| {
            let mut total = 0.0;
            let mut shared = 0;
            for &(q, chosen) in answers {
                let Some((_, dist)) = group.iter().find(|(gq, _)| *gq == q) else {
                    continue;
                };
                let question = &questions[q];
                let mut person = vec![0.0f32; question.options.len()];
                person[chosen] = 1.0;
                let value = match metric {
                    Metric::Accuracy => Some(dist[chosen] as f64),
                    _ => score_pair(metric, question, dist, &person).ok().flatten().map(|s| s.value),
                };
                if let Some(v) = value {
                    total += v;
                    shared += 1;
                }
            }
            (shared > 0).then(|| Closeness { group: g, score: total / shared as f64, shared })
        })
        .collect();
    let most = ranked.iter().map(|c| c.shared).max().unwrap_or(0);
    let covered = |c: &Closeness| 2 * c.shared >= most;
    ranked.sort_by(|a, b| covered(b).cmp(&covered(a)).then(b.score.total_cmp(&a.score)).then(b.shared.cmp(&a.shared)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_agreement() {
        let q = Question {
            key: "q".into(),
            text: "q".into(),
            options: vec!["a".into(), "b".into(), "c".into()],
            ordinals: Some(vec![1.0, 2.0, 3.0]),
        };
        let questions = vec![q];
        let agree: Vec<(usize, Vec<f32>)> = vec![(0, vec![0.8, 0.1, 0.1])];
        let disagree: Vec<(usize, Vec<f32>)> = vec![(0, vec![0.1, 0.1, 0.8])];
        let unrelated: Vec<(usize, Vec<f32>)> = vec![];
        let groups: Vec<&[(usize, Vec<f32>)]> = vec![&disagree, &agree, &unrelated];
        let ranked = rank_groups(&questions, Metric::WassersteinAlignment, &groups, &[(0, 0)]);
        assert_eq!(ranked.iter().map(|c| c.group).collect::<Vec<_>>(), vec![1, 0]);
        let ranked = rank_groups(&questions, Metric::Accuracy, &groups, &[(0, 2)]);
        assert_eq!(ranked[0].group, 0);
        assert!((ranked[0].score - 0.8).abs() < 1e-6);
    }

    #[test]
    fn a_group_sharing_few_questions_ranks_after_well_covered_ones() {
        let q =
            |k: &str| Question { key: k.into(), text: k.into(), options: vec!["a".into(), "b".into()], ordinals: None };
        let questions = vec![q("q0"), q("q1"), q("q2"), q("q3")];
        let lucky: Vec<(usize, Vec<f32>)> = vec![(0, vec![1.0, 0.0])];
        let broad: Vec<(usize, Vec<f32>)> = (0..4).map(|i| (i, vec![0.7, 0.3])).collect();
        let groups: Vec<&[(usize, Vec<f32>)]> = vec![&lucky, &broad];
        let answers: Vec<(usize, usize)> = (0..4).map(|i| (i, 0)).collect();
        let ranked = rank_groups(&questions, Metric::Accuracy, &groups, &answers);
        assert_eq!(ranked.iter().map(|c| (c.group, c.shared)).collect::<Vec<_>>(), vec![(1, 4), (0, 1)]);
    }
}
