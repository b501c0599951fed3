//! What the property tests of generated bad input share (issue 14): how many cases a run
//! tries, and byte damage to a valid file.

/// Cases per property: `default`, or `GPO_FUZZ_CASES` for a soak run.
pub fn cases(default: u32) -> u32 {
    std::env::var("GPO_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `bytes` cut at `cut` (when set, modulo its length + 1), then with bit `bit % 8` of the byte at
/// each `(at % length, bit)` flipped.
pub fn damage(bytes: &[u8], cut: Option<usize>, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Some(cut) = cut {
        out.truncate(cut % (bytes.len() + 1));
    }
    for &(at, bit) in flips {
        if !out.is_empty() {
            let i = at % out.len();
            out[i] ^= 1 << (bit % 8);
        }
    }
    out
}
