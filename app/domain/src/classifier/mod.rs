//! The category classifier behind the instant hints.
//!
//! Weighted character n-grams (`features.rs`: the request of a sentence counts more, courtesy
//! less, every text has unit length) scored by a linear model whose weights `build.rs` trains
//! from `corpus/` ([`train`]) and this module embeds. No word segmenter, no IO at runtime; the
//! same code runs in the browser and on the server.

pub mod corpus;
pub mod features;
pub mod learning;
mod model;
pub mod privacy;
#[cfg(feature = "corpus")]
pub mod shipped;
pub mod train;

use self::corpus::{BACKGROUND, CLASSES};
use self::features::{weighted_features, Scratch};
pub use self::model::Model;
use crate::vocab::Category;

/// The model trained by `build.rs` from the corpus's training split.
pub static MODEL_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/classifier.model"));

/// The embedded model. `None` only if the build wrote something unreadable, which the tests
/// rule out; callers then treat every text as "not sure yet".
pub fn model() -> Option<Model<'static>> {
    Model::parse(MODEL_BYTES)
}

/// What the model makes of a text: every category with its probability, and how much
/// evidence there was.
#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    /// All eight categories, most likely first; probabilities sum to 1.
    pub ranked: Vec<(Category, f32)>,
    /// Symbols that carry meaning (ideographs, letters, ASCII words, numbers).
    pub symbols: usize,
    /// Distinct features of the text that the model knows.
    pub known_features: usize,
}

/// Scores `text` with the embedded model.
pub fn classify(text: &str) -> Classification {
    match model() {
        Some(m) => classify_with(&m, text),
        None => Classification {
            ranked: Category::ALL.iter().map(|c| (*c, 1.0 / 8.0)).collect(),
            symbols: 0,
            known_features: 0,
        },
    }
}

/// Scores `text` with `model` (the embedded one, or one trained by a test).
pub fn classify_with(model: &Model<'_>, text: &str) -> Classification {
    let mut scratch = Scratch::default();
    let mut features: Vec<(u64, f32)> = Vec::new();
    let symbols = weighted_features(text, &model.weighting(), &mut scratch, &mut features);
    let (scores, known_features) = model.scores(&features);
    let probabilities = softmax(scores);
    // "No category" lowers every category's probability alike: the ranking stays, the
    // confidence goes.
    let spread = probabilities[BACKGROUND] / CLASSES as f32;
    let mut ranked: Vec<(Category, f32)> = Category::ALL
        .iter()
        .copied()
        .zip(probabilities.iter().map(|p| p + spread))
        .collect();
    // Stable: equal probabilities keep the spec's category order.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    Classification {
        ranked,
        symbols,
        known_features,
    }
}

fn softmax<const N: usize>(scores: [f32; N]) -> [f32; N] {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut out = scores.map(|s| (s - max).exp());
    let total: f32 = out.iter().sum();
    for p in out.iter_mut() {
        *p /= total;
    }
    out
}
