//! Fitting the text map on the questions whose statistics are known, and cross-fitting it: every
//! known question's estimate comes from a fit on the other question folds, and the ridge
//! strengths are the ones whose out-of-fold estimates were best on the first two folds (the prior
//! by log-likelihood of the true priors, the loadings by squared error).
//!
//! The regression is linear in the Nyström features of the kernel (`kernel`), centred per
//! question (only differences between a question's options matter: a softmax; loadings sum to
//! zero), on what the text adds to the option scale's typical values (`position`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::kernel::{Kernel, MAX_LANDMARKS, Nystrom};
use super::position::{PositionSums, PositionTable};
use super::{Known, LOG_FLOOR, PriorMap};
use crate::embed::TaskEmbeddings;
use crate::util::linalg::{cholesky, dot64, softmax, solve_factored};
use crate::util::par;
use crate::util::rng::Rng;

/// Ridge strengths tried; per output kind the one with the best cross-fitted score is kept.
pub const LAMBDAS: [f64; 4] = [0.01, 0.03, 0.1, 0.3];
/// Question folds of the cross-fit.
pub const QUESTION_FOLDS: usize = 5;
/// Folds on which the strengths are chosen (the others are fitted at the chosen ones only).
const SELECTION_FOLDS: usize = 2;
/// Questions whose features are computed together, rows of a block of ΦᵀΦ.
const FEATURE_BLOCK: usize = 16;
const GRAM_BLOCK: usize = 64;
/// Bases kept for reuse, the most recently used.
const SHARED_BASES: usize = 4;
/// The kernel, chosen on OpinionQA questions held out at random (docs/RESULTS.md): γ = 2 on
/// MiniLM's unit vectors (unrelated texts lie 1–1.6 apart, squared), a factor e⁻¹ per slot mismatch.
pub const KERNEL: Kernel = Kernel { gamma: 2.0, slot_mismatch: 0.37 };

/// What a cross-fit gives: every known question's out-of-fold estimates, and the map fitted on
/// every known question (for questions without statistics).
pub struct CrossFit {
    /// Per embedding row; `None` for rows of questions without known statistics.
    pub estimated: Vec<Option<f32>>,
    /// Per embedding row, `factors` loadings; `None` as above.
    pub loadings: Vec<Option<Vec<f32>>>,
    pub map: PriorMap,
}

/// A Cholesky factor (`m × m`, lower), shared; `None`: not positive definite.
type Factor = Arc<Option<Vec<f64>>>;

/// What a cross-fit needs that does not depend on the respondents, only on which questions have
/// known statistics: the question folds, the landmarks and the features of every known option,
/// and the Cholesky factor of ΦᵀΦ + λI of every fold's complement (and of all questions) for
/// every λ. Computed once, it serves every population table over the same questions (training
/// reads one per respondent fold).
pub struct Basis {
    questions: Vec<usize>,
    fold_of: Vec<usize>,
    folds: usize,
    /// The embeddings it was computed on (their fingerprint).
    embeddings_key: u64,
    nystrom: Option<Arc<Nystrom>>,
    /// Per question of `questions` (in that order): its options' features, centred (`options × m`).
    features: Vec<Vec<f64>>,
    /// ΦᵀΦ of each fold's complement, the last of all questions (lower triangles, `m × m`).
    grams: Vec<Vec<f64>>,
    /// The Cholesky factor of `grams[fold] + λI` per (fold, λ index), made when first needed;
    /// `None`: not positive definite.
    factors: Mutex<HashMap<(usize, usize), Factor>>,
}

impl Basis {
    pub fn new(embeddings: &TaskEmbeddings, questions: &[usize]) -> Self {
        let mut order = questions.to_vec();
        Rng::derived(0x9_12, &[questions.len() as u64]).shuffle(&mut order);
        let folds = QUESTION_FOLDS.min(questions.len()).max(1);
        let mut fold_of = vec![usize::MAX; embeddings.offsets.len().saturating_sub(1)];
        order.iter().enumerate().for_each(|(i, &q)| fold_of[q] = i % folds);
        // Landmarks: every known option, or a seeded sample of them.
        let mut rows: Vec<usize> =
            questions.iter().flat_map(|&q| embeddings.offsets[q]..embeddings.offsets[q + 1]).collect();
        if rows.len() > MAX_LANDMARKS {
            Rng::derived(0x1A_0D, &[rows.len() as u64]).shuffle(&mut rows);
            rows.truncate(MAX_LANDMARKS);
            rows.sort_unstable();
        }
        let nystrom = if rows.is_empty() { None } else { Nystrom::new(KERNEL, embeddings, rows).map(Arc::new) };
        let m = nystrom.as_ref().map_or(0, |n| n.len());
        // Features of every known option, a block of questions at a time (on every core).
        let features: Vec<Vec<f64>> = match &nystrom {
            Some(map) => {
                let blocks: Vec<&[usize]> = questions.chunks(FEATURE_BLOCK).collect();
                par::map(&blocks, |block| {
                    let vectors = |q: usize| {
                        &embeddings.data
                            [embeddings.offsets[q] * embeddings.dim..embeddings.offsets[q + 1] * embeddings.dim]
                    };
                    let mut k: Vec<f64> =
                        block.iter().flat_map(|&q| map.kernel.rows(embeddings, &map.landmarks, vectors(q))).collect();
                    map.solve_rows(&mut k);
                    let mut at = 0;
                    block
                        .iter()
                        .map(|&q| {
                            let n = embeddings.options(q) * m;
                            at += n;
                            centred(k[at - n..at].to_vec(), m)
                        })
                        .collect::<Vec<_>>()
                })
                .into_iter()
                .flatten()
                .collect()
            }
            None => vec![Vec::new(); questions.len()],
        };
        // Lower triangles of each fold's ΦᵀΦ, a block of rows at a time (column-major, so that
        // each entry is one contiguous dot product per block).
        let parts: Vec<Vec<f64>> = par::map(&(0..folds).collect::<Vec<_>>(), |&fold| {
            let rows = questions.iter().zip(&features).filter(|(q, _)| fold_of[**q] == fold).map(|(_, f)| f);
            lower_gram(rows.flat_map(|f| f.chunks_exact(m.max(1))).collect(), m)
        });
        let mut total = vec![0.0f64; m * m];
        parts.iter().for_each(|p| total.iter_mut().zip(p).for_each(|(t, v)| *t += v));
        let mut grams: Vec<Vec<f64>> =
            parts.iter().map(|part| total.iter().zip(part).map(|(t, p)| t - p).collect()).collect();
        grams.push(total);
        let embeddings_key = fingerprint(embeddings, &[]);
        Self {
            questions: questions.to_vec(),
            fold_of,
            folds,
            embeddings_key,
            nystrom,
            features,
            grams,
            factors: Default::default(),
        }
    }

    /// The questions it was computed for.
    pub fn questions(&self) -> &[usize] {
        &self.questions
    }

    /// The basis of a subset of its questions (sorted, all among `self.questions`): the same
    /// landmarks, features and question folds, each fold's ΦᵀΦ less the questions left out —
    /// what a training's respondent-fold tables need, whose questions are the training table's
    /// but for the few that only the left-out respondents answered.
    fn restricted(&self, questions: &[usize]) -> Self {
        let m = self.m();
        let index: HashMap<usize, usize> = self.questions.iter().enumerate().map(|(i, &q)| (q, i)).collect();
        let kept: std::collections::HashSet<usize> = questions.iter().copied().collect();
        // ΦᵀΦ of the questions left out, per fold; out of every fold's complement but its own.
        let removed: Vec<Vec<f64>> = par::map(&(0..self.folds).collect::<Vec<_>>(), |&fold| {
            let rows = self
                .questions
                .iter()
                .zip(&self.features)
                .filter(|(q, _)| !kept.contains(q) && self.fold_of[**q] == fold);
            lower_gram(rows.flat_map(|(_, f)| f.chunks_exact(m.max(1))).collect(), m)
        });
        let mut all_removed = vec![0.0f64; m * m];
        removed.iter().for_each(|r| all_removed.iter_mut().zip(r).for_each(|(a, v)| *a += v));
        let mut grams = self.grams.clone();
        for (g, gram) in grams.iter_mut().enumerate() {
            let own = removed.get(g);
            for (i, value) in gram.iter_mut().enumerate() {
                *value -= all_removed[i] - own.map_or(0.0, |r| r[i]);
            }
        }
        let mut fold_of = vec![usize::MAX; self.fold_of.len()];
        questions.iter().for_each(|&q| fold_of[q] = self.fold_of[q]);
        Self {
            questions: questions.to_vec(),
            fold_of,
            folds: self.folds,
            embeddings_key: self.embeddings_key,
            nystrom: self.nystrom.clone(),
            features: questions.iter().map(|q| self.features[index[q]].clone()).collect(),
            grams,
            factors: Default::default(),
        }
    }

    /// [`Basis::new`], kept for the next calls with the same embeddings and questions: the
    /// population tables of a task's trainings and evaluations (`gpo reproduce`: 63 per task)
    /// know a few sets of questions (a training's respondent folds alternate between two or
    /// three), so the features and factorisations are computed once per set.
    pub fn shared(embeddings: &TaskEmbeddings, questions: &[usize]) -> Arc<Self> {
        static RECENT: Mutex<Vec<(u64, Arc<Basis>)>> = Mutex::new(Vec::new());
        let key = fingerprint(embeddings, questions);
        let mut recent = RECENT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(i) = recent.iter().position(|(k, basis)| *k == key && basis.questions == questions) {
            let hit = recent.remove(i);
            recent.push(hit.clone());
            return hit.1;
        }
        // A kept basis over the same embeddings whose questions include these, missing few.
        let embeddings_key = fingerprint(embeddings, &[]);
        let superset = recent.iter().rev().find(|(_, b)| {
            b.embeddings_key == embeddings_key
                && b.folds > 1
                && questions.len() * 10 >= b.questions.len() * 9
                && questions.iter().all(|q| b.questions.binary_search(q).is_ok())
        });
        let basis = Arc::new(match superset {
            Some((_, b)) => b.restricted(questions),
            None => Self::new(embeddings, questions),
        });
        if recent.len() == SHARED_BASES {
            recent.remove(0);
        }
        recent.push((key, basis.clone()));
        basis
    }

    fn m(&self) -> usize {
        self.nystrom.as_ref().map_or(0, |n| n.len())
    }

    /// The Cholesky factor of fold `fold`'s ΦᵀΦ + λI (`folds`: all questions) at the `l`-th λ.
    fn factor(&self, fold: usize, l: usize) -> Factor {
        self.prepare(&[(fold, l)]);
        let factors = self.factors.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        factors[&(fold, l)].clone()
    }

    /// Makes the factors of the given (fold, λ index) pairs not made yet, on every core.
    fn prepare(&self, wanted: &[(usize, usize)]) {
        let missing: Vec<(usize, usize)> = {
            let factors = self.factors.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            wanted.iter().copied().filter(|key| !factors.contains_key(key)).collect()
        };
        let m = self.m();
        let made = par::map(&missing, |&(fold, l)| {
            let usable = m > 0 && (fold == self.folds || self.folds > 1);
            let factor = usable.then(|| {
                let mut a = self.grams[fold].clone();
                for i in 0..m {
                    for j in 0..i {
                        a[j * m + i] = a[i * m + j];
                    }
                    a[i * m + i] += LAMBDAS[l];
                }
                cholesky(&a, m)
            });
            Arc::new(factor.flatten())
        });
        let mut factors = self.factors.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        factors.extend(missing.into_iter().zip(made));
    }

    /// Ridge weights (`outputs × m`) for the Φᵀy `xty` with fold `fold`'s factor (`folds`: all
    /// questions) at the `l`-th λ; zero where there is none.
    fn solve(&self, xty: &[f64], fold: usize, l: usize) -> Vec<f64> {
        let m = self.m();
        match self.factor(fold, l).as_ref() {
            Some(factor) => xty.chunks_exact(m).flat_map(|b| solve_factored(factor, b, m)).collect(),
            None => vec![0.0; xty.len()],
        }
    }
}

/// The lower triangle of `Σ x xᵀ` over `rows` (each `m` long), a block of rows at a time
/// (column-major, so that each entry is one contiguous dot product per block).
fn lower_gram(rows: Vec<&[f64]>, m: usize) -> Vec<f64> {
    let mut xtx = vec![0.0f64; m * m];
    let mut columns = Vec::new();
    for block in rows.chunks(GRAM_BLOCK) {
        let b = block.len();
        columns.clear();
        columns.extend((0..m).flat_map(|a| block.iter().map(move |row| row[a])));
        for a in 0..m {
            let column = &columns[a * b..(a + 1) * b];
            for c in 0..=a {
                xtx[a * m + c] += dot64(column, &columns[c * b..(c + 1) * b]);
            }
        }
    }
    xtx
}

/// Rows (`options × m`) centred on their mean row.
fn centred(mut rows: Vec<f64>, m: usize) -> Vec<f64> {
    let n = rows.len() / m.max(1);
    let mut mean = vec![0.0; m];
    rows.chunks_exact(m.max(1)).for_each(|r| mean.iter_mut().zip(r).for_each(|(a, v)| *a += v / n as f64));
    rows.chunks_exact_mut(m.max(1)).for_each(|r| r.iter_mut().zip(&mean).for_each(|(v, a)| *v -= a));
    rows
}

/// FNV-1a over the embeddings and the question list.
fn fingerprint(embeddings: &TaskEmbeddings, questions: &[usize]) -> u64 {
    let words = embeddings.data.iter().map(|x| x.to_bits() as u64);
    let words = words.chain(embeddings.offsets.iter().chain(questions).map(|&v| v as u64));
    words.chain([embeddings.dim as u64]).fold(0xcbf2_9ce4_8422_2325, |h, w| (h ^ w).wrapping_mul(0x100_0000_01b3))
}

/// The questions whose known statistics a cross-fit uses (a prior over two or more options).
pub fn fit_questions(known: &[Option<Known>]) -> Vec<usize> {
    (0..known.len()).filter(|&q| known[q].is_some_and(|k| k.prior.len() > 1)).collect()
}

/// The regression targets of a question's options, what the text must add to the scale's
/// typical values: the centred log prior less the typical one's, then the loadings less the
/// typical ones (`options × (1 + factors)`).
fn targets(known: Known, typical: &PositionTable) -> Vec<Vec<f64>> {
    let n = known.prior.len();
    let factors = typical.factors;
    let centred_logs = |p: &[f32]| {
        let logs: Vec<f64> = p.iter().map(|p| (*p as f64).max(LOG_FLOOR).ln()).collect();
        let mean = logs.iter().sum::<f64>() / n as f64;
        logs.into_iter().map(move |l| l - mean).collect::<Vec<f64>>()
    };
    let (logs, base) = (centred_logs(known.prior), centred_logs(&typical.prior(n)));
    let base_loadings = typical.loadings(n);
    (0..n)
        .map(|o| {
            let mut ys = vec![logs[o] - base[o]];
            for f in 0..factors {
                let loading = known.loadings.get(o * factors + f).copied().unwrap_or(0.0);
                ys.push((loading - base_loadings[o * factors + f]) as f64);
            }
            ys
        })
        .collect()
}

/// Cross-fits the map on the questions whose statistics are known (`known[q]`).
pub fn cross_fit(embeddings: &TaskEmbeddings, known: &[Option<Known>], factors: usize) -> CrossFit {
    cross_fit_with(&Basis::shared(embeddings, &fit_questions(known)), embeddings, known, factors)
}

/// [`cross_fit`] with a basis computed for the same questions (`basis.questions()` must equal
/// `fit_questions(known)`).
pub fn cross_fit_with(basis: &Basis, embeddings: &TaskEmbeddings, known: &[Option<Known>], factors: usize) -> CrossFit {
    let (m, outputs) = (basis.m(), 1 + factors);
    let (questions, folds) = (&basis.questions, basis.folds);
    let known_of = |q: usize| known[q].expect("a fit question is known");
    // The scale's typical values without each fold, and with every question.
    let mut sums = PositionSums::new(factors);
    questions.iter().for_each(|&q| sums.add(known_of(q), 1.0));
    let all_positions = sums.table();
    let fold_positions: Vec<PositionTable> = (0..folds)
        .map(|f| {
            let mut outside = sums.clone();
            questions.iter().filter(|&&q| basis.fold_of[q] == f).for_each(|&q| outside.add(known_of(q), -1.0));
            outside.table()
        })
        .collect();
    // Φᵀy of the questions outside each fold, their targets relative to that fold's typical
    // values (as its estimates will be); and of every question, relative to all of them.
    let xty = |table: &PositionTable, outside_fold: Option<usize>| {
        let mut out = vec![0.0f64; m * outputs];
        for (i, &q) in questions.iter().enumerate().filter(|(_, q)| Some(basis.fold_of[**q]) != outside_fold) {
            for (x, ys) in basis.features[i].chunks_exact(m.max(1)).zip(targets(known_of(q), table)) {
                for (column, y) in out.chunks_exact_mut(m.max(1)).zip(&ys) {
                    column.iter_mut().zip(x).for_each(|(c, xi)| *c += xi * y);
                }
            }
        }
        out
    };
    let outside: Vec<Vec<f64>> = fold_positions.iter().enumerate().map(|(f, table)| xty(table, Some(f))).collect();
    let total = xty(&all_positions, None);
    // The strengths: per λ, the out-of-fold prior log-likelihood and loading squared error on
    // the first SELECTION_FOLDS folds (each λ costs a factorisation per fold).
    let selection = SELECTION_FOLDS.min(folds);
    basis.prepare(&(0..selection).flat_map(|f| (0..LAMBDAS.len()).map(move |l| (f, l))).collect::<Vec<_>>());
    let scores: Vec<(f64, f64)> = (0..LAMBDAS.len())
        .map(|l| {
            let (mut loglik, mut squared) = (0.0, 0.0);
            for f in 0..selection {
                let w = basis.solve(&outside[f], f, l);
                for (i, &q) in questions.iter().enumerate().filter(|(_, q)| basis.fold_of[**q] == f) {
                    let k = known_of(q);
                    let (prior, loading) = predict(&basis.features[i], &w, m, &fold_positions[f], factors);
                    loglik += k
                        .prior
                        .iter()
                        .zip(&prior)
                        .map(|(p, e)| *p as f64 * (*e as f64).max(LOG_FLOOR).ln())
                        .sum::<f64>();
                    squared += k.loadings.iter().zip(&loading).map(|(a, b)| ((a - b) as f64).powi(2)).sum::<f64>();
                }
            }
            (loglik, squared)
        })
        .collect();
    let best_prior = (0..scores.len()).max_by(|&a, &b| scores[a].0.total_cmp(&scores[b].0)).expect("a λ");
    let best_loadings = (0..scores.len()).min_by(|&a, &b| scores[a].1.total_cmp(&scores[b].1)).expect("a λ");
    // Every known question's out-of-fold estimates at those strengths.
    let chosen = [best_prior, best_loadings];
    basis.prepare(&(0..=folds).flat_map(|f| chosen.map(|l| (f, l))).collect::<Vec<_>>());
    let rows = *embeddings.offsets.last().unwrap_or(&0);
    let (mut estimated, mut loadings) = (vec![None; rows], vec![None; rows]);
    for (f, table) in fold_positions.iter().enumerate() {
        let mut w = basis.solve(&outside[f][..m], f, best_prior);
        w.extend(basis.solve(&outside[f][m..], f, best_loadings));
        for (i, &q) in questions.iter().enumerate().filter(|(_, q)| basis.fold_of[**q] == f) {
            let (prior, loading) = predict(&basis.features[i], &w, m, table, factors);
            for (o, row) in (embeddings.offsets[q]..embeddings.offsets[q + 1]).enumerate() {
                estimated[row] = Some(prior[o]);
                loadings[row] = Some(loading[o * factors..(o + 1) * factors].to_vec());
            }
        }
    }
    let dual = |w: Vec<f64>| -> Vec<f32> {
        match &basis.nystrom {
            Some(map) => w.chunks_exact(m).flat_map(|w| map.dual(w)).map(|b| b as f32).collect(),
            None => Vec::new(),
        }
    };
    let map = PriorMap {
        kernel: basis.nystrom.as_ref().map_or(KERNEL, |n| n.kernel),
        landmarks: basis.nystrom.as_ref().map_or_else(Vec::new, |n| n.landmarks.clone()),
        positions: all_positions,
        weights: dual(basis.solve(&total[..m], folds, best_prior)),
        lambda: LAMBDAS[best_prior],
        loading_weights: dual(basis.solve(&total[m..], folds, best_loadings)),
        loading_lambda: LAMBDAS[best_loadings],
    };
    CrossFit { estimated, loadings, map }
}

/// A question's prior and centred loadings from its centred features (`options × m`), the
/// weights (`(1 + factors) × m`) and the scale's typical values.
fn predict(features: &[f64], w: &[f64], m: usize, table: &PositionTable, factors: usize) -> (Vec<f32>, Vec<f32>) {
    let n = features.len() / m.max(1);
    let fx = |o: usize, out: usize| -> f64 {
        if m == 0 {
            return 0.0;
        }
        features[o * m..(o + 1) * m].iter().zip(&w[out * m..(out + 1) * m]).map(|(a, b)| a * b).sum()
    };
    let base = table.prior(n);
    let logits: Vec<f64> = (0..n).map(|o| (base[o] as f64).max(LOG_FLOOR).ln() + fx(o, 0)).collect();
    let mut loadings = table.loadings(n);
    for o in 0..n {
        for f in 0..factors {
            loadings[o * factors + f] += fx(o, 1 + f) as f32;
        }
    }
    (softmax(&logits), loadings)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two kinds of question: near axis 0 the first option is likely (0.8), near axis 1 the
    /// second (0.7); the third axis tells the options apart. Loadings: +0.4/−0.4 for the first
    /// kind, −0.2/+0.2 for the second.
    fn two_kinds(questions: usize) -> (TaskEmbeddings, Vec<Vec<f32>>, Vec<Vec<f32>>) {
        let mut rng = Rng::new(3);
        let mut embeddings = TaskEmbeddings { dim: 4, offsets: vec![0], data: Vec::new() };
        let (mut priors, mut loadings) = (Vec::new(), Vec::new());
        for q in 0..questions {
            let kind = q % 2;
            let mut vectors = Vec::new();
            for option in 0..2 {
                let mut v = [0.0f32; 4];
                v[kind] = 1.0;
                v[2] = if option == 0 { 0.2 } else { -0.2 };
                v[3] = 0.1 * rng.unit() as f32;
                vectors.extend(v);
            }
            embeddings.push_question(&vectors);
            priors.push(if kind == 0 { vec![0.8, 0.2] } else { vec![0.3, 0.7] });
            loadings.push(if kind == 0 { vec![0.4, -0.4] } else { vec![-0.2, 0.2] });
        }
        (embeddings, priors, loadings)
    }

    fn known<'a>(priors: &'a [Vec<f32>], loadings: &'a [Vec<f32>]) -> Vec<Option<Known<'a>>> {
        priors.iter().zip(loadings).map(|(p, l)| Some(Known { prior: p, loadings: l })).collect()
    }

    #[test]
    fn recovers_what_alike_texts_answered_out_of_fold() {
        let (embeddings, priors, loadings) = two_kinds(60);
        let fit = cross_fit(&embeddings, &known(&priors, &loadings), 1);
        for q in 0..60 {
            let row = embeddings.offsets[q];
            let (e, l) = (fit.estimated[row].expect("known"), fit.loadings[row].as_ref().expect("known")[0]);
            assert!((e - priors[q][0]).abs() < 0.05, "question {q}: {e} vs {}", priors[q][0]);
            assert!((l - loadings[q][0]).abs() < 0.05, "question {q}: loading {l} vs {}", loadings[q][0]);
        }
        // A new question of the first kind, from the full fit; its loadings centred.
        let (prior, loading) = fit.map.estimate(&embeddings, &[1.0, 0.0, 0.2, 0.05, 1.0, 0.0, -0.2, 0.05]);
        assert!((prior[0] - 0.8).abs() < 0.05, "{prior:?}");
        assert!((loading[0] - 0.4).abs() < 0.05 && (loading[0] + loading[1]).abs() < 1e-6, "{loading:?}");
        // Its nearest known questions are of its kind, and close.
        let nearest = fit.map.nearest(&embeddings, 0..60, &[1.0, 0.0, 0.2, 0.05, 1.0, 0.0, -0.2, 0.05], 3);
        assert!(nearest.iter().all(|n| n.question % 2 == 0 && n.similarity > super::super::CLOSE), "{nearest:?}");
    }

    #[test]
    fn a_question_unlike_any_known_gets_its_scales_typical_answer() {
        let (embeddings, priors, loadings) = two_kinds(60);
        let fit = cross_fit(&embeddings, &known(&priors, &loadings), 1);
        // Far from both kinds (axis 3 only): the mean of the known priors, (0.55, 0.45).
        let far = [0.0, 0.0, 0.2, 3.0, 0.0, 0.0, -0.2, 3.0];
        let (prior, _) = fit.map.estimate(&embeddings, &far);
        assert!((prior[0] - 0.55).abs() < 0.01, "{prior:?}");
        assert!(fit.map.nearest(&embeddings, 0..60, &far, 1)[0].similarity < super::super::CLOSE);
        // An option count nobody answered: uniform.
        let three: Vec<f32> = far.iter().chain(&far[..4]).copied().collect();
        let (prior, loading) = fit.map.estimate(&embeddings, &three);
        assert!(prior.iter().all(|p| (p - 1.0 / 3.0).abs() < 0.05), "{prior:?}");
        assert_eq!(loading.len(), 3);
    }

    #[test]
    fn a_restricted_basis_has_the_grams_of_its_own_features() {
        let (embeddings, _, _) = two_kinds(60);
        let all: Vec<usize> = (0..60).collect();
        let full = Basis::new(&embeddings, &all);
        let subset: Vec<usize> = all.iter().copied().filter(|q| q % 13 != 5).collect();
        let sub = full.restricted(&subset);
        let m = sub.m();
        assert_eq!((m, sub.folds, sub.questions()), (full.m(), full.folds, &subset[..]));
        for g in 0..=sub.folds {
            let rows: Vec<&[f64]> = subset
                .iter()
                .zip(&sub.features)
                .filter(|(q, _)| g == sub.folds || sub.fold_of[**q] != g)
                .flat_map(|(_, f)| f.chunks_exact(m))
                .collect();
            let direct = lower_gram(rows, m);
            for a in 0..m {
                for c in 0..=a {
                    let (x, y) = (sub.grams[g][a * m + c], direct[a * m + c]);
                    assert!((x - y).abs() < 1e-9 * (1.0 + y.abs()), "fold {g} ({a}, {c}): {x} vs {y}");
                }
            }
        }
    }

    #[test]
    fn unknown_questions_get_no_out_of_fold_estimate() {
        let (embeddings, priors, loadings) = two_kinds(12);
        let mut known = known(&priors, &loadings);
        known[4] = None;
        let fit = cross_fit(&embeddings, &known, 1);
        assert!(fit.estimated[embeddings.offsets[4]..embeddings.offsets[5]].iter().all(Option::is_none));
        assert!(fit.estimated[embeddings.offsets[5]].is_some());
        assert!(!fit.map.landmarks.iter().any(|r| (embeddings.offsets[4]..embeddings.offsets[5]).contains(r)));
        // Nothing known at all: no landmarks, and estimates uniform.
        let fit = cross_fit(&embeddings, &[None; 12], 1);
        assert!(fit.map.landmarks.is_empty());
        assert_eq!(fit.map.estimate(&embeddings, &[1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]).0, vec![0.5, 0.5]);
    }
}
