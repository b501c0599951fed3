//! What GPO knows about the population, as side information on every (question, option) token:
//! the training respondents' mean probability (the population prior), whether it is known, and
//! the option's loadings on the K main directions along which respondents deviate from that mean
//! (a truncated SVD of the respondents' deviations). GPO adds the log prior to its mean logits,
//! so it learns how a respondent departs from the population given its context answers; the
//! loadings let it express that departure in a few numbers.
//!
//! Training episodes must not see their own respondent in these statistics (a test respondent
//! never is): the training respondents are split into folds and each fold's episodes read
//! statistics computed without it.
//!
//! The factor model that reads these statistics (a respondent's coordinates on the loadings, the
//! distribution they give a question) is in [`super::factor`].

use super::prior_map::{CrossFit, Known, PriorMap, cross_fit};
use crate::data::Survey;
use crate::embed::TaskEmbeddings;
use crate::util::linalg::top_right_singular;
use crate::util::rng::Rng;

/// Probability floor before taking the log of a prior.
pub const PRIOR_FLOOR: f32 = 1e-3;

/// Per embedding row: prior probability, known flag, and K factor loadings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Population {
    pub factors: usize,
    pub probs: Vec<f32>,
    pub known: Vec<bool>,
    /// `rows × factors`, row-major.
    pub loadings: Vec<f32>,
    /// Per row: the prior estimated from the option's text alone (see `prior_map`): out of fold
    /// for questions with a known prior, so that training sees it as wrong as it is for a new
    /// question. GPO reads it where the prior is unknown or hidden. Uniform until
    /// [`Population::with_text_priors`].
    pub estimated: Vec<f32>,
    /// `rows × factors`: the loadings estimated from the text, in the same way.
    pub estimated_loadings: Vec<f32>,
    /// Estimates the statistics of a question added later (one written in the page's editor).
    pub prior_map: Option<PriorMap>,
}

impl Population {
    /// Width of a token's population features: probability, known flag, loadings.
    pub fn width(factors: usize) -> usize {
        2 + factors
    }

    /// Nothing known: uniform within each question, flagged unknown, zero loadings.
    pub fn unknown(offsets: &[usize], factors: usize) -> Self {
        let mut population = Self::empty(factors);
        for q in 0..offsets.len().saturating_sub(1) {
            let options = offsets[q + 1] - offsets[q];
            population.push_rows(None, vec![1.0 / options as f32; options], vec![0.0; options * factors]);
        }
        population
    }

    fn empty(factors: usize) -> Self {
        Self {
            factors,
            probs: Vec::new(),
            known: Vec::new(),
            loadings: Vec::new(),
            estimated: Vec::new(),
            estimated_loadings: Vec::new(),
            prior_map: None,
        }
    }

    pub fn rows(&self) -> usize {
        self.probs.len()
    }

    /// A row's features (`Population::width(factors)` values): the known prior, or else the
    /// estimated one.
    pub fn features(&self, row: usize) -> Vec<f32> {
        if !self.known[row] {
            return self.hidden_features(row);
        }
        let mut out = Vec::with_capacity(Self::width(self.factors));
        out.push(self.probs[row]);
        out.push(1.0);
        out.extend_from_slice(&self.loadings[row * self.factors..(row + 1) * self.factors]);
        out
    }

    /// Features of a row whose population statistics are hidden: the prior and loadings
    /// estimated from its text, flagged unknown.
    pub fn hidden_features(&self, row: usize) -> Vec<f32> {
        let mut out = Vec::with_capacity(Self::width(self.factors));
        out.push(self.estimated[row]);
        out.push(0.0);
        out.extend_from_slice(&self.estimated_loadings[row * self.factors..(row + 1) * self.factors]);
        out
    }

    /// Appends a question whose options embed as `vectors` (`options × dim`), e.g. one written
    /// in the page's editor; `prior`: `None` when unknown (then estimated from the text by the
    /// map, whose landmarks are rows of `source`, the survey's own embeddings).
    pub fn push_question(&mut self, prior: Option<&[f32]>, vectors: &[f32], options: usize, source: &TaskEmbeddings) {
        let (estimated, loadings) = match &self.prior_map {
            Some(map) if map.positions.factors == self.factors && map.landmarks.iter().all(|&l| l < source.rows()) => {
                map.estimate(source, vectors)
            }
            _ => (vec![1.0 / options as f32; options], vec![0.0; options * self.factors]),
        };
        self.push_rows(prior, estimated, loadings);
    }

    fn push_rows(&mut self, prior: Option<&[f32]>, estimated: Vec<f32>, estimated_loadings: Vec<f32>) {
        let options = estimated.len();
        match prior {
            Some(p) => self.probs.extend_from_slice(p),
            None => self.probs.extend(std::iter::repeat_n(1.0 / options as f32, options)),
        }
        self.known.extend(std::iter::repeat_n(prior.is_some(), options));
        self.loadings.extend(std::iter::repeat_n(0.0, options * self.factors));
        self.estimated.extend(estimated);
        self.estimated_loadings.extend(estimated_loadings);
    }

    /// Fills in the statistics estimated from the text: cross-fitted on the questions with a
    /// known prior (see `prior_map`), and from the map fitted on all of them elsewhere.
    pub fn with_text_priors(self, embeddings: &TaskEmbeddings) -> Self {
        let fit = cross_fit(embeddings, &self.known_statistics(embeddings), self.factors);
        self.with_fit(embeddings, fit)
    }

    /// Per question, its known prior and loadings.
    fn known_statistics(&self, embeddings: &TaskEmbeddings) -> Vec<Option<Known<'_>>> {
        let (offsets, k) = (&embeddings.offsets, self.factors);
        (0..offsets.len().saturating_sub(1))
            .map(|q| {
                let rows = offsets[q]..offsets[q + 1];
                self.known[rows.start].then(|| Known {
                    prior: &self.probs[rows.clone()],
                    loadings: &self.loadings[rows.start * k..rows.end * k],
                })
            })
            .collect()
    }

    fn with_fit(mut self, embeddings: &TaskEmbeddings, fit: CrossFit) -> Self {
        let (offsets, k) = (&embeddings.offsets, self.factors);
        for q in 0..offsets.len().saturating_sub(1) {
            let rows = offsets[q]..offsets[q + 1];
            // Known questions keep their out-of-fold estimates; the others get the full map's.
            let (prior, loadings) = match (&fit.estimated[rows.start], &fit.loadings[rows.start]) {
                (Some(_), Some(_)) => (
                    rows.clone().map(|r| fit.estimated[r].expect("known question")).collect(),
                    rows.clone().flat_map(|r| fit.loadings[r].clone().expect("known question")).collect(),
                ),
                _ => fit
                    .map
                    .estimate(embeddings, &embeddings.data[rows.start * embeddings.dim..rows.end * embeddings.dim]),
            };
            self.estimated[rows.clone()].copy_from_slice(&prior);
            self.estimated_loadings[rows.start * k..rows.end * k].copy_from_slice(&loadings);
        }
        self.prior_map = Some(fit.map);
        self
    }

    /// The rows of the given questions only (`offsets` numbers the current rows); the text map
    /// keeps the landmarks among them (see `PriorMap::select`).
    pub fn select(&self, offsets: &[usize], questions: &[usize]) -> Self {
        let prior_map = self.prior_map.as_ref().map(|map| map.select(offsets, questions));
        let mut out = Self { prior_map, ..Self::empty(self.factors) };
        for &q in questions {
            let rows = offsets[q]..offsets[q + 1];
            out.probs.extend_from_slice(&self.probs[rows.clone()]);
            out.known.extend_from_slice(&self.known[rows.clone()]);
            out.loadings.extend_from_slice(&self.loadings[rows.start * self.factors..rows.end * self.factors]);
            out.estimated.extend_from_slice(&self.estimated[rows.clone()]);
            out.estimated_loadings
                .extend_from_slice(&self.estimated_loadings[rows.start * self.factors..rows.end * self.factors]);
        }
        out
    }

    /// What GPO reads: the respondents' statistics and the priors estimated from the text.
    pub fn fit(survey: &Survey, embeddings: &TaskEmbeddings, respondents: &[usize], factors: usize) -> Self {
        Self::from_respondents(survey, &embeddings.offsets, respondents, factors).with_text_priors(embeddings)
    }

    /// The training respondents' statistics.
    pub fn from_respondents(survey: &Survey, offsets: &[usize], respondents: &[usize], factors: usize) -> Self {
        let rows = *offsets.last().unwrap_or(&0);
        let questions = offsets.len().saturating_sub(1);
        let mut sums = vec![0.0f64; rows];
        let mut counts = vec![0u32; questions];
        for &r in respondents {
            for answer in &survey.respondents[r].answers {
                let start = offsets[answer.question];
                for (o, p) in answer.probs.iter().enumerate() {
                    sums[start + o] += *p as f64;
                }
                counts[answer.question] += 1;
            }
        }
        let mut population = Self::unknown(offsets, factors);
        for (q, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let rows = offsets[q]..offsets[q + 1];
            for (row, sum) in rows.clone().zip(&sums[rows]) {
                population.probs[row] = (sum / count as f64) as f32;
                population.known[row] = true;
            }
        }
        if factors > 0 && respondents.len() > 1 {
            // Deviations from the prior, zero where a respondent did not answer.
            let n = respondents.len();
            let mut deviations = vec![0.0f64; n * rows];
            for (i, &r) in respondents.iter().enumerate() {
                for answer in &survey.respondents[r].answers {
                    let start = offsets[answer.question];
                    for (o, p) in answer.probs.iter().enumerate() {
                        deviations[i * rows + start + o] = *p as f64 - population.probs[start + o] as f64;
                    }
                }
            }
            let loadings = top_right_singular(&deviations, n, rows, factors);
            population.loadings = loadings.iter().map(|v| *v as f32).collect();
        }
        population
    }
}

/// The log-offset GPO adds to a token's mean logit (of the known or the estimated prior).
pub fn log_offset(probability: f32) -> f32 {
    probability.max(PRIOR_FLOOR).ln()
}

/// What GPO adds to its mean logits.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Offset {
    /// Nothing (the paper's model).
    None,
    /// The log population prior.
    Prior,
    /// The log of the factor model's estimate from the episode's own context answers
    /// (ridge strength `lambda`), so that GPO learns corrections to it.
    Factor { lambda: f64 },
}

/// Fold of each training respondent (deterministic given the seed), for fold-out statistics.
pub fn folds(respondents: &[usize], folds: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..respondents.len()).collect();
    Rng::derived(seed, &[0xF01D]).shuffle(&mut order);
    let mut fold = vec![0; respondents.len()];
    for (position, &i) in order.iter().enumerate() {
        fold[i] = position % folds.max(1);
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Answer, LoadReport, Question, Respondent, RespondentKind, Task};
    use crate::model::prior_map::{Basis, cross_fit_with, fit_questions};

    fn survey(answers: &[[f32; 2]]) -> Survey {
        Survey {
            info: Task::Gd4.info(),
            questions: vec![Question {
                key: "q".into(),
                text: "q".into(),
                options: vec!["a".into(), "b".into()],
                ordinals: None,
            }],
            respondents: answers
                .iter()
                .map(|p| Respondent {
                    name: "r".into(),
                    label: None,
                    kind: RespondentKind::Person,
                    attributes: vec![],
                    answers: vec![Answer { question: 0, probs: p.to_vec() }],
                })
                .collect(),
            report: LoadReport::default(),
        }
    }

    #[test]
    fn prior_and_loadings_by_hand() {
        // Deviations from the mean (0.5, 0.5): (+.5, −.5) and (−.5, +.5): one direction,
        // σ = 1, loading = Aᵀu/√n with u = (1, −1)/√2 → ±(0.5, −0.5).
        let s = survey(&[[1.0, 0.0], [0.0, 1.0]]);
        let p = Population::from_respondents(&s, &[0, 2], &[0, 1], 2);
        assert_eq!(p.probs, vec![0.5, 0.5]);
        assert_eq!(p.known, vec![true, true]);
        let l0 = p.loadings[0];
        assert!((l0.abs() - 0.5).abs() < 1e-6, "{:?}", p.loadings);
        assert!((p.loadings[2] + l0).abs() < 1e-6, "the second option loads opposite");
        assert!(p.loadings[1].abs() < 1e-9 && p.loadings[3].abs() < 1e-9, "no second direction");
        assert_eq!(p.features(1).len(), Population::width(2));
    }

    #[test]
    fn unknown_questions_are_uniform_and_flagged() {
        let p = Population::unknown(&[0, 2, 5], 3);
        assert_eq!(p.features(3), vec![1.0 / 3.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(p.hidden_features(4), vec![1.0 / 3.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(log_offset(0.0), PRIOR_FLOOR.ln());
    }

    #[test]
    fn text_priors_stand_in_where_the_prior_is_unknown() {
        // Ten two-option questions answered by one respondent (prior = its answer), whose first
        // embedding axis is the option's log probability; question 9 is unanswered.
        let probs: Vec<[f32; 2]> = (0..10).map(|q| [0.2 + 0.06 * q as f32, 0.8 - 0.06 * q as f32]).collect();
        let mut embeddings = TaskEmbeddings { dim: 2, offsets: vec![0], data: Vec::new() };
        for p in &probs {
            embeddings.push_question(&[p[0].ln(), 1.0, p[1].ln(), 1.0]);
        }
        let mut s = survey(&[[0.5, 0.5]]);
        s.questions = (0..10).map(|_| s.questions[0].clone()).collect();
        s.respondents[0].answers =
            (0..9).map(|q| crate::data::Answer { question: q, probs: probs[q].to_vec() }).collect();
        let mut p = Population::fit(&s, &embeddings, &[0], 2);
        assert!(p.prior_map.is_some());
        // Out of fold, interpolated between alike questions: far closer than uniform.
        let error = |q: usize| (p.estimated[embeddings.offsets[q]] - probs[q][0]).abs();
        let uniform: f32 = (1..9).map(|q| (0.5 - probs[q][0]).abs()).sum();
        assert!((1..9).map(error).sum::<f32>() < uniform / 3.0, "{:?}", (0..10).map(error).collect::<Vec<_>>());
        // Known rows read their prior, the unanswered question its estimate; hidden rows too.
        assert_eq!(p.features(0)[..2], [probs[0][0], 1.0]);
        assert_eq!(p.features(18)[..2], [p.estimated[18], 0.0]);
        assert_eq!(p.hidden_features(0)[..2], [p.estimated[0], 0.0]);
        // A question written later is estimated from its vectors, and is left out again by
        // selecting the survey's own (as the page does when its questions change).
        let like_question_4 = embeddings.data[16..20].to_vec();
        p.push_question(None, &like_question_4, 2, &embeddings);
        assert!((p.features(20)[0] - probs[4][0]).abs() < 0.05, "{:?} vs {:?}", p.features(20), probs[4]);
        let map = p.prior_map.clone().expect("a map");
        let p = p.select(&embeddings.offsets, &(0..10).collect::<Vec<_>>());
        assert_eq!((p.rows(), p.estimated.len(), p.loadings.len()), (20, 20, 40));
        assert_eq!(p.prior_map.as_ref(), Some(&map), "the survey's own questions keep the whole map");
        // Questions 4 and 9 alone: the landmarks of question 4 (rows 8, 9) become rows 0, 1;
        // unanswered question 9 has none.
        let kept = p.select(&embeddings.offsets, &[4, 9]);
        assert_eq!(kept.estimated[2..], p.estimated[18..20]);
        let kept_map = kept.prior_map.expect("a map");
        let old: Vec<usize> = map.landmarks.iter().copied().filter(|l| (8..10).contains(l)).collect();
        assert_eq!(kept_map.landmarks, old.iter().map(|l| l - 8).collect::<Vec<_>>());
        assert_eq!(kept_map.weights.len(), old.len());
        assert_eq!(kept_map.loading_weights.len(), 2 * old.len());
    }

    #[test]
    fn the_shared_basis_changes_nothing() {
        // Respondent 1 alone never answered question 3: its table knows other questions.
        let mut embeddings = TaskEmbeddings { dim: 3, offsets: vec![0], data: Vec::new() };
        let mut rng = Rng::new(5);
        for _ in 0..12 {
            let v: Vec<f32> = (0..6).map(|_| rng.unit() as f32).collect();
            embeddings.push_question(&v);
        }
        let mut s = survey(&[[0.5, 0.5], [0.5, 0.5]]);
        s.questions = (0..12).map(|_| s.questions[0].clone()).collect();
        for (r, respondent) in s.respondents.iter_mut().enumerate() {
            respondent.answers = (0..12)
                .filter(|&q| r == 0 || q != 3)
                .map(|q| {
                    let p = 0.1 + 0.8 * rng.unit() as f32;
                    crate::data::Answer { question: q, probs: vec![p, 1.0 - p] }
                })
                .collect();
        }
        // Both respondents' table computes a basis; respondent 1's (one question fewer) is derived
        // from it; each later table over the same questions reads a kept basis.
        let both = Population::fit(&s, &embeddings, &[0, 1], 1);
        let fresh = Population::from_respondents(&s, &embeddings.offsets, &[0, 1], 1);
        let known = fresh.known_statistics(&embeddings);
        let fit = cross_fit_with(&Basis::new(&embeddings, &fit_questions(&known)), &embeddings, &known, 1);
        drop(known);
        assert_eq!(both, fresh.clone().with_fit(&embeddings, fit), "a fresh basis, the same table");
        let one = Population::fit(&s, &embeddings, &[1], 1);
        assert!(!one.known[embeddings.offsets[3]] && one.prior_map.is_some());
        let zero = Population::fit(&s, &embeddings, &[0], 1);
        for (set, first) in [(&[1][..], &one), (&[0, 1], &both), (&[0], &zero)] {
            assert_eq!(&Population::fit(&s, &embeddings, set, 1), first, "respondents {set:?}");
        }
        // Respondent 0 knows the same questions as both: the same basis, so the same landmarks.
        assert_eq!(zero.prior_map.map(|m| m.landmarks), both.prior_map.map(|m| m.landmarks));
    }

    #[test]
    fn folds_partition_evenly() {
        let f = folds(&[10, 11, 12, 13, 14, 15, 16], 3, 1);
        let mut counts = [0; 3];
        f.iter().for_each(|&i| counts[i] += 1);
        assert_eq!(counts, [3, 2, 2]);
    }
}
