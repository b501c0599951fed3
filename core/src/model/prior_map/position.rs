//! What an option's place on its scale says without any text: per number of options, the mean
//! known prior at each position (the scale's typical answer) and the mean factor loadings there.
//! The text map starts from it and regresses only what the text adds, so a question unlike any
//! known one is predicted as its option scale's typical answer rather than as uniform.

use serde::{Deserialize, Serialize};

use super::Known;

/// The known questions of one option count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PositionEntry {
    pub options: usize,
    /// The mean prior at each position (sums to 1).
    pub prior: Vec<f32>,
    /// `options × factors`: the mean loadings at each position (centred, as every loading is).
    pub loadings: Vec<f32>,
}

/// Per number of options, the known questions' mean prior and loadings by position.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PositionTable {
    pub factors: usize,
    /// Sorted by `options`, one entry per option count seen.
    pub entries: Vec<PositionEntry>,
}

/// Running sums by option count, from which a table (or the table without some questions) is made.
#[derive(Clone, Debug, Default)]
pub(super) struct PositionSums {
    factors: usize,
    /// Per option count: question count, prior sums, loading sums.
    by_options: std::collections::BTreeMap<usize, (usize, Vec<f64>, Vec<f64>)>,
}

impl PositionSums {
    pub fn new(factors: usize) -> Self {
        Self { factors, by_options: Default::default() }
    }

    /// Adds (`sign` 1) or removes (`sign` −1) a known question.
    pub fn add(&mut self, known: Known, sign: f64) {
        let n = known.prior.len();
        let k = self.factors;
        let (count, prior, loadings) = self.by_options.entry(n).or_insert_with(|| (0, vec![0.0; n], vec![0.0; n * k]));
        *count = if sign > 0.0 { *count + 1 } else { count.saturating_sub(1) };
        prior.iter_mut().zip(known.prior).for_each(|(s, p)| *s += sign * *p as f64);
        if known.loadings.len() == n * k {
            loadings.iter_mut().zip(known.loadings).for_each(|(s, l)| *s += sign * *l as f64);
        }
    }

    pub fn table(&self) -> PositionTable {
        let entries = self
            .by_options
            .iter()
            .filter(|(_, (count, _, _))| *count > 0)
            .map(|(&options, (count, prior, loadings))| {
                // Normalising the sums is the same as averaging the (normalised) priors.
                let total: f64 = prior.iter().sum();
                PositionEntry {
                    options,
                    prior: prior
                        .iter()
                        .map(|s| if total > 0.0 { (s / total) as f32 } else { 1.0 / options as f32 })
                        .collect(),
                    loadings: loadings.iter().map(|s| (s / *count as f64) as f32).collect(),
                }
            })
            .collect();
        PositionTable { factors: self.factors, entries }
    }
}

impl PositionTable {
    /// The table of the given known questions.
    pub fn fit<'a>(known: impl IntoIterator<Item = Known<'a>>, factors: usize) -> Self {
        let mut sums = PositionSums::new(factors);
        known.into_iter().for_each(|k| sums.add(k, 1.0));
        sums.table()
    }

    fn entry(&self, options: usize) -> Option<&PositionEntry> {
        self.entries.binary_search_by_key(&options, |e| e.options).ok().map(|i| &self.entries[i])
    }

    /// The typical answer of a question with `options` options (uniform for an unseen count).
    pub fn prior(&self, options: usize) -> Vec<f32> {
        match self.entry(options) {
            Some(e) => e.prior.clone(),
            None => vec![1.0 / options.max(1) as f32; options],
        }
    }

    /// The typical loadings (`options × factors`; zero for an unseen count).
    pub fn loadings(&self, options: usize) -> Vec<f32> {
        match self.entry(options) {
            Some(e) if e.loadings.len() == options * self.factors => e.loadings.clone(),
            _ => vec![0.0; options * self.factors],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_known_priors_and_loadings_by_option_count() {
        let (a, b, c) = ([0.8, 0.2], [0.6, 0.4], [0.5, 0.3, 0.2]);
        let (la, lb) = ([1.0, -1.0], [0.0, 0.0]);
        let known = [
            Known { prior: &a, loadings: &la },
            Known { prior: &b, loadings: &lb },
            Known { prior: &c, loadings: &[0.0, 0.0, 0.0] },
        ];
        let table = PositionTable::fit(known, 1);
        let close = |x: Vec<f32>, y: &[f32]| x.iter().zip(y).all(|(p, q)| (p - q).abs() < 1e-6) && x.len() == y.len();
        assert!(close(table.prior(2), &[0.7, 0.3]));
        assert!(close(table.loadings(2), &[0.5, -0.5]));
        assert!(close(table.prior(3), &[0.5, 0.3, 0.2]));
        assert!(close(table.prior(4), &[0.25; 4]), "an unseen count is uniform");
        assert_eq!(table.loadings(4), vec![0.0; 4]);
        // Removing a question gives the table without it.
        let mut sums = PositionSums::new(1);
        known.iter().for_each(|k| sums.add(*k, 1.0));
        sums.add(known[0], -1.0);
        assert!(close(sums.table().prior(2), &[0.6, 0.4]));
    }
}
