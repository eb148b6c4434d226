//! Reading the model bytes written by `train::train` in place: no decoding, no allocation.

use super::corpus::OUTPUTS;
use super::features::Weighting;
use super::train::{HEADER_BYTES, MAGIC};

/// Bytes of one feature key.
const KEY_BYTES: usize = 8;

/// A view of model bytes: how texts are weighted, sorted feature keys (as byte planes), one i8
/// weight per output (the categories and `corpus::BACKGROUND`) and feature, one scale.
#[derive(Debug, Clone, Copy)]
pub struct Model<'a> {
    keys: &'a [u8],
    weights: &'a [u8],
    scale: f32,
    weighting: Weighting,
    bias: [f32; OUTPUTS],
}

impl<'a> Model<'a> {
    /// Reads model bytes; `None` when they are not a complete model of this format.
    pub fn parse(bytes: &'a [u8]) -> Option<Model<'a>> {
        let header = bytes.get(..HEADER_BYTES)?;
        if header.get(..4)? != MAGIC {
            return None;
        }
        let features = usize::try_from(read_u32(header, 4)?).ok()?;
        let scale = f32::from_bits(read_u32(header, 8)?);
        let weighting = Weighting {
            request: f32::from_bits(read_u32(header, 12)?),
            courtesy: f32::from_bits(read_u32(header, 16)?),
            trigrams: read_u32(header, 20)? & 1 == 1,
        };
        let mut bias = [0f32; OUTPUTS];
        for (c, b) in bias.iter_mut().enumerate() {
            *b = f32::from_bits(read_u32(header, 24 + 4 * c)?);
        }
        let keys_end = HEADER_BYTES.checked_add(features.checked_mul(KEY_BYTES)?)?;
        let weights_end = keys_end.checked_add(features.checked_mul(OUTPUTS)?)?;
        if bytes.len() != weights_end {
            return None;
        }
        Some(Model {
            keys: &bytes[HEADER_BYTES..keys_end],
            weights: &bytes[keys_end..weights_end],
            scale,
            weighting,
            bias,
        })
    }

    /// How texts are weighted for this model.
    pub fn weighting(&self) -> Weighting {
        self.weighting
    }

    /// The number of features the model knows.
    pub fn feature_count(&self) -> usize {
        self.keys.len() / KEY_BYTES
    }

    /// Raw class scores (logits) for a text's weighted features (distinct keys with their
    /// values, as `features::weighted_features` gives them), and how many of those keys the
    /// model knows.
    pub fn scores(&self, features: &[(u64, f32)]) -> ([f32; OUTPUTS], usize) {
        let mut sums = [0f32; OUTPUTS];
        let mut known = 0;
        for &(key, value) in features {
            if let Some(row) = self.find(key) {
                known += 1;
                let weights = &self.weights[row * OUTPUTS..(row + 1) * OUTPUTS];
                for (s, w) in sums.iter_mut().zip(weights) {
                    *s += f32::from(*w as i8) * value;
                }
            }
        }
        let mut scores = self.bias;
        for (s, sum) in scores.iter_mut().zip(sums) {
            *s += sum * self.scale;
        }
        (scores, known)
    }

    /// Whether the model has a weight for feature `key` (what the privacy tests ask).
    pub fn knows(&self, key: u64) -> bool {
        self.find(key).is_some()
    }

    /// The row of `key`, by binary search over the sorted keys.
    fn find(&self, key: u64) -> Option<usize> {
        let (mut low, mut high) = (0, self.feature_count());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.key_at(mid).cmp(&key) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Keys are stored as byte planes (`train::serialise`): byte `b` of key `row` is at
    /// `b * count + row`.
    fn key_at(&self, row: usize) -> u64 {
        let count = self.feature_count();
        (0..KEY_BYTES).fold(0, |key, b| {
            key | u64::from(self.keys[b * count + row]) << (8 * b)
        })
    }
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let slice = bytes.get(at..at + 4)?;
    Some(u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]))
}
