//! The batch planner of [`super::predictor::SurveyPredictor::predict_groups`]: which groups
//! share a forward pass.
//!
//! A forward pass pads every group's episode to the pass's longest, and attention costs the
//! square of the tokens. So groups are sorted by length (a pass holds groups of similar length
//! and wastes little on padding) and a pass is cut where its padded attention work would
//! exceed [`PAIR_BUDGET`] (memory, and a page that stays responsive between passes) or
//! [`PADDING_WASTE`] times its real work. A large context is then predicted a few groups at a
//! time, a small one in a few passes.

/// Context tokens × context tokens summed over the groups of one forward pass: a large context
/// is predicted a few groups at a time (attention memory, and a page that stays responsive).
pub const PAIR_BUDGET: usize = 4_000_000;
/// A forward pass pads every group to its longest context: groups of similar length go together,
/// wasting at most this share of attention work on padding.
pub const PADDING_WASTE: f64 = 1.25;

/// Groups (by index) in forward passes, given each group's context and target tokens: sorted by
/// length, then cut where the padding waste or the pair budget would grow too large. Every group
/// is in exactly one pass.
pub fn plan_passes(tokens: &[usize]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..tokens.len()).collect();
    order.sort_by_key(|&g| tokens[g]);
    let mut passes = Vec::new();
    let mut pass: Vec<usize> = Vec::new();
    let mut real = 0;
    for g in order {
        let pairs = tokens[g] * tokens[g];
        // Sorted: this group is the pass's longest, so every member is padded to it.
        let padded = (pass.len() + 1) * pairs;
        if !pass.is_empty() && (padded > PAIR_BUDGET || padded as f64 > PADDING_WASTE * (real + pairs) as f64) {
            passes.push(std::mem::take(&mut pass));
            real = 0;
        }
        pass.push(g);
        real += pairs;
    }
    if !pass.is_empty() {
        passes.push(pass);
    }
    passes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_is_in_one_pass_within_budget_and_padding() {
        let tokens: Vec<usize> = (0..200).map(|g| 5 + (g * 37) % 400).collect();
        let passes = plan_passes(&tokens);
        let mut seen: Vec<usize> = passes.iter().flatten().copied().collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..200).collect::<Vec<_>>());
        for pass in &passes {
            let longest = pass.iter().map(|&g| tokens[g]).max().unwrap();
            let padded = pass.len() * longest * longest;
            let real: usize = pass.iter().map(|&g| tokens[g] * tokens[g]).sum();
            if pass.len() > 1 {
                assert!(padded <= PAIR_BUDGET, "{padded} pairs");
                assert!(padded as f64 <= PADDING_WASTE * real as f64, "{padded} padded vs {real}");
            }
        }
        assert!(passes.len() > 1 && passes.len() < 200, "{} passes", passes.len());
    }

    #[test]
    fn one_long_group_gets_a_pass_of_its_own() {
        let passes = plan_passes(&[3000, 10, 10]);
        assert_eq!(passes, vec![vec![1, 2], vec![0]]);
        assert!(plan_passes(&[]).is_empty());
    }
}
