//! The similarity the text map regresses on, and its Nyström features.
//!
//! Two options are alike when their texts embed close together (an RBF kernel on the embedding)
//! and they sit in the same place on a scale of the same length: each of (number of options,
//! position) on which they differ multiplies the similarity by `slot_mismatch`. Kernel ridge over
//! every known option would need a factorisation of a matrix as large as the survey's options;
//! the Nyström approximation on up to [`MAX_LANDMARKS`] of them (seeded) turns it into a ridge
//! regression on `landmarks` features, exact when every option is a landmark.

use serde::{Deserialize, Serialize};

use crate::embed::TaskEmbeddings;
use crate::util::linalg::{cholesky, dot64, solve_upper_transposed, squared_distance};

/// The most options the kernel compares a new option with.
pub const MAX_LANDMARKS: usize = 1024;
/// Added to the landmarks' kernel diagonal before factorising (duplicated texts make it singular).
const JITTER: f64 = 1e-4;

/// Where an option sits: its question's number of options and its place among them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub options: usize,
    pub position: usize,
}

impl Slot {
    /// The slot of row `row` of `offsets` (a row past the last question: an empty slot).
    pub fn of_row(offsets: &[usize], row: usize) -> Slot {
        let q = offsets.partition_point(|&start| start <= row).saturating_sub(1);
        match (offsets.get(q), offsets.get(q + 1)) {
            (Some(&start), Some(&end)) if row < end => Slot { options: end - start, position: row - start },
            _ => Slot { options: 0, position: 0 },
        }
    }
}

/// `k(a, b) = exp(−γ‖eₐ − e_b‖²) · slot_mismatch^(differences in option count and position)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Kernel {
    pub gamma: f64,
    pub slot_mismatch: f64,
}

impl Kernel {
    /// The similarity of two option texts alone.
    pub fn text(&self, a: &[f32], b: &[f32]) -> f64 {
        (-self.gamma * squared_distance(a, b)).exp()
    }

    pub fn eval(&self, a: &[f32], slot_a: Slot, b: &[f32], slot_b: Slot) -> f64 {
        let differences = (slot_a.options != slot_b.options) as i32 + (slot_a.position != slot_b.position) as i32;
        self.text(a, b) * self.slot_mismatch.powi(differences)
    }

    /// `k(landmark, option)` for every landmark row of `source` and every option of a question
    /// embedded as `vectors` (`options × dim`): `options × landmarks`, row-major.
    pub fn rows(&self, source: &TaskEmbeddings, landmarks: &[usize], vectors: &[f32]) -> Vec<f64> {
        let dim = source.dim;
        let options = vectors.len() / dim.max(1);
        let slots: Vec<Slot> = landmarks.iter().map(|&l| Slot::of_row(&source.offsets, l)).collect();
        let mut out = Vec::with_capacity(options * landmarks.len());
        for (o, x) in vectors.chunks_exact(dim).enumerate() {
            let slot = Slot { options, position: o };
            out.extend(landmarks.iter().zip(&slots).map(|(&l, &s)| self.eval(x, slot, source.row(l), s)));
        }
        out
    }
}

/// The Nyström feature map: `φ(x) = R⁻¹ k(L, x)` with `R Rᵀ = K_LL + jitter·I`, so that
/// `φ(a)·φ(b)` approximates `k(a, b)` (exactly for landmarks).
pub struct Nystrom {
    pub kernel: Kernel,
    pub landmarks: Vec<usize>,
    /// Lower factor `R` (`m × m`, row-major).
    factor: Vec<f64>,
}

impl Nystrom {
    /// The map on the given landmark rows of `source`; `None` if their kernel matrix cannot be
    /// factorised even with a larger jitter.
    pub fn new(kernel: Kernel, source: &TaskEmbeddings, landmarks: Vec<usize>) -> Option<Self> {
        let m = landmarks.len();
        let slots: Vec<Slot> = landmarks.iter().map(|&l| Slot::of_row(&source.offsets, l)).collect();
        let mut gram = vec![0.0f64; m * m];
        for i in 0..m {
            for j in 0..=i {
                let (a, b) = (landmarks[i], landmarks[j]);
                let k = kernel.eval(source.row(a), slots[i], source.row(b), slots[j]);
                gram[i * m + j] = k;
                gram[j * m + i] = k;
            }
        }
        let mut jitter = JITTER;
        for _ in 0..4 {
            let mut a = gram.clone();
            (0..m).for_each(|i| a[i * m + i] += jitter);
            if let Some(factor) = cholesky(&a, m) {
                return Some(Self { kernel, landmarks, factor });
            }
            jitter *= 10.0;
        }
        None
    }

    pub fn len(&self) -> usize {
        self.landmarks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.landmarks.is_empty()
    }

    /// `φ` of every option of a question embedded as `vectors`: `options × m`, row-major.
    pub fn features(&self, source: &TaskEmbeddings, vectors: &[f32]) -> Vec<f64> {
        let mut rows = self.kernel.rows(source, &self.landmarks, vectors);
        self.solve_rows(&mut rows);
        rows
    }

    /// Turns kernel rows `k(L, x)` (`rows × m`) into features `R⁻¹ k` in place, all rows at
    /// each step, so that the factor is read once for the block rather than once per row.
    pub fn solve_rows(&self, rows: &mut [f64]) {
        let m = self.len();
        for i in 0..m {
            let (r, diagonal) = (&self.factor[i * m..i * m + i], self.factor[i * m + i]);
            for row in rows.chunks_exact_mut(m) {
                row[i] = (row[i] - dot64(r, &row[..i])) / diagonal;
            }
        }
    }

    /// The kernel-space weights `β = R⁻ᵀ w` of feature weights `w`, so that `φ(x)·w = k(L, x)·β`.
    pub fn dual(&self, w: &[f64]) -> Vec<f64> {
        solve_upper_transposed(&self.factor, w.to_vec(), self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::rng::Rng;

    #[test]
    fn features_reproduce_the_kernel_on_landmarks_and_the_dual_weights_agree() {
        let mut rng = Rng::new(7);
        let mut source = TaskEmbeddings { dim: 3, offsets: vec![0], data: Vec::new() };
        for options in [2, 3, 2, 4] {
            let v: Vec<f32> = (0..options * 3).map(|_| rng.unit() as f32).collect();
            source.push_question(&v);
        }
        let kernel = Kernel { gamma: 0.7, slot_mismatch: 0.5 };
        let landmarks: Vec<usize> = (0..source.rows()).collect();
        let map = Nystrom::new(kernel, &source, landmarks.clone()).expect("positive definite");
        let slots: Vec<Slot> = (0..source.rows()).map(|r| Slot::of_row(&source.offsets, r)).collect();
        let question = &source.data[2 * 3..5 * 3]; // question 1: rows 2..5
        let phi = map.features(&source, question);
        let m = map.len();
        for a in 0..3 {
            for b in 0..3 {
                let dot: f64 = phi[a * m..(a + 1) * m].iter().zip(&phi[b * m..(b + 1) * m]).map(|(x, y)| x * y).sum();
                let k = kernel.eval(source.row(2 + a), slots[2 + a], source.row(2 + b), slots[2 + b]);
                // Exact up to the jitter: φ(a)·φ(b) = k(a, b) − jitter·δ(a, b) + O(jitter).
                assert!((dot - k).abs() < 3.0 * JITTER, "{a},{b}: {dot} vs {k}");
            }
        }
        // φ(x)·w = k(L, x)·β for a new question.
        let w: Vec<f64> = (0..m).map(|_| rng.unit() - 0.5).collect();
        let beta = map.dual(&w);
        let new: Vec<f32> = (0..6).map(|_| rng.unit() as f32).collect();
        let (phi, k) = (map.features(&source, &new), kernel.rows(&source, &landmarks, &new));
        for o in 0..2 {
            let primal: f64 = phi[o * m..(o + 1) * m].iter().zip(&w).map(|(a, b)| a * b).sum();
            let dual: f64 = k[o * m..(o + 1) * m].iter().zip(&beta).map(|(a, b)| a * b).sum();
            assert!((primal - dual).abs() < 1e-9, "{primal} vs {dual}");
        }
        // Differing in count and position costs two mismatch factors.
        let x = [0.1f32, 0.2, 0.3];
        let k = kernel.eval(&x, Slot { options: 2, position: 0 }, &x, Slot { options: 3, position: 1 });
        assert!((k - 0.25).abs() < 1e-12);
    }
}
