//! Checking population statistics read from a file (a web bundle) before GPO reads them: a
//! vector shorter than its rows, or a text map narrower than the embeddings, would otherwise be
//! an index out of bounds deep inside a prediction.

use super::population::Population;

/// Population statistics that do not fit together (see [`Population::check`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("population statistics: {detail}")]
pub struct PopulationError {
    pub detail: String,
}

impl Population {
    /// Whether statistics read from a file fit together: every per-row vector as long as the
    /// rows, loadings `rows × factors` with `factors` the model's, every value finite, priors
    /// in [0, 1], a text map as wide as the embeddings (`dim`).
    pub fn check(&self, factors: usize, dim: usize) -> Result<(), PopulationError> {
        let bad = |detail: String| Err(PopulationError { detail });
        let rows = self.rows();
        if self.factors != factors {
            return bad(format!("{} factors; the model reads {factors}", self.factors));
        }
        let wanted = rows.checked_mul(factors).ok_or_else(|| PopulationError { detail: "too many rows".into() })?;
        if self.known.len() != rows || self.estimated.len() != rows {
            return bad(format!("{rows} priors but {} flags and {} estimates", self.known.len(), self.estimated.len()));
        }
        if self.loadings.len() != wanted || self.estimated_loadings.len() != wanted {
            return bad(format!(
                "loadings for {rows} rows × {factors} factors are {} and {} long",
                self.loadings.len(),
                self.estimated_loadings.len()
            ));
        }
        let probability = |p: &f32| p.is_finite() && (0.0..=1.0).contains(p);
        if !self.probs.iter().chain(&self.estimated).all(probability) {
            return bad("a prior is not a probability".into());
        }
        if !self.loadings.iter().chain(&self.estimated_loadings).all(|v| v.is_finite()) {
            return bad("a loading is not a finite number".into());
        }
        if let Some(map) = &self.prior_map {
            let loading_widths = [0, factors.saturating_mul(dim)];
            if map.weights.len() != dim || !loading_widths.contains(&map.loading_weights.len()) {
                return bad(format!("the text map has {} weights for embeddings of width {dim}", map.weights.len()));
            }
            if !map.weights.iter().chain(&map.loading_weights).all(|w| w.is_finite()) {
                return bad("a text map weight is not a finite number".into());
            }
        }
        Ok(())
    }
}
