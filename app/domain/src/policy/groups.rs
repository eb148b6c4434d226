//! Same-issue and repeat detection settings (rules.md "Group and repeat complaints").

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::{at_least, ordered};

/// Same-issue and repeat detection (rules.md "Group and repeat complaints").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupPolicy {
    /// Complaints filed within this many days are linked into one group (30).
    pub window_days: u32,
    /// Text similarity (see `similarity::similarity`) at or above which two complaints are the
    /// same issue. 0.34: chosen on 40 realistic pairs (see `tests/groups.rs`).
    pub min_similarity: f64,
    /// Distinct complainants that raise the level to 2 (≥ 3).
    pub level_2_complainants: u32,
    /// Distinct complainants that raise the level to 1 (≥ 10).
    pub level_1_complainants: u32,
    /// Only link complaints about the same building. The spec says "same community/building":
    /// false, the same community suffices.
    pub same_building_only: bool,
    /// How far back a handled complaint by the same owner makes a new one a repeat. The spec
    /// gives no limit; 365 days so that a leak back next rainy season still counts.
    pub repeat_window_days: u32,
}

impl Default for GroupPolicy {
    fn default() -> Self {
        GroupPolicy {
            window_days: 30,
            min_similarity: 0.34,
            level_2_complainants: 3,
            level_1_complainants: 10,
            same_building_only: false,
            repeat_window_days: 365,
        }
    }
}

impl GroupPolicy {
    /// The group window as a duration.
    pub fn window(&self) -> Duration {
        Duration::days(i64::from(self.window_days))
    }

    /// The level a group of `complainants` distinct owners forces (≥ 10 → 1, ≥ 3 → 2 by
    /// default), if any.
    pub fn forced_level(&self, complainants: u32) -> Option<crate::vocab::Level> {
        if complainants >= self.level_1_complainants {
            Some(crate::vocab::Level::One)
        } else if complainants >= self.level_2_complainants {
            Some(crate::vocab::Level::Two)
        } else {
            None
        }
    }

    /// The repeat window as a duration.
    pub fn repeat_window(&self) -> Duration {
        Duration::days(i64::from(self.repeat_window_days))
    }

    /// How far back the caller must load complaints for `find_same_issue`.
    pub fn lookback(&self) -> Duration {
        self.window().max(self.repeat_window())
    }

    pub(super) fn check(&self, p: &mut Vec<String>) {
        at_least(p, "groups.window_days", u64::from(self.window_days), 1);
        if !(self.min_similarity > 0.0 && self.min_similarity <= 1.0) {
            p.push(format!(
                "groups.min_similarity ({}) must be in (0, 1]",
                self.min_similarity
            ));
        }
        ordered(
            p,
            (
                "groups.level_1_complainants",
                u64::from(self.level_1_complainants),
            ),
            (
                "groups.level_2_complainants",
                u64::from(self.level_2_complainants),
            ),
        );
        at_least(
            p,
            "groups.level_2_complainants",
            u64::from(self.level_2_complainants),
            2,
        );
    }
}
