//! Gaussian negative log-likelihood of the true option probabilities, padding masked. Unlike
//! the reference, the mean is over real target tokens (padding does not dilute it).

use burn::prelude::*;

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// # Shapes
/// - `mean`, `std`, `truth`: `[batch, tokens]`; `valid`: `[batch, tokens]`, true for real tokens
/// - output: `[1]`
pub fn gaussian_nll(mean: Tensor<2>, std: Tensor<2>, truth: Tensor<2>, valid: Tensor<2, Bool>) -> Tensor<1> {
    let weight = valid.float();
    let z = (truth - mean) / std.clone();
    let nll = z.square() * 0.5 + std.log() + HALF_LN_2PI;
    let count = weight.clone().sum().clamp_min(1.0);
    (nll * weight).sum() / count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_normal_density_by_hand() {
        let device = Device::flex();
        let t = |v: Vec<f32>| Tensor::<2>::from_data(TensorData::new(v, [1, 2]), &device);
        let valid = Tensor::<2, Bool>::from_data(TensorData::new(vec![true, false], [1, 2]), &device);
        // One real token: y = 0.5, μ = 0.3, σ = 0.2 → z = 1 → nll = 0.5 + ln 0.2 + ½ ln 2π.
        let loss: f32 = gaussian_nll(t(vec![0.3, 0.9]), t(vec![0.2, 5.0]), t(vec![0.5, 0.0]), valid).into_scalar();
        let expected = 0.5 + 0.2f64.ln() + HALF_LN_2PI;
        assert!((loss as f64 - expected).abs() < 1e-5, "{loss} vs {expected}");
    }
}
