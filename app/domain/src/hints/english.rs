//! The category hint for descriptions written in English (rules.md "The category hint in
//! English"). The trained model reads Chinese; for an owner who writes in English a small
//! vocabulary of the words owners use for each category gives the hint instead.
//!
//! - A text is read as English when it has at least two Latin-letter words and no more
//!   Chinese characters than one per five words (a Chinese text with "WiFi" or "APP" in it
//!   stays with the model).
//! - Words are matched with their usual endings (`leak` matches leaks, leaking, leaked;
//!   `fee` does not match feel); phrases ("property fee", "not fixed") count once each, and
//!   their words are not counted again.
//! - Each match adds its weight to its category. Too little evidence (less than
//!   [`MIN_EVIDENCE`]) is "not sure yet"; otherwise the shares of the evidence go through
//!   the same thresholds as the model's probabilities ([`super::decide`]).

use crate::classifier::Classification;
use crate::vocab::Category;

use super::{decide, CategoryHint, HintThresholds};

/// Evidence (summed weights) below which the hint says "not sure yet".
pub const MIN_EVIDENCE: f32 = 1.0;

/// True when `text` is written in English (see the module's rule).
pub fn is_english(text: &str) -> bool {
    let words = words(text).count();
    let chinese = text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    words >= 2 && chinese * 5 <= words
}

/// The hint for an English description.
pub fn suggest_english(text: &str, thresholds: &HintThresholds) -> CategoryHint {
    decide(&classify_english(text), thresholds)
}

/// The vocabulary's reading of an English text, as shares of the evidence per category.
pub fn classify_english(text: &str) -> Classification {
    let lower: Vec<String> = words(text).map(|w| w.to_ascii_lowercase()).collect();
    let mut used = vec![false; lower.len()];
    let mut evidence = [0.0f32; Category::ALL.len()];
    let mut known = 0usize;
    // Phrases first (longest first in the table), then single words.
    for &(phrase, category, weight) in VOCABULARY {
        let parts: Vec<&str> = phrase.split(' ').collect();
        if parts.len() < 2 {
            continue;
        }
        for start in 0..lower.len().saturating_sub(parts.len() - 1) {
            let span = start..start + parts.len();
            if used[span.clone()].iter().any(|u| *u) {
                continue;
            }
            if parts
                .iter()
                .zip(&lower[span.clone()])
                .all(|(p, w)| is_form_of(w, p))
            {
                used[span].iter_mut().for_each(|u| *u = true);
                evidence[index(category)] += weight;
                known += 1;
            }
        }
    }
    for (i, word) in lower.iter().enumerate() {
        if used[i] {
            continue;
        }
        for &(stem, category, weight) in VOCABULARY {
            if !stem.contains(' ') && is_form_of(word, stem) {
                evidence[index(category)] += weight;
                known += 1;
            }
        }
    }
    let total: f32 = evidence.iter().sum();
    let mut ranked: Vec<(Category, f32)> = if total < MIN_EVIDENCE {
        Vec::new()
    } else {
        Category::ALL
            .iter()
            .zip(evidence)
            .filter(|(_, e)| *e > 0.0)
            .map(|(c, e)| (*c, e / total))
            .collect()
    };
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    Classification {
        ranked,
        symbols: lower.len(),
        known_features: known.max(if total >= MIN_EVIDENCE { 3 } else { 0 }),
    }
}

/// Endings a short word start may take ("fix" → fixed, fixing; not "fee" → feel).
const SHORT_ENDINGS: &[&str] = &["", "s", "es", "ed", "d", "ing", "er", "ers", "y", "ies"];

/// `word` is `stem` or a form of it: a short stem (up to four letters) with one of the
/// usual endings (a doubled last letter allowed: drip → dripping), a longer one with up to
/// five more letters (advertis → advertisement).
fn is_form_of(word: &str, stem: &str) -> bool {
    let Some(rest) = word.strip_prefix(stem) else {
        return false;
    };
    if stem.len() > 4 {
        return rest.len() <= 5;
    }
    let rest = match (stem.chars().last(), rest.chars().next()) {
        (Some(a), Some(b)) if a == b && rest.len() > 1 => &rest[1..],
        _ => rest,
    };
    SHORT_ENDINGS.contains(&rest)
}

fn index(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or_default()
}

/// Latin-letter words (apostrophes kept inside: "didn't").
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
        .map(|w| w.trim_matches('\''))
        .filter(|w| w.len() >= 2)
}

use Category::{
    EngineeringQuality as Quality, ExternalEnvironment as Outside, LeasingCommercial as Leasing,
    PlanningDesign as Planning, PropertyManagement as Property, RepairService as Repair,
    SalesManagement as Sales, ServiceConduct as Conduct,
};

/// (word start or phrase, category, weight). Written from the category boundaries in
/// rules.md "Categories": a repair the property's team does or failed to do is repair
/// service; a defect of the building itself is engineering quality; what the property
/// company runs day to day (fees, cleaning, security, parking, lifts, neighbours) is
/// property management; how staff behaved is service conduct; what was sold or promised is
/// sales; the plan and layout is planning & design; shops and leases are leasing; what
/// comes from outside the community is external environment.
const VOCABULARY: &[(&str, Category, f32)] = &[
    // Phrases.
    ("property fee", Property, 1.5),
    ("management fee", Property, 1.5),
    ("service charge", Property, 1.5),
    ("car park", Property, 1.0),
    ("parking space", Property, 1.0),
    ("common area", Property, 0.8),
    ("fire lane", Property, 1.0),
    ("access card", Property, 1.0),
    ("not fixed", Repair, 1.5),
    ("still not fixed", Repair, 1.0),
    ("came to fix", Repair, 1.5),
    ("repair request", Repair, 1.5),
    ("no one came", Repair, 1.0),
    ("nobody came", Repair, 1.0),
    ("exterior wall", Quality, 1.5),
    ("new flat", Quality, 0.5),
    ("new home", Quality, 0.5),
    ("floor plan", Planning, 1.5),
    ("green space", Planning, 1.5),
    ("sales office", Sales, 1.5),
    ("property certificate", Sales, 2.0),
    ("title deed", Sales, 2.0),
    ("handover date", Sales, 1.5),
    ("construction site", Outside, 1.5),
    ("outside the community", Outside, 2.0),
    ("outside the estate", Outside, 2.0),
    ("next to the community", Outside, 1.5),
    ("main road", Outside, 1.0),
    // Repair service.
    ("repair", Repair, 1.0),
    ("fix", Repair, 1.0),
    ("broken", Repair, 0.8),
    ("technician", Repair, 1.5),
    ("plumber", Repair, 1.5),
    ("repairman", Repair, 1.5),
    ("maintenance", Repair, 0.8),
    ("blocked", Repair, 1.0),
    ("clog", Repair, 1.0),
    ("drain", Repair, 0.8),
    ("tap", Repair, 0.6),
    ("faucet", Repair, 0.8),
    ("toilet", Repair, 0.6),
    ("pipe", Repair, 0.8),
    ("leak", Repair, 0.8),
    ("drip", Repair, 0.6),
    ("socket", Repair, 0.8),
    ("switch", Repair, 0.5),
    ("spare part", Repair, 1.0),
    ("parts", Repair, 0.5),
    ("again", Repair, 0.3),
    // Engineering quality.
    ("crack", Quality, 1.5),
    ("seep", Quality, 1.2),
    ("seepage", Quality, 1.2),
    ("waterproof", Quality, 1.5),
    ("damp", Quality, 1.0),
    ("mould", Quality, 1.0),
    ("mold", Quality, 1.0),
    ("hollow", Quality, 1.2),
    ("tiles", Quality, 0.8),
    ("warranty", Quality, 1.2),
    ("defect", Quality, 1.5),
    ("structural", Quality, 1.5),
    ("uneven", Quality, 1.0),
    ("window", Quality, 0.6),
    ("frame", Quality, 0.6),
    ("plaster", Quality, 1.0),
    ("quality", Quality, 1.0),
    ("ceiling", Quality, 0.5),
    // Property management.
    ("cleaning", Property, 1.2),
    ("cleaner", Property, 1.2),
    ("garbage", Property, 1.2),
    ("rubbish", Property, 1.2),
    ("trash", Property, 1.2),
    ("litter", Property, 1.0),
    ("security", Property, 1.0),
    ("parking", Property, 1.0),
    ("parked", Property, 1.0),
    ("lift", Property, 1.0),
    ("elevator", Property, 1.0),
    ("corridor", Property, 0.8),
    ("stairwell", Property, 0.8),
    ("lights", Property, 0.5),
    ("dog", Property, 1.0),
    ("pet", Property, 1.0),
    ("neighbour", Property, 0.8),
    ("neighbor", Property, 0.8),
    ("noise", Property, 0.5),
    ("smoking", Property, 0.8),
    ("clutter", Property, 1.0),
    ("gate", Property, 0.8),
    ("cctv", Property, 1.0),
    ("camera", Property, 0.6),
    ("greenery", Property, 0.8),
    ("lawn", Property, 0.8),
    ("charging", Property, 0.8),
    ("fee", Property, 1.0),
    ("bill", Property, 0.8),
    ("invoice", Property, 0.8),
    ("delivery", Property, 0.3),
    ("courier", Property, 0.8),
    ("visitor", Property, 0.8),
    // Service conduct.
    ("rude", Conduct, 2.0),
    ("attitude", Conduct, 2.0),
    ("impolite", Conduct, 2.0),
    ("yell", Conduct, 1.5),
    ("shout", Conduct, 1.5),
    ("insult", Conduct, 2.0),
    ("swore", Conduct, 2.0),
    ("ignored", Conduct, 1.0),
    ("unprofessional", Conduct, 1.5),
    ("receptionist", Conduct, 1.2),
    ("staff", Conduct, 0.8),
    ("guard", Conduct, 0.6),
    ("hung up", Conduct, 1.5),
    ("manner", Conduct, 1.5),
    ("arrogant", Conduct, 2.0),
    // Sales management.
    ("contract", Sales, 1.5),
    ("sales", Sales, 1.5),
    ("salesperson", Sales, 2.0),
    ("promised", Sales, 1.2),
    ("advertis", Sales, 1.5),
    ("brochure", Sales, 1.5),
    ("handover", Sales, 1.0),
    ("bought", Sales, 1.0),
    ("purchase", Sales, 1.0),
    ("deposit", Sales, 0.6),
    ("refund", Sales, 0.8),
    ("mortgage", Sales, 1.5),
    ("developer", Sales, 0.8),
    ("certificate", Sales, 1.0),
    // Planning and design.
    ("layout", Planning, 1.5),
    ("design", Planning, 1.2),
    ("planning", Planning, 1.5),
    ("sunlight", Planning, 1.5),
    ("daylight", Planning, 1.5),
    ("spacing", Planning, 1.0),
    ("clubhouse", Planning, 1.0),
    ("playground", Planning, 0.6),
    // Leasing and commercial.
    ("shop", Leasing, 1.2),
    ("tenant", Leasing, 1.2),
    ("lease", Leasing, 1.5),
    ("rent", Leasing, 1.2),
    ("landlord", Leasing, 1.2),
    ("commercial", Leasing, 1.5),
    ("storefront", Leasing, 1.5),
    ("signage", Leasing, 1.0),
    ("leasing", Leasing, 1.5),
    // External environment.
    ("factory", Outside, 1.5),
    ("highway", Outside, 1.5),
    ("motorway", Outside, 1.5),
    ("metro", Outside, 1.2),
    ("subway", Outside, 1.2),
    ("railway", Outside, 1.2),
    ("traffic", Outside, 1.0),
    ("pollution", Outside, 1.2),
    ("piling", Outside, 1.2),
    ("nightclub", Outside, 1.2),
    ("outside", Outside, 0.5),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn category(text: &str) -> Option<Category> {
        suggest_english(text, &HintThresholds::default()).category
    }

    #[test]
    fn english_and_chinese_texts_are_told_apart() {
        assert!(is_english("Water is leaking from the ceiling"));
        assert!(!is_english("卫生间漏水，WiFi 也断了"));
        assert!(!is_english("APP"));
    }

    #[test]
    fn each_category_is_recognised_from_owners_english() {
        for (text, expected) in [
            (
                "The kitchen tap is broken, I reported it twice and still nobody came to fix it",
                Repair,
            ),
            (
                "There are long cracks in the living room wall and the exterior wall seeps when it rains",
                Quality,
            ),
            (
                "The cleaning is poor, rubbish piles up in the corridor and the lift is dirty",
                Property,
            ),
            (
                "The receptionist was rude and shouted at me when I asked about the bill",
                Conduct,
            ),
            (
                "The sales office promised a garden in the contract but we got an equipment platform",
                Sales,
            ),
            (
                "The green space in the floor plan became a car park; the layout is not what was approved",
                Planning,
            ),
            (
                "As a tenant of the shop I was told the rent goes up 30% and the lease deposit is not returned",
                Leasing,
            ),
            (
                "The construction site outside the community is piling every night after 11pm",
                Outside,
            ),
        ] {
            assert_eq!(category(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn too_little_or_unknown_english_is_not_sure_yet() {
        assert_eq!(category("Hello, I have a question"), None);
        assert_eq!(category("please help"), None);
        assert_eq!(
            category("I feel tired of tapes"),
            None,
            "fee/tap are not feel/tapes"
        );
    }
}
