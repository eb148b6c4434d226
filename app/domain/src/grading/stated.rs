//! What a person stated (rules.md, Amendments: "Stated facts win"). A fact the owner or the
//! agent gave — the impact chosen, an amount, a number of people, a list of risk flags — is
//! never overridden by what the text seems to say; text cues only fill the facts left out
//! (`hints::TextCues::fill`). See app/domain/docs/grading.md, "Stated facts and text cues".

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::IntakeFacts;
use crate::intake::RawIntake;
use crate::vocab::{Impact, RiskFlag};

/// The facts a person stated; `None` means "left out", which text cues may fill.
///
/// `Some` always wins, whatever its value: `impact: Some(Impact::None)` states "no effect on
/// use", `amount_fen: Some(0)` states "no money claimed", and `flags: Some(empty)` states "no
/// risk flags". Every field is optional on the wire, so a JSON body may carry any of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatedFacts {
    /// The impact on use chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// The repair or compensation amount claimed, in fen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_fen: Option<u64>,
    /// People complaining together, the complainant included (0 reads as 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people_count: Option<u32>,
    /// The complete list of risk flags that apply; an empty list states "none".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<BTreeSet<RiskFlag>>,
}

impl StatedFacts {
    /// Nothing stated: every fact may come from the text.
    pub fn nothing() -> StatedFacts {
        StatedFacts::default()
    }

    /// Every one of the four facts stated, as `facts` holds them (a staff member who set them
    /// all, or a record that keeps only final values).
    pub fn all_of(facts: &IntakeFacts) -> StatedFacts {
        StatedFacts {
            impact: Some(facts.impact),
            amount_fen: Some(facts.claimed_amount_fen),
            people_count: Some(facts.people_count),
            flags: Some(facts.flags.clone()),
        }
    }

    /// For a record that did not keep what was stated: a value other than the default (one
    /// person, ¥0, no flags, impact none) was stated, a default value reads as left out. It
    /// cannot tell "stated none" from "left out"; store `StatedFacts` itself where it matters.
    pub fn non_defaults_of(facts: &IntakeFacts) -> StatedFacts {
        StatedFacts {
            impact: (facts.impact != Impact::None).then_some(facts.impact),
            amount_fen: (facts.claimed_amount_fen > 0).then_some(facts.claimed_amount_fen),
            people_count: (facts.people_count > 1).then_some(facts.people_count),
            flags: (!facts.flags.is_empty()).then(|| facts.flags.clone()),
        }
    }

    /// What the intake form stated: an empty field is left out. The impact select needs an
    /// empty "not chosen" option for the text to be able to fill it. A checkbox list cannot
    /// say "none": no box ticked is left out, any box ticked states the whole list. Values
    /// that do not parse read as left out (`Intake::parse` reports them to the owner).
    pub fn from_raw_intake(raw: &RawIntake) -> StatedFacts {
        let given = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then_some(s.to_owned())
        };
        let flags: BTreeSet<RiskFlag> = raw
            .flags
            .iter()
            .filter_map(|code| RiskFlag::parse(code.trim()))
            .collect();
        StatedFacts {
            impact: given(&raw.impact).and_then(|s| Impact::parse(&s)),
            amount_fen: given(&raw.claimed_amount_yuan)
                .and_then(|s| crate::money::parse_yuan(&s, "claimed_amount_yuan").ok()),
            people_count: given(&raw.people_count).and_then(|s| s.parse().ok()),
            flags: (!flags.is_empty()).then_some(flags),
        }
    }

    /// True when nothing was stated.
    pub fn is_empty(&self) -> bool {
        *self == StatedFacts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_optional_on_the_wire_and_an_empty_list_is_kept() {
        let s: StatedFacts = serde_json::from_str("{}").unwrap();
        assert!(s.is_empty());
        let s: StatedFacts = serde_json::from_str(r#"{"flags": [], "impact": "none"}"#).unwrap();
        assert_eq!(s.flags, Some(BTreeSet::new()));
        assert_eq!(s.impact, Some(Impact::None));
        assert_eq!(
            serde_json::to_string(&StatedFacts::nothing()).unwrap(),
            "{}"
        );
    }

    #[test]
    fn an_empty_form_field_is_left_out_and_a_filled_one_stated() {
        let raw = RawIntake {
            impact: "none".into(),
            people_count: " ".into(),
            claimed_amount_yuan: "3,000".into(),
            ..RawIntake::default()
        };
        let s = StatedFacts::from_raw_intake(&raw);
        assert_eq!(s.impact, Some(Impact::None));
        assert_eq!(s.people_count, None);
        assert_eq!(s.amount_fen, Some(300_000));
        assert_eq!(s.flags, None);
    }
}
