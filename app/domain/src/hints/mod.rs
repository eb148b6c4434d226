//! Instant hints while an owner types: the likely category
//! with a second guess when unsure, the severity the text implies so far, and FAQ articles
//! that may answer the question. Computed in the browser on every keystroke, so everything
//! here is pure and cheap; the hint never overrides the owner's own choice, and the text's
//! cues never override a stated fact (they are offered to confirm: [`Suggestion`]).

mod counts;
mod cues;
mod danger;
mod english;
mod faq;
mod fill;
mod numbers;

use serde::{Deserialize, Serialize};

pub use self::counts::WHOLE_BUILDING_PEOPLE;
pub use self::cues::{preview_level, text_cues, CueWord, TextCues};
pub use self::danger::{danger_in, Danger, DangerCue};
pub use self::english::{is_english, suggest_english};
pub use self::faq::{match_faq, FaqEntry, FaqIndex, FaqMatch};
pub use self::fill::{preview, CueFact, Filled, Preview, Suggestion};
use crate::classifier::{classify, classify_with, model, Classification, Model};
use crate::grading::{Grade, GradingPolicy, IntakeFacts, StatedFacts};
use crate::vocab::Category;

/// What the form shows under the description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryHint {
    /// `None` means "not sure yet": too little, off-topic or ambiguous text.
    pub category: Option<Category>,
    /// The model's probability for `category`, 0..=1 (0 when `None`).
    pub confidence: f32,
    /// Runner-up guesses with their probabilities, most likely first (the UI shows "or …");
    /// empty when `category` is `None`.
    pub alternatives: Vec<(Category, f32)>,
}

impl CategoryHint {
    /// "Not sure yet".
    pub fn not_sure() -> CategoryHint {
        CategoryHint {
            category: None,
            confidence: 0.0,
            alternatives: Vec::new(),
        }
    }
}

/// When a guess is shown. Tied to the trained model, so the defaults were tuned with it: on
/// the held-out lines and `corpus/_off_topic.txt` (`examples/classifier_report.rs` prints the
/// effect of each).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HintThresholds {
    /// Fewer meaningful symbols (ideographs, letters, ASCII words, numbers) than this: not sure.
    pub min_symbols: usize,
    /// Fewer features the model knows than this: not sure (off-topic text has few).
    pub min_known_features: usize,
    /// The best guess needs this probability on its own…
    pub min_confidence: f32,
    /// …or, with its runner-up, this much together ("X or Y"; the runner-up is then shown).
    pub min_pair_confidence: f32,
    /// A runner-up is shown as an alternative from this probability on.
    pub min_alternative: f32,
    /// At most this many alternatives.
    pub max_alternatives: usize,
}

impl Default for HintThresholds {
    fn default() -> Self {
        HintThresholds {
            min_symbols: 4,
            min_known_features: 3,
            min_confidence: 0.5,
            min_pair_confidence: 0.75,
            min_alternative: 0.15,
            max_alternatives: 2,
        }
    }
}

/// Suggests a category for a description, or "not sure yet" (default thresholds).
pub fn suggest(text: &str) -> CategoryHint {
    suggest_with(text, &HintThresholds::default())
}

/// Suggests a category for a description with the given thresholds. A description in
/// English is read with the English vocabulary ([`suggest_english`]).
pub fn suggest_with(text: &str, thresholds: &HintThresholds) -> CategoryHint {
    if is_english(text) {
        return suggest_english(text, thresholds);
    }
    decide(&classify(text), thresholds)
}

/// Suggests a category for a description with `model` (the one in use, which the server may
/// have retrained since the build) and the default thresholds; English as in
/// [`suggest_with`].
pub fn suggest_by(model: &Model<'_>, text: &str) -> CategoryHint {
    if is_english(text) {
        return suggest_english(text, &HintThresholds::default());
    }
    decide(&classify_with(model, text), &HintThresholds::default())
}

/// Turns the model's probabilities into what the form shows: honest about too little
/// evidence and about a close call between two categories.
pub fn decide(c: &Classification, t: &HintThresholds) -> CategoryHint {
    let (Some(&(best, p1)), second) = (c.ranked.first(), c.ranked.get(1)) else {
        return CategoryHint::not_sure();
    };
    let p2 = second.map_or(0.0, |s| s.1);
    let enough_text = c.symbols >= t.min_symbols && c.known_features >= t.min_known_features;
    let confident = p1 >= t.min_confidence;
    let close_pair = p1 + p2 >= t.min_pair_confidence;
    if !enough_text || !(confident || close_pair) {
        return CategoryHint::not_sure();
    }
    let alternatives = c
        .ranked
        .iter()
        .skip(1)
        .enumerate()
        // A close pair always shows its runner-up: that is what makes the guess honest.
        .filter(|(i, (_, p))| *p >= t.min_alternative || (!confident && *i == 0))
        .take(t.max_alternatives)
        .map(|(_, alt)| *alt)
        .collect();
    CategoryHint {
        category: Some(best),
        confidence: p1,
        alternatives,
    }
}

/// Everything the form shows for the current text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hint {
    /// The likely category, or "not sure yet".
    pub category: CategoryHint,
    /// The level the stated facts plus the text's cues imply so far, with reasons.
    pub grade: Grade,
    /// Facts taken from the text (applied in `grade`): ask "文字中提到…,是否属实?".
    pub suggested: Vec<Suggestion>,
    /// Up to three FAQ articles that may answer the question, best first.
    pub faq: Vec<FaqMatch>,
    /// A danger the text says is happening now: the form puts the hotline first.
    pub danger: Option<DangerCue>,
}

/// FAQ articles shown with a hint.
pub const HINT_FAQ_LIMIT: usize = 3;

/// One hint per keystroke: category, severity preview and FAQ matches. `stated` holds the
/// facts the owner gave (a field left empty is `None`, filled from the text); `known` the facts
/// only the record knows (repeat, same-issue complainants, days unresolved; the form passes
/// `IntakeFacts::default()`); `faq` is built once per page ([`FaqIndex::new`]). Uses the
/// embedded model; [`hint_by`] takes the model in use.
pub fn hint(
    text: &str,
    stated: &StatedFacts,
    known: &IntakeFacts,
    faq: &FaqIndex,
    policy: &GradingPolicy,
) -> Hint {
    hint_by(model().as_ref(), text, stated, known, faq, policy)
}

/// [`hint`] with the given model; without one (the browser before the model has arrived) the
/// category is "not sure yet" and the level and FAQ matches are as usual.
pub fn hint_by(
    model: Option<&Model<'_>>,
    text: &str,
    stated: &StatedFacts,
    known: &IntakeFacts,
    faq: &FaqIndex,
    policy: &GradingPolicy,
) -> Hint {
    let preview = preview(text, stated, known, policy);
    Hint {
        category: match model {
            Some(m) => suggest_by(m, text),
            None if is_english(text) => suggest_english(text, &HintThresholds::default()),
            None => CategoryHint::not_sure(),
        },
        grade: preview.grade,
        suggested: preview.filled.suggested,
        faq: faq.matches(text, HINT_FAQ_LIMIT),
        danger: danger_in(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classification(ranked: &[(Category, f32)], symbols: usize) -> Classification {
        Classification {
            ranked: ranked.to_vec(),
            symbols,
            known_features: symbols,
        }
    }

    #[test]
    fn a_close_call_between_two_names_both() {
        use Category::{EngineeringQuality as Eq, RepairService as Rs};
        let c = classification(
            &[(Eq, 0.45), (Rs, 0.40), (Category::SalesManagement, 0.15)],
            20,
        );
        let hint = decide(&c, &HintThresholds::default());
        assert_eq!(hint.category, Some(Eq));
        assert_eq!(hint.alternatives.first().map(|a| a.0), Some(Rs));
    }

    #[test]
    fn a_spread_out_guess_is_not_sure_yet() {
        use Category::*;
        let c = classification(
            &[
                (SalesManagement, 0.4),
                (EngineeringQuality, 0.3),
                (RepairService, 0.3),
            ],
            20,
        );
        assert_eq!(
            decide(&c, &HintThresholds::default()),
            CategoryHint::not_sure()
        );
    }

    #[test]
    fn a_confident_guess_on_too_little_text_is_not_sure_yet() {
        let c = classification(&[(Category::EngineeringQuality, 0.99)], 3);
        assert_eq!(decide(&c, &HintThresholds::default()).category, None);
    }
}
