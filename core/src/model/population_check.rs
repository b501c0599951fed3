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
    /// in [0, 1], a text map whose landmarks are rows and whose weights fit them.
    pub fn check(&self, factors: usize) -> Result<(), PopulationError> {
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
            let m = map.landmarks.len();
            if map.landmarks.iter().any(|&l| l >= rows) {
                return bad(format!("the text map names a landmark row beyond the {rows} rows"));
            }
            if map.weights.len() != m || ![0, factors.saturating_mul(m)].contains(&map.loading_weights.len()) {
                return bad(format!(
                    "the text map has {} and {} weights for {m} landmarks",
                    map.weights.len(),
                    map.loading_weights.len()
                ));
            }
            if !map.weights.iter().chain(&map.loading_weights).all(|w| w.is_finite()) {
                return bad("a text map weight is not a finite number".into());
            }
            let kernel = map.kernel;
            if !(kernel.gamma.is_finite() && kernel.gamma >= 0.0 && (0.0..=1.0).contains(&kernel.slot_mismatch)) {
                return bad("the text map's kernel is not a similarity".into());
            }
            let positions = &map.positions;
            if positions.factors != factors {
                return bad(format!(
                    "the text map's position table has {} factors; the model reads {factors}",
                    positions.factors
                ));
            }
            let mut last = 0;
            for e in &positions.entries {
                let fits = e.options > last
                    && e.prior.len() == e.options
                    && Some(e.loadings.len()) == e.options.checked_mul(factors);
                let finite = e.prior.iter().chain(&e.loadings).all(|v| v.is_finite());
                if !fits || !finite || !e.prior.iter().all(|p| (0.0..=1.0).contains(p)) {
                    return bad(format!("the text map's position entry for {} options does not fit", e.options));
                }
                last = e.options;
            }
        }
        Ok(())
    }
}
