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
