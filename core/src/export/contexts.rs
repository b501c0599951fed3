//! Which of a group's answers form its context when the page or `gpo predict` predicts every
//! group on one question: a fixed order per group, so that a larger context adds answers and
//! the same size always gives the same prediction.

/// The order in which a group's `answers` (their indices) enter its context: a shuffle seeded
/// by the group's name (FNV-1a, then splitmix64), the same on the page and in `gpo predict`.
pub fn context_order(name: &str, answers: usize) -> Vec<usize> {
    let mut seed = name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut next = move || {
        // splitmix64
        seed = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut order: Vec<usize> = (0..answers).collect();
    for i in (1..order.len()).rev() {
        let j = (next() % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_order_is_a_fixed_shuffle_seeded_by_the_name() {
        // Pinned: moving or rewriting this must not change which answers a group's context holds.
        assert_eq!(context_order("Party: Republican", 10), vec![5, 8, 1, 4, 2, 6, 9, 0, 7, 3]);
        assert_eq!(context_order("g0", 8), vec![5, 0, 7, 3, 1, 6, 4, 2]);
        assert_ne!(context_order("g1", 8), context_order("g0", 8));
        let mut sorted = context_order("g1", 50);
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert!(context_order("g", 0).is_empty() && context_order("g", 1) == vec![0]);
    }
}
