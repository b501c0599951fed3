//! The paper's metrics, made strict: any NaN or invalid distribution is an error, never a
//! perfect score (the reference code counts a NaN Jensen–Shannon distance as 0).

use crate::data::{Question, Scoring, SurveyInfo};

/// Probability floor for the log-likelihood of a chosen option (log 1e-6 ≈ −13.8).
pub const LOGLIK_FLOOR: f64 = 1e-6;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MetricError {
    #[error("question {question}: {which} distribution is invalid ({detail})")]
    InvalidDistribution { question: String, which: &'static str, detail: String },
    #[error("question {question}: {which} has {got} entries for {expected} options")]
    Length { question: String, which: &'static str, got: usize, expected: usize },
    #[error("question {question}: the metric is NaN")]
    NotANumber { question: String },
    #[error("question {question}: OpinionQA's metric needs ordinal values")]
    NoOrdinals { question: String },
}

/// What a task is scored by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// 1 − WD(pred, true) / maxWD over the ordinal values (OpinionQA).
    WassersteinAlignment,
    /// 1 − Jensen–Shannon distance, natural log (GlobalOpinionQA).
    JensenShannonAlignment,
    /// Accuracy of the argmax against the chosen option (individuals); log-likelihood beside.
    Accuracy,
}

impl Metric {
    /// The metric a survey declares.
    pub fn for_survey(info: &SurveyInfo) -> Metric {
        Metric::for_scoring(info.scoring)
    }

    pub fn for_scoring(scoring: Scoring) -> Metric {
        match scoring {
            Scoring::Wasserstein => Metric::WassersteinAlignment,
            Scoring::JensenShannon => Metric::JensenShannonAlignment,
            Scoring::Accuracy => Metric::Accuracy,
        }
    }

    /// The name used in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Metric::WassersteinAlignment | Metric::JensenShannonAlignment => "alignment",
            Metric::Accuracy => "accuracy",
        }
    }
}

/// One (respondent, question) score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairScore {
    /// Alignment or accuracy (0 or 1).
    pub value: f64,
    /// Log-likelihood of the chosen option (individuals only).
    pub loglik: Option<f64>,
}

fn check(question: &Question, which: &'static str, probs: &[f32]) -> Result<Vec<f64>, MetricError> {
    if probs.len() != question.options.len() {
        return Err(MetricError::Length {
            question: question.key.clone(),
            which,
            got: probs.len(),
            expected: question.options.len(),
        });
    }
    let invalid = |detail: String| MetricError::InvalidDistribution { question: question.key.clone(), which, detail };
    if let Some(bad) = probs.iter().find(|p| !p.is_finite() || **p < 0.0) {
        return Err(invalid(format!("entry {bad}")));
    }
    let total: f64 = probs.iter().map(|&p| p as f64).sum();
    if total <= 0.0 {
        return Err(invalid("sums to zero".into()));
    }
    Ok(probs.iter().map(|&p| p as f64 / total).collect())
}

/// Scores one prediction; `Ok(None)` when the question is not scored (maxWD = 0).
pub fn score_pair(
    metric: Metric,
    question: &Question,
    predicted: &[f32],
    truth: &[f32],
) -> Result<Option<PairScore>, MetricError> {
    let p = check(question, "predicted", predicted)?;
    let q = check(question, "true", truth)?;
    let score = match metric {
        Metric::WassersteinAlignment => {
            let ordinals =
                question.ordinals.as_ref().ok_or_else(|| MetricError::NoOrdinals { question: question.key.clone() })?;
            let support: Vec<f64> = ordinals.iter().map(|&v| v as f64).collect();
            let Some(max_wd) = max_wasserstein(&support) else {
                return Ok(None);
            };
            PairScore { value: 1.0 - wasserstein_1d(&support, &p, &q) / max_wd, loglik: None }
        }
        Metric::JensenShannonAlignment => PairScore { value: 1.0 - jensen_shannon_distance(&p, &q), loglik: None },
        Metric::Accuracy => {
            let chosen = argmax(&q);
            PairScore {
                value: if argmax(&p) == chosen { 1.0 } else { 0.0 },
                loglik: Some(p[chosen].max(LOGLIK_FLOOR).ln()),
            }
        }
    };
    if score.value.is_nan() || score.loglik.is_some_and(f64::is_nan) {
        return Err(MetricError::NotANumber { question: question.key.clone() });
    }
    Ok(Some(score))
}

/// Index of the largest entry (the first on ties).
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

/// The 1-D Wasserstein distance between `p` and `q` on the points `support` (any order, as
/// scipy's `wasserstein_distance(support, support, p, q)`); `p`, `q` must be normalised.
pub fn wasserstein_1d(support: &[f64], p: &[f64], q: &[f64]) -> f64 {
    let mut order: Vec<usize> = (0..support.len()).collect();
    order.sort_by(|&a, &b| support[a].total_cmp(&support[b]));
    let (mut cdf_p, mut cdf_q, mut distance) = (0.0, 0.0, 0.0);
    for pair in order.windows(2) {
        cdf_p += p[pair[0]];
        cdf_q += q[pair[0]];
        distance += (cdf_p - cdf_q).abs() * (support[pair[1]] - support[pair[0]]);
    }
    distance
}

/// The WD between point masses at the largest and smallest value; `None` when it is zero.
pub fn max_wasserstein(support: &[f64]) -> Option<f64> {
    let max = support.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = support.iter().copied().fold(f64::INFINITY, f64::min);
    let range = max - min;
    (range > 0.0).then_some(range)
}

/// Jensen–Shannon distance with natural logarithms (scipy's `jensenshannon`), for normalised
/// `p`, `q`. A divergence that rounds below zero is zero (scipy would return NaN).
pub fn jensen_shannon_distance(p: &[f64], q: &[f64]) -> f64 {
    let rel_entr = |x: f64, y: f64| if x > 0.0 { x * (x / y).ln() } else { 0.0 };
    let divergence: f64 = p
        .iter()
        .zip(q)
        .map(|(&a, &b)| {
            let m = 0.5 * (a + b);
            0.5 * (rel_entr(a, m) + rel_entr(b, m))
        })
        .sum();
    divergence.max(0.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(options: usize, ordinals: Option<Vec<f32>>) -> Question {
        Question {
            key: "Q".into(),
            text: "q".into(),
            options: (0..options).map(|i| format!("o{i}")).collect(),
            ordinals,
        }
    }

    /// Inputs are f32: agreement to 1e-6 is exact here.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn wasserstein_by_hand() {
        // Point masses at 1 and 4 on support 1..4: WD = 3 = maxWD → alignment 0.
        let q = question(4, Some(vec![1.0, 2.0, 3.0, 4.0]));
        let s = score_pair(Metric::WassersteinAlignment, &q, &[1., 0., 0., 0.], &[0., 0., 0., 1.]).unwrap().unwrap();
        assert!(close(s.value, 0.0));
        // p = (.5,.5,0,0), q = (0,.5,.5,0): CDF gaps .5,.5,0 over unit steps → WD 1 → 1 − 1/3.
        let s =
            score_pair(Metric::WassersteinAlignment, &q, &[0.5, 0.5, 0., 0.], &[0., 0.5, 0.5, 0.]).unwrap().unwrap();
        assert!(close(s.value, 1.0 - 1.0 / 3.0));
        // Identical distributions → perfect alignment.
        let s = score_pair(Metric::WassersteinAlignment, &q, &[0.1, 0.2, 0.3, 0.4], &[0.1, 0.2, 0.3, 0.4])
            .unwrap()
            .unwrap();
        assert!(close(s.value, 1.0));
    }

    #[test]
    fn wasserstein_uses_unsorted_ordinals_as_support() {
        // Ordinals [1, 2, 1.5] (a "neither" option in the middle): sorted support 1, 1.5, 2.
        // p = point mass on option 0 (at 1), q = on option 2 (at 1.5): WD 0.5, maxWD 1.
        let q = question(3, Some(vec![1.0, 2.0, 1.5]));
        let s = score_pair(Metric::WassersteinAlignment, &q, &[1., 0., 0.], &[0., 0., 1.]).unwrap().unwrap();
        assert!(close(s.value, 0.5));
    }

    #[test]
    fn wasserstein_skips_zero_range_and_needs_ordinals() {
        let flat = question(2, Some(vec![1.0, 1.0]));
        assert_eq!(score_pair(Metric::WassersteinAlignment, &flat, &[0.5, 0.5], &[1., 0.]).unwrap(), None);
        let none = question(2, None);
        assert!(matches!(
            score_pair(Metric::WassersteinAlignment, &none, &[0.5, 0.5], &[1., 0.]),
            Err(MetricError::NoOrdinals { .. })
        ));
    }

    #[test]
    fn jensen_shannon_by_hand() {
        let q = question(2, None);
        // Disjoint supports: JS divergence = ln 2 → distance sqrt(ln 2).
        let s = score_pair(Metric::JensenShannonAlignment, &q, &[1., 0.], &[0., 1.]).unwrap().unwrap();
        assert!(close(s.value, 1.0 - std::f64::consts::LN_2.sqrt()));
        // p = (.5,.5), q = (1,0): m = (.75,.25);
        // KL(p‖m) = .5 ln(.5/.75) + .5 ln(.5/.25), KL(q‖m) = ln(1/.75).
        let kl_p = 0.5 * (0.5f64 / 0.75).ln() + 0.5 * (0.5f64 / 0.25).ln();
        let kl_q = (1.0f64 / 0.75).ln();
        let expected = 1.0 - (0.5 * (kl_p + kl_q)).sqrt();
        let s = score_pair(Metric::JensenShannonAlignment, &q, &[0.5, 0.5], &[1., 0.]).unwrap().unwrap();
        assert!(close(s.value, expected));
        // Identical → 1 exactly (not NaN from a rounding-negative divergence).
        let s = score_pair(Metric::JensenShannonAlignment, &q, &[0.3, 0.7], &[0.3, 0.7]).unwrap().unwrap();
        assert!(close(s.value, 1.0));
    }

    #[test]
    fn jensen_shannon_normalises_like_scipy() {
        let q = question(2, None);
        let a = score_pair(Metric::JensenShannonAlignment, &q, &[2., 2.], &[1., 0.]).unwrap().unwrap();
        let b = score_pair(Metric::JensenShannonAlignment, &q, &[0.5, 0.5], &[1., 0.]).unwrap().unwrap();
        assert!(close(a.value, b.value));
    }

    #[test]
    fn accuracy_and_loglik_by_hand() {
        let q = question(3, None);
        let s = score_pair(Metric::Accuracy, &q, &[0.2, 0.5, 0.3], &[0., 1., 0.]).unwrap().unwrap();
        assert_eq!(s.value, 1.0);
        assert!(close(s.loglik.unwrap(), 0.5f64.ln()));
        let s = score_pair(Metric::Accuracy, &q, &[0.2, 0.5, 0.3], &[0., 0., 1.]).unwrap().unwrap();
        assert_eq!(s.value, 0.0);
        assert!(close(s.loglik.unwrap(), 0.3f64.ln()));
        // A zero probability on the chosen option is floored, never −∞.
        let s = score_pair(Metric::Accuracy, &q, &[0.0, 1.0, 0.0], &[1., 0., 0.]).unwrap().unwrap();
        assert!(close(s.loglik.unwrap(), LOGLIK_FLOOR.ln()));
        // Ties go to the first option.
        let s = score_pair(Metric::Accuracy, &q, &[0.4, 0.4, 0.2], &[1., 0., 0.]).unwrap().unwrap();
        assert_eq!(s.value, 1.0);
    }

    #[test]
    fn nan_and_bad_input_are_errors_not_perfect_scores() {
        let q = question(2, None);
        for metric in [Metric::JensenShannonAlignment, Metric::Accuracy] {
            assert!(matches!(
                score_pair(metric, &q, &[f32::NAN, 1.0], &[0.5, 0.5]),
                Err(MetricError::InvalidDistribution { .. })
            ));
            assert!(matches!(
                score_pair(metric, &q, &[0.0, 0.0], &[0.5, 0.5]),
                Err(MetricError::InvalidDistribution { .. })
            ));
            assert!(matches!(score_pair(metric, &q, &[0.5, 0.5, 0.0], &[0.5, 0.5]), Err(MetricError::Length { .. })));
            assert!(matches!(
                score_pair(metric, &q, &[-0.5, 1.5], &[0.5, 0.5]),
                Err(MetricError::InvalidDistribution { .. })
            ));
        }
    }
}
