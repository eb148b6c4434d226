//! Setting the level by hand (rules.md "Severity": "a staff member may set it by hand, with a
//! reason that goes into the audit trail").

use serde::{Deserialize, Serialize};

use super::{Grade, Reason};
use crate::fields::{bounded_text, Field, FieldError};
use crate::vocab::Level;

/// Why a manual override was refused: the reason is missing or too long.
pub type OverrideError = FieldError;

/// A level set by a staff member, with a non-empty reason (trimmed, at most 500 characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawOverride")]
pub struct ManualOverride {
    level: Level,
    reason: String,
}

/// The unchecked wire form; deserialising goes through `ManualOverride::new`.
#[derive(Deserialize)]
struct RawOverride {
    level: Level,
    reason: String,
}

impl TryFrom<RawOverride> for ManualOverride {
    type Error = OverrideError;
    fn try_from(raw: RawOverride) -> Result<Self, Self::Error> {
        ManualOverride::new(raw.level, &raw.reason)
    }
}

impl ManualOverride {
    /// Longest reason accepted, in characters.
    pub const MAX_REASON_CHARS: usize = 500;

    /// The form field of the reason.
    pub const REASON: Field = Field {
        name: "reason",
        zh: "调整级别的原因",
        en: "reason",
    };

    /// Checks the reason: required (after trimming) and at most 500 characters.
    pub fn new(level: Level, reason: &str) -> Result<ManualOverride, OverrideError> {
        let reason = bounded_text(Self::REASON, reason, 1, Self::MAX_REASON_CHARS)?;
        Ok(ManualOverride { level, reason })
    }

    /// The level chosen.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The trimmed reason, for the audit trail.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The grade it sets: one `Manual` reason carrying the staff member's words.
    pub fn grade(&self) -> Grade {
        Grade {
            level: self.level,
            reasons: vec![Reason::manual(self.level, &self.reason)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::Rule;
    use crate::lang::Lang;

    #[test]
    fn a_manual_level_needs_a_reason() {
        let err = ManualOverride::new(Level::Two, "   ").unwrap_err();
        assert_eq!(err.field(), "reason");
        assert_eq!(err.message(Lang::Zh), "请填写调整级别的原因");
        let ok = ManualOverride::new(Level::Two, " 业主已撤回媒体投诉 ").unwrap();
        assert_eq!(ok.reason(), "业主已撤回媒体投诉");
        assert_eq!(ok.grade().reasons[0].rule, Rule::Manual);
    }

    #[test]
    fn a_reason_over_500_characters_is_refused() {
        assert!(ManualOverride::new(Level::One, &"原".repeat(500)).is_ok());
        assert!(ManualOverride::new(Level::One, &"原".repeat(501)).is_err());
    }

    #[test]
    fn deserialising_checks_the_reason_too() {
        let bad = serde_json::from_str::<ManualOverride>(r#"{"level":2,"reason":""}"#);
        assert!(bad.is_err());
        let good: ManualOverride = serde_json::from_str(r#"{"level":2,"reason":"误判"}"#).unwrap();
        assert_eq!(good.level(), Level::Two);
    }
}
