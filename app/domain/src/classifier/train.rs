//! Training: from labelled examples to the model bytes the crate embeds.
//!
//! Run by `build.rs` on the corpus's training split (this file is compiled into the build
//! script by `#[path]`), and exposed so tests can prove it deterministic. Only `std`.

use std::collections::HashMap;

use super::corpus::{Example, Origin, OUTPUTS};
use super::features::{weighted_features, Scratch, Weighting};

/// The first bytes of a model: format name and version.
pub const MAGIC: &[u8; 4] = b"CCM2";
/// Bytes before the feature keys: magic, feature count (u32), scale (f32), the weighting
/// (request f32, courtesy f32, flags u32: bit 0 = trigrams), one f32 bias per output.
pub const HEADER_BYTES: usize = 4 + 4 + 4 + 4 + 4 + 4 + 4 * OUTPUTS;

/// How the model is trained. The defaults were chosen by cross-validation on the training
/// split only (`examples/classifier_tuning.rs`, see `corpus/README.md`); the held-out lines
/// played no part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainConfig {
    /// How the parts of a text are weighted (stored in the model).
    pub weighting: Weighting,
    /// Keep this many features, the most class-specific by chi-square.
    pub max_features: usize,
    /// Ignore features seen in fewer training examples than this.
    pub min_examples: u32,
    /// Passes over the training data.
    pub epochs: u32,
    /// Initial SGD step (divided by 1 + epoch).
    pub learning_rate: f64,
    /// L2 penalty per step.
    pub l2: f64,
    /// A composed example (`*.composed.txt`) counts this much of a written one.
    pub composed_weight: f64,
    /// A company's own confirmed complaint counts this much of a written line: a few dozen
    /// of them must be able to teach the words of one estate against ~8,000 corpus lines.
    pub company_weight: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            weighting: Weighting::default(),
            max_features: 6000,
            min_examples: 2,
            epochs: 15,
            learning_rate: 6.0,
            l2: 3e-4,
            composed_weight: 1.0,
            company_weight: 3.0,
        }
    }
}

/// The bias moves at this share of the weights' step: it sees every example, a weight only
/// the examples with its feature, and a full step makes the biases swing between classes.
const BIAS_STEP: f64 = 0.1;

/// One training example as the optimiser sees it: class, weight, (feature row, value) pairs.
struct Encoded {
    class: usize,
    weight: f64,
    features: Vec<(usize, f32)>,
}

/// Trains on `examples` and returns the model bytes. The same examples and config always
/// give the same bytes: iteration orders are fixed, ties are broken by key, no randomness.
pub fn train(examples: &[Example<'_>], config: &TrainConfig) -> Vec<u8> {
    let docs = extract(examples, &config.weighting);
    let weights: Vec<f64> = examples.iter().map(|e| example_weight(e, config)).collect();
    let vocabulary = select(&docs, &weights, config);
    let index: HashMap<u64, usize> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, i))
        .collect();
    let encoded: Vec<Encoded> = docs
        .iter()
        .zip(&weights)
        .map(|((class, features), weight)| Encoded {
            class: *class,
            weight: *weight,
            features: features
                .iter()
                .filter_map(|(k, v)| index.get(k).map(|i| (*i, *v)))
                .collect(),
        })
        .collect();
    let (bias, weights) = logistic_regression(&encoded, vocabulary.len(), config);
    serialise(&vocabulary, &bias, &weights, &config.weighting)
}

/// How much one example counts, in feature selection and in the regression.
fn example_weight(example: &Example<'_>, config: &TrainConfig) -> f64 {
    match example.origin {
        Origin::Composed => config.composed_weight,
        Origin::Company => config.company_weight,
        Origin::Written | Origin::HeldOut => 1.0,
    }
}

/// Each example's class and weighted features (sorted by key).
fn extract(examples: &[Example<'_>], weighting: &Weighting) -> Vec<(usize, Vec<(u64, f32)>)> {
    let mut scratch = Scratch::default();
    examples
        .iter()
        .map(|e| {
            let mut features = Vec::new();
            weighted_features(e.text, weighting, &mut scratch, &mut features);
            (e.class, features)
        })
        .collect()
}

/// The `max_features` keys with the highest chi-square for any one class, sorted by key.
/// Documents count with their weight (a company's case as `company_weight` lines), so a
/// company's own words compete for the feature budget as they count in the regression;
/// `min_examples` counts documents.
fn select(docs: &[(usize, Vec<(u64, f32)>)], weights: &[f64], config: &TrainConfig) -> Vec<u64> {
    let mut per_class_docs = [0f64; OUTPUTS];
    let mut counts: HashMap<u64, (u32, [f64; OUTPUTS])> = HashMap::new();
    for ((class, keys), weight) in docs.iter().zip(weights) {
        per_class_docs[*class] += weight;
        for (k, _) in keys {
            let entry = counts.entry(*k).or_insert((0, [0.0; OUTPUTS]));
            entry.0 += 1;
            entry.1[*class] += weight;
        }
    }
    let n: f64 = per_class_docs.iter().sum();
    let mut scored: Vec<(f64, u64)> = counts
        .iter()
        .filter(|(_, (seen, _))| *seen >= config.min_examples)
        .map(|(key, (_, c))| {
            let with: f64 = c.iter().sum();
            let best = (0..OUTPUTS)
                .map(|class| chi_square(c[class], with, per_class_docs[class], n))
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
/// (`weights[feature * OUTPUTS + class]`).
fn logistic_regression(
    docs: &[Encoded],
    features: usize,
    config: &TrainConfig,
) -> ([f64; OUTPUTS], Vec<f64>) {
    let mut bias = [0f64; OUTPUTS];
    let mut weights = vec![0f64; features * OUTPUTS];
    let order = interleaved(docs.len());
    for epoch in 0..config.epochs {
        let rate = config.learning_rate / (1.0 + f64::from(epoch));
        for &d in &order {
            let doc = &docs[d];
            let probabilities = softmax_scores(&bias, &weights, &doc.features);
            for (c, p) in probabilities.iter().enumerate() {
                let target = if c == doc.class { 1.0 } else { 0.0 };
                let gradient = (p - target) * doc.weight;
                bias[c] -= rate * BIAS_STEP * gradient;
                for &(k, x) in &doc.features {
                    let w = &mut weights[k * OUTPUTS + c];
                    *w -= rate * (gradient * f64::from(x) + config.l2 * *w);
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

fn softmax_scores(
    bias: &[f64; OUTPUTS],
    weights: &[f64],
    features: &[(usize, f32)],
) -> [f64; OUTPUTS] {
    let mut scores = *bias;
    for &(k, x) in features {
        for (c, s) in scores.iter_mut().enumerate() {
            *s += weights[k * OUTPUTS + c] * f64::from(x);
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

/// Writes the model: header, sorted keys (u64, as eight byte planes), then weights quantised to
/// i8 with one scale (one row of `OUTPUTS` per key).
fn serialise(
    keys: &[u64],
    bias: &[f64; OUTPUTS],
    weights: &[f64],
    weighting: &Weighting,
) -> Vec<u8> {
    let largest = weights.iter().fold(0f64, |m, w| m.max(w.abs()));
    let scale = if largest > 0.0 { largest / 127.0 } else { 1.0 };
    let mut out = Vec::with_capacity(HEADER_BYTES + keys.len() * (8 + OUTPUTS));
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
    out.extend_from_slice(&(scale as f32).to_le_bytes());
    out.extend_from_slice(&weighting.request.to_le_bytes());
    out.extend_from_slice(&weighting.courtesy.to_le_bytes());
    out.extend_from_slice(&u32::from(weighting.trigrams).to_le_bytes());
    for b in bias {
        out.extend_from_slice(&(*b as f32).to_le_bytes());
    }
    // Byte planes: byte 0 of every key, then byte 1 of every key… Sorted keys share their
    // high bytes, so the planes compress far better than whole keys (the model ships gzipped),
    // and a key is still read in place.
    for byte in 0..8 {
        for k in keys {
            out.push((k >> (8 * byte)) as u8);
        }
    }
    for w in weights {
        out.push((w / scale).round().clamp(-127.0, 127.0) as i8 as u8);
    }
    out
}
