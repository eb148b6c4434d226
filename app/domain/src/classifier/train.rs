//! Training: from labelled examples to the model bytes the crate embeds.
//!
//! Run by `build.rs` on the corpus's training split (this file is compiled into the build
//! script by `#[path]`), and exposed so tests can prove it deterministic. Only `std`.

use std::collections::HashMap;

use super::corpus::{Example, CLASSES};
use super::features::{feature_keys, Piece};

/// The first bytes of a model: format name and version.
pub const MAGIC: &[u8; 4] = b"CCM1";
/// Bytes before the feature keys: magic, feature count (u32), scale (f32), one f32 bias per class.
pub const HEADER_BYTES: usize = 4 + 4 + 4 + 4 * CLASSES;

/// How the model is trained. The defaults were chosen by 5-fold cross-validation on the
/// training split only (see `corpus/README.md`); the held-out lines played no part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// Keep this many features, the most class-specific by chi-square.
    pub max_features: usize,
    /// Ignore features seen in fewer training examples than this.
    pub min_examples: u32,
    /// Passes over the training data.
    pub epochs: u32,
    /// Initial SGD step.
    pub learning_rate: f64,
    /// L2 penalty per step.
    pub l2: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            max_features: 4000,
            min_examples: 2,
            epochs: 15,
            learning_rate: 0.05,
            l2: 1e-4,
        }
    }
}

/// Trains on `examples` and returns the model bytes. The same examples and config always
/// give the same bytes: iteration orders are fixed, ties are broken by key, no randomness.
pub fn train(examples: &[Example<'_>], config: &TrainConfig) -> Vec<u8> {
    let docs = extract(examples);
    let vocabulary = select(&docs, config);
    let index: HashMap<u64, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i))
        .collect();
    let encoded: Vec<(usize, Vec<usize>)> = docs
        .iter()
        .map(|(class, keys)| {
            (
                *class,
                keys.iter().filter_map(|k| index.get(k).copied()).collect(),
            )
        })
        .collect();
    let (bias, weights) = logistic_regression(&encoded, vocabulary.len(), config);
    serialise(&vocabulary, &bias, &weights)
}

/// Each example's class and sorted distinct feature keys.
fn extract(examples: &[Example<'_>]) -> Vec<(usize, Vec<u64>)> {
    let mut scratch: Vec<Piece> = Vec::new();
    examples
        .iter()
        .map(|e| {
            let mut keys = Vec::new();
            feature_keys(e.text, &mut scratch, &mut keys);
            (e.class, keys)
        })
        .collect()
}

/// The `max_features` keys with the highest chi-square for any one class, sorted by key.
fn select(docs: &[(usize, Vec<u64>)], config: &TrainConfig) -> Vec<u64> {
    let mut per_class_docs = [0f64; CLASSES];
    let mut counts: HashMap<u64, [u32; CLASSES]> = HashMap::new();
    for (class, keys) in docs {
        per_class_docs[*class] += 1.0;
        for k in keys {
            counts.entry(*k).or_insert([0; CLASSES])[*class] += 1;
        }
    }
    let n = docs.len() as f64;
    let mut scored: Vec<(f64, u64)> = counts
        .iter()
        .filter(|(_, c)| c.iter().sum::<u32>() >= config.min_examples)
        .map(|(key, c)| {
            let with: f64 = c.iter().map(|x| f64::from(*x)).sum();
            let best = (0..CLASSES)
                .map(|class| chi_square(f64::from(c[class]), with, per_class_docs[class], n))
                .fold(0.0, f64::max);
            (best, *key)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut keys: Vec<u64> = scored
        .into_iter()
        .take(config.max_features)
        .map(|(_, k)| k)
        .collect();
    keys.sort_unstable();
    keys
}

/// Chi-square of "has the feature" vs "is in the class" over `n` examples, counting only
/// positive association (a feature that avoids a class is no evidence worth keeping here).
fn chi_square(in_class_with: f64, with: f64, in_class: f64, n: f64) -> f64 {
    let a = in_class_with;
    let b = with - a;
    let c = in_class - a;
    let d = n - a - b - c;
    let denominator = (a + b) * (c + d) * (a + c) * (b + d);
    if denominator == 0.0 || a * d <= b * c {
        return 0.0;
    }
    n * (a * d - b * c).powi(2) / denominator
}

/// Multinomial logistic regression by SGD in a fixed order. Returns biases and weights
/// (`weights[feature * CLASSES + class]`).
fn logistic_regression(
    docs: &[(usize, Vec<usize>)],
    features: usize,
    config: &TrainConfig,
) -> ([f64; CLASSES], Vec<f64>) {
    let mut bias = [0f64; CLASSES];
    let mut weights = vec![0f64; features * CLASSES];
    let order = interleaved(docs.len());
    for epoch in 0..config.epochs {
        let rate = config.learning_rate / (1.0 + f64::from(epoch));
        for &d in &order {
            let (class, keys) = &docs[d];
            let probabilities = softmax_scores(&bias, &weights, keys);
            for c in 0..CLASSES {
                let target = if c == *class { 1.0 } else { 0.0 };
                let gradient = probabilities[c] - target;
                bias[c] -= rate * gradient;
                for k in keys {
                    let w = &mut weights[k * CLASSES + c];
                    *w -= rate * (gradient + config.l2 * *w);
                }
            }
        }
    }
    (bias, weights)
}

/// A fixed pseudo-random visiting order (an LCG permutation), so classes are mixed in SGD.
fn interleaved(n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = (state >> 33) as usize % (i + 1);
        order.swap(i, j);
    }
    order
}

fn softmax_scores(bias: &[f64; CLASSES], weights: &[f64], keys: &[usize]) -> [f64; CLASSES] {
    let mut scores = *bias;
    for k in keys {
        for (c, s) in scores.iter_mut().enumerate() {
            *s += weights[k * CLASSES + c];
        }
    }
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut total = 0.0;
    for s in scores.iter_mut() {
        *s = (*s - max).exp();
        total += *s;
    }
    for s in scores.iter_mut() {
        *s /= total;
    }
    scores
}

/// Writes the model: header, sorted keys (u64 LE), then weights quantised to i8 with one scale.
fn serialise(keys: &[u64], bias: &[f64; CLASSES], weights: &[f64]) -> Vec<u8> {
    let largest = weights.iter().fold(0f64, |m, w| m.max(w.abs()));
    let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
    let mut out = Vec::with_capacity(HEADER_BYTES + keys.len() * (8 + CLASSES));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    out.extend_from_slice(&(scale as f32).to_le_bytes());
    for b in bias {
        out.extend_from_slice(&(*b as f32).to_le_bytes());
    }
    for k in keys {
        out.extend_from_slice(&k.to_le_bytes());
    }
    for w in weights {
        out.push((w / scale).round().clamp(-127.0, 127.0) as i8 as u8);
    }
    out
}
