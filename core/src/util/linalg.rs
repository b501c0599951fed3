//! Small dense linear algebra: symmetric positive-definite solves (Cholesky), for ridge
//! regression, and the top singular directions of a matrix (the population's loadings).

use super::rng::Rng;

/// Dot product of two f32 vectors, accumulated in f64.
pub fn dot(a: &[f32], b: &[f32]) -> f64 {
    a.iter().zip(b).map(|(x, y)| *x as f64 * *y as f64).sum()
}

/// Dot product of two f64 vectors in four interleaved partial sums: the same result on every
/// run (a fixed order), about four times faster than one running sum, which the compiler may
/// not reorder.
pub fn dot64(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a4, b4) = (a[..n].chunks_exact(4), b[..n].chunks_exact(4));
    let tail: f64 = a4.remainder().iter().zip(b4.remainder()).map(|(x, y)| x * y).sum();
    let mut sums = [0.0f64; 4];
    for (x, y) in a4.zip(b4) {
        for i in 0..4 {
            sums[i] += x[i] * y[i];
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// Probabilities from logits (max-shifted).
pub fn softmax(logits: &[f64]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = exps.iter().sum();
    exps.iter().map(|e| (e / total) as f32).collect()
}

/// Solves `A x = b` for symmetric positive-definite `A` (`n × n`, row-major). `None` if `A` is
/// not positive definite.
pub fn cholesky_solve(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    Some(solve_factored(&cholesky(a, n)?, b, n))
}

/// The lower Cholesky factor `L` of `A = L Lᵀ`; `None` if `A` is not positive definite.
pub fn cholesky(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let sum = a[i * n + j] - dot64(&l[i * n..i * n + j], &l[j * n..j * n + j]);
            if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves `L Lᵀ x = b` given the factor from [`cholesky`] (one factor, many right-hand sides).
pub fn solve_factored(l: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    // Forward: L y = b; backward: Lᵀ x = y.
    let mut y = vec![0.0; n];
    for i in 0..n {
        y[i] = (b[i] - dot64(&l[i * n..i * n + i], &y[..i])) / l[i * n + i];
    }
    solve_upper_transposed(l, y, n)
}

/// Solves `Lᵀ x = y` for the lower factor `L` (`n × n`, row-major), reading `L` by rows.
pub fn solve_upper_transposed(l: &[f64], y: Vec<f64>, n: usize) -> Vec<f64> {
    let mut x = y;
    for i in (0..n).rev() {
        x[i] /= l[i * n + i];
        let xi = x[i];
        x[..i].iter_mut().zip(&l[i * n..i * n + i]).for_each(|(xk, lik)| *xk -= xi * lik);
    }
    x
}

/// `‖a − b‖²` of two f32 vectors, in eight interleaved f32 partial sums (a fixed order).
pub fn squared_distance(a: &[f32], b: &[f32]) -> f64 {
    let n = a.len().min(b.len());
    let (a8, b8) = (a[..n].chunks_exact(8), b[..n].chunks_exact(8));
    let tail: f64 = a8.remainder().iter().zip(b8.remainder()).map(|(x, y)| ((x - y) as f64).powi(2)).sum();
    let mut sums = [0.0f32; 8];
    for (x, y) in a8.zip(b8) {
        for i in 0..8 {
            let d = x[i] - y[i];
            sums[i] += d * d;
        }
    }
    sums.iter().map(|s| *s as f64).sum::<f64>() + tail
}

/// Top-`k` right singular directions of the `n × m` matrix `a`, scaled by σ/√n, as an `m × k`
/// row-major matrix: from the eigenvectors of the `n × n` Gram matrix (power iteration with
/// deflation; n is at most a few hundred respondents).
pub fn top_right_singular(a: &[f64], n: usize, m: usize, k: usize) -> Vec<f64> {
    let mut gram = vec![0.0f64; n * n];
    for i in 0..n {
        for j in 0..=i {
            let dot: f64 = a[i * m..(i + 1) * m].iter().zip(&a[j * m..(j + 1) * m]).map(|(x, y)| x * y).sum();
            gram[i * n + j] = dot;
            gram[j * n + i] = dot;
        }
    }
    let mut out = vec![0.0f64; m * k];
    let mut rng = Rng::new(0x5_0D);
    for factor in 0..k.min(n) {
        let mut u: Vec<f64> = (0..n).map(|_| rng.unit() - 0.5).collect();
        let mut eigenvalue = 0.0;
        for _ in 0..300 {
            let mut next = vec![0.0; n];
            for i in 0..n {
                next[i] = (0..n).map(|j| gram[i * n + j] * u[j]).sum();
            }
            let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm < 1e-12 {
                eigenvalue = 0.0;
                break;
            }
            next.iter_mut().for_each(|x| *x /= norm);
            let converged = next.iter().zip(&u).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max) < 1e-10;
            u = next;
            eigenvalue = norm;
            if converged {
                break;
            }
        }
        if eigenvalue <= 1e-12 {
            break;
        }
        // v = Aᵀu / σ, loading = v σ / √n = Aᵀu / √n.
        for col in 0..m {
            let value: f64 = (0..n).map(|i| a[i * m + col] * u[i]).sum();
            out[col * k + factor] = value / (n as f64).sqrt();
        }
        // Deflate.
        for i in 0..n {
            for j in 0..n {
                gram[i * n + j] -= eigenvalue * u[i] * u[j];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_small_system_by_hand() {
        // [[4, 2], [2, 3]] x = [2, 1] → x = [0.5, 0].
        let x = cholesky_solve(&[4.0, 2.0, 2.0, 3.0], &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        assert!(cholesky_solve(&[1.0, 2.0, 2.0, 1.0], &[1.0, 1.0], 2).is_none());
    }
}
