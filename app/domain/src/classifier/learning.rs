//! Learning from the company's own cases: the rules by which a candidate model, trained on
//! the shipped corpus plus the complaints whose category a staff member confirmed or
//! corrected, replaces the model in use. The server gathers the cases and stores the models;
//! the rules live here, so they are the same wherever they run and tested without IO.
//!
//! 1. **Cases.** A case is a complaint whose category a staff member confirmed (by assigning
//!    it) or corrected, with its text masked ([`super::privacy::mask`]). Cases are taken
//!    oldest first.
//! 2. **Split.** The newest fifth of the cases ([`company_slice_len`], at least one) is the
//!    company's held-out slice: the candidate never trains on it. The rest, with every
//!    training line of the shipped corpus, trains the candidate (a case weighs
//!    `TrainConfig::company_weight` corpus lines).
//! 3. **Compare.** The candidate and the model in use are both scored (top-1) on the company's
//!    slice and on the shipped held-out lines.
//! 4. **Promote** only if the candidate is strictly better on the company's slice **and** not
//!    worse than the model in use by more than [`SHIPPED_TOLERANCE`] on the shipped held-out
//!    lines. Otherwise it is kept, with its report, as rejected.
//! 5. Training needs at least [`MIN_CASES`] cases; the nightly run waits for
//!    [`NIGHTLY_MIN_NEW`] cases labelled since the last training.

use serde::{Deserialize, Serialize};

use super::corpus::{Example, Origin, Register, CLASSES};
use super::{classify_with, Model};
use crate::vocab::Category;

/// Fewer confirmed cases than this: nothing to learn from yet.
pub const MIN_CASES: usize = 20;
/// One case in this many (the newest) is the company's held-out slice.
pub const SLICE_EVERY: usize = 5;
/// How much worse (top-1, as a fraction) a candidate may be on the shipped held-out lines.
pub const SHIPPED_TOLERANCE: f64 = 0.02;
/// The nightly run trains only when this many cases were labelled since the last training.
pub const NIGHTLY_MIN_NEW: usize = 50;

/// One confirmed complaint: its category and its masked text.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// The complaint it comes from (reports link to it).
    pub complaint_id: i64,
    /// The category staff confirmed or corrected.
    pub category: Category,
    /// The complaint's description, masked.
    pub text: String,
}

/// The size of the company's held-out slice for `cases` cases: the newest fifth, at least one.
pub fn company_slice_len(cases: usize) -> usize {
    cases.div_ceil(SLICE_EVERY).max(1).min(cases)
}

/// Splits cases (oldest first) into what the candidate trains on and the company's held-out
/// slice (the newest).
pub fn split(cases: &[Case]) -> (&[Case], &[Case]) {
    cases.split_at(cases.len() - company_slice_len(cases.len()))
}

/// The examples a candidate trains on: the shipped corpus's training lines, then the
/// company's training cases.
pub fn training_examples<'a>(shipped: &[Example<'a>], cases: &'a [Case]) -> Vec<Example<'a>> {
    let mut examples = shipped.to_vec();
    examples.extend(cases.iter().map(|c| Example {
        class: class_of(c.category),
        register: Register::Form,
        origin: Origin::Company,
        text: &c.text,
    }));
    examples
}

/// The model's class index of a category.
pub fn class_of(category: Category) -> usize {
    Category::ALL
        .iter()
        .position(|c| *c == category)
        .unwrap_or_default()
}

/// The model's first choice for a text.
pub fn predict(model: &Model<'_>, text: &str) -> Category {
    classify_with(model, text)
        .ranked
        .first()
        .map_or(Category::ALL[0], |r| r.0)
}

/// Top-1 accuracy and the confusion matrix of a model on labelled texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Texts scored.
    pub total: u32,
    /// Texts whose first choice was their category.
    pub correct: u32,
    /// `confusion[truth][predicted]`, in `Category::ALL` order.
    pub confusion: Vec<Vec<u32>>,
}

impl Evaluation {
    /// Correct / total (0 for no texts).
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            f64::from(self.correct) / f64::from(self.total)
        }
    }

    /// (correct, total) of the texts of each category, in `Category::ALL` order.
    pub fn by_category(&self) -> Vec<(u32, u32)> {
        self.confusion
            .iter()
            .enumerate()
            .map(|(truth, row)| (row.get(truth).copied().unwrap_or(0), row.iter().sum()))
            .collect()
    }
}

/// Scores `model` on `(category, text)` pairs.
pub fn evaluate<'t>(
    model: &Model<'_>,
    items: impl IntoIterator<Item = (Category, &'t str)>,
) -> Evaluation {
    let mut confusion = vec![vec![0u32; CLASSES]; CLASSES];
    let (mut total, mut correct) = (0, 0);
    for (truth, text) in items {
        let predicted = predict(model, text);
        total += 1;
        if predicted == truth {
            correct += 1;
        }
        confusion[class_of(truth)][class_of(predicted)] += 1;
    }
    Evaluation {
        total,
        correct,
        confusion,
    }
}

/// Scores `model` on the shipped corpus's held-out lines (background lines have no category
/// and are never held out).
pub fn evaluate_shipped(model: &Model<'_>, held_out: &[Example<'_>]) -> Evaluation {
    evaluate(
        model,
        held_out
            .iter()
            .filter_map(|e| Category::ALL.get(e.class).map(|c| (*c, e.text))),
    )
}

/// What becomes of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Better on the company's slice, not worse beyond the tolerance on the shipped lines.
    Promoted,
    /// Not strictly better than the model in use on the company's slice.
    NotBetterForCompany,
    /// Better for the company, but worse than the tolerance allows on the shipped lines.
    WorseOnShipped,
}

impl Verdict {
    /// The verdict's name in the database and the API.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Promoted => "promoted",
            Verdict::NotBetterForCompany => "not_better_for_company",
            Verdict::WorseOnShipped => "worse_on_shipped",
        }
    }

    /// The verdict named `code`.
    pub fn parse(code: &str) -> Option<Verdict> {
        [
            Verdict::Promoted,
            Verdict::NotBetterForCompany,
            Verdict::WorseOnShipped,
        ]
        .into_iter()
        .find(|v| v.code() == code)
    }
}

/// The promotion rule (step 4 of the module docs).
pub fn verdict(
    candidate_company: &Evaluation,
    active_company: &Evaluation,
    candidate_shipped: &Evaluation,
    active_shipped: &Evaluation,
) -> Verdict {
    // Compared as counts on the same slice, so no rounding decides.
    if candidate_company.correct <= active_company.correct {
        return Verdict::NotBetterForCompany;
    }
    if candidate_shipped.accuracy() + SHIPPED_TOLERANCE < active_shipped.accuracy() {
        return Verdict::WorseOnShipped;
    }
    Verdict::Promoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: i64) -> Case {
        Case {
            complaint_id: id,
            category: Category::RepairService,
            text: String::new(),
        }
    }

    fn eval(correct: u32, total: u32) -> Evaluation {
        Evaluation {
            total,
            correct,
            confusion: vec![vec![0; CLASSES]; CLASSES],
        }
    }

    #[test]
    fn the_newest_fifth_is_held_out() {
        let cases: Vec<Case> = (0..23).map(case).collect();
        let (train, slice) = split(&cases);
        assert_eq!(train.len(), 18);
        assert_eq!(slice.first().map(|c| c.complaint_id), Some(18));
        assert_eq!(company_slice_len(1), 1);
        assert_eq!(company_slice_len(5), 1);
        assert_eq!(company_slice_len(6), 2);
    }

    #[test]
    fn promotion_needs_better_for_the_company_and_no_worse_on_the_shipped_lines() {
        let shipped = eval(900, 1000);
        assert_eq!(
            verdict(&eval(8, 10), &eval(8, 10), &shipped, &shipped),
            Verdict::NotBetterForCompany
        );
        assert_eq!(
            verdict(&eval(9, 10), &eval(8, 10), &eval(879, 1000), &shipped),
            Verdict::WorseOnShipped
        );
        assert_eq!(
            verdict(&eval(9, 10), &eval(8, 10), &eval(881, 1000), &shipped),
            Verdict::Promoted
        );
        assert_eq!(
            Verdict::parse(Verdict::WorseOnShipped.code()),
            Some(Verdict::WorseOnShipped)
        );
    }
}
