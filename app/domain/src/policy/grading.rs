//! Thresholds of the grading table (rules.md "Severity").

use serde::{Deserialize, Serialize};

use super::{at_least, ordered};
use crate::vocab::{Level, RiskFlag};

/// The level each risk flag forces (rules.md "Severity", precise table rows 1–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagLevels {
    /// Press or online media actually involved (a threat is `media_threat`): level 1.
    pub media: Level,
    /// A protest that took place: level 1.
    pub protest: Level,
    /// Suit filed: level 1.
    pub litigation: Level,
    /// Threatens litigation: level 2 ("可能引发法律诉讼").
    pub lawyer: Level,
    /// Threatens media exposure or a protest that has not happened: level 2 ("可能引发…被媒体
    /// 曝光"; 000, the Vanke 热点 row).
    pub media_threat: Level,
    /// 12345 hotline, regulator, government office: level 2.
    pub government: Level,
}

impl Default for FlagLevels {
    fn default() -> Self {
        FlagLevels {
            media: Level::One,
            protest: Level::One,
            litigation: Level::One,
            lawyer: Level::Two,
            media_threat: Level::Two,
            government: Level::Two,
        }
    }
}

impl FlagLevels {
    /// The level `flag` forces.
    pub fn level(&self, flag: RiskFlag) -> Level {
        match flag {
            RiskFlag::Media => self.media,
            RiskFlag::Protest => self.protest,
            RiskFlag::Litigation => self.litigation,
            RiskFlag::Lawyer => self.lawyer,
            RiskFlag::MediaThreat => self.media_threat,
            RiskFlag::Government => self.government,
        }
    }
}

/// The level each impact forces (rules.md "Severity": severe / impaired / cosmetic → 1 / 2 / 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImpactLevels {
    /// Home or a key function unusable.
    pub severe: Level,
    /// Impaired but usable.
    pub impaired: Level,
    /// Appearance or slight inconvenience.
    pub cosmetic: Level,
}

impl Default for ImpactLevels {
    fn default() -> Self {
        ImpactLevels {
            severe: Level::One,
            impaired: Level::Two,
            cosmetic: Level::Three,
        }
    }
}

/// Thresholds of the grading table (rules.md "Severity", "Made precise for the grading function").
/// Each tiered fact counts as "at least": `people_count >= group_level_1_people` forces level 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GradingPolicy {
    /// Levels forced by the risk flags.
    pub flag_levels: FlagLevels,
    /// Levels forced by the impact on use.
    pub impact_levels: ImpactLevels,
    /// People jointly complaining that force level 1 (≥ 10).
    pub group_level_1_people: u32,
    /// … level 2 (3–9).
    pub group_level_2_people: u32,
    /// … level 3 (2).
    pub group_level_3_people: u32,
    /// Claimed or agreed amount that forces level 1 (≥ ¥10,000), in fen.
    pub amount_level_1_fen: u64,
    /// Amount that forces level 2 (any compensation, > ¥0), in fen.
    pub amount_level_2_fen: u64,
    /// Distinct complainants of the same issue in the group window that force level 1 (≥ 10).
    pub same_issue_level_1_complainants: u32,
    /// … level 2 (≥ 3).
    pub same_issue_level_2_complainants: u32,
    /// Days unresolved for reasons on our side that force level 1 (one month: 30).
    pub raise_to_level_1_after_days: u32,
    /// … level 2 (15; the Vanke variant uses 7).
    pub raise_to_level_2_after_days: u32,
    /// The level a repeat (second complaint after handling) forces: 3.
    pub repeat_level: Level,
}

impl Default for GradingPolicy {
    fn default() -> Self {
        GradingPolicy {
            flag_levels: FlagLevels::default(),
            impact_levels: ImpactLevels::default(),
            group_level_1_people: 10,
            group_level_2_people: 3,
            group_level_3_people: 2,
            amount_level_1_fen: 1_000_000,
            amount_level_2_fen: 1,
            same_issue_level_1_complainants: 10,
            same_issue_level_2_complainants: 3,
            raise_to_level_1_after_days: 30,
            raise_to_level_2_after_days: 15,
            repeat_level: Level::Three,
        }
    }
}

impl GradingPolicy {
    pub(super) fn check(&self, p: &mut Vec<String>) {
        let n = |v: u32| u64::from(v);
        ordered(
            p,
            ("grading.group_level_1_people", n(self.group_level_1_people)),
            ("grading.group_level_2_people", n(self.group_level_2_people)),
        );
        ordered(
            p,
            ("grading.group_level_2_people", n(self.group_level_2_people)),
            ("grading.group_level_3_people", n(self.group_level_3_people)),
        );
        at_least(
            p,
            "grading.group_level_3_people",
            n(self.group_level_3_people),
            2,
        );
        ordered(
            p,
            ("grading.amount_level_1_fen", self.amount_level_1_fen),
            ("grading.amount_level_2_fen", self.amount_level_2_fen),
        );
        at_least(p, "grading.amount_level_2_fen", self.amount_level_2_fen, 1);
        ordered(
            p,
            (
                "grading.same_issue_level_1_complainants",
                n(self.same_issue_level_1_complainants),
            ),
            (
                "grading.same_issue_level_2_complainants",
                n(self.same_issue_level_2_complainants),
            ),
        );
        at_least(
            p,
            "grading.same_issue_level_2_complainants",
            n(self.same_issue_level_2_complainants),
            2,
        );
        ordered(
            p,
            (
                "grading.raise_to_level_1_after_days",
                n(self.raise_to_level_1_after_days),
            ),
            (
                "grading.raise_to_level_2_after_days",
                n(self.raise_to_level_2_after_days),
            ),
        );
        at_least(
            p,
            "grading.raise_to_level_2_after_days",
            n(self.raise_to_level_2_after_days),
            1,
        );
    }
}
