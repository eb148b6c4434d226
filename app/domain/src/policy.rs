//! Every threshold of the domain in one typed, serialisable policy (domain.md: "make every
//! threshold configuration, not a literal in code"). `Default` is the spec's default policy;
//! every struct is `#[serde(default)]`, so a TOML file or a database row that names only a few
//! fields overrides just those.

use chrono::{Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::vocab::{Level, RiskFlag};

/// Asia/Shanghai: UTC+8 all year (checked at compile time).
const SHANGHAI: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The whole policy: grading, SLA clocks, group detection, approvals and the server's zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    /// Severity rules (domain.md "Severity").
    pub grading: GradingPolicy,
    /// Time limits (domain.md "Time limits").
    pub sla: SlaPolicy,
    /// Same-issue and repeat detection (domain.md "Group and repeat complaints").
    pub groups: GroupPolicy,
    /// What needs a supervisor (domain.md "Lifecycle" 5).
    pub approval: ApprovalPolicy,
    /// The server's fixed UTC offset in minutes; 480 = Asia/Shanghai (no DST).
    pub utc_offset_minutes: i32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            grading: GradingPolicy::default(),
            sla: SlaPolicy::default(),
            groups: GroupPolicy::default(),
            approval: ApprovalPolicy::default(),
            utc_offset_minutes: 480,
        }
    }
}

impl Policy {
    /// The zone local times are shown in; an out-of-range offset falls back to UTC+8
    /// (`validate` reports it).
    pub fn time_zone(&self) -> FixedOffset {
        self.utc_offset_minutes
            .checked_mul(60)
            .and_then(FixedOffset::east_opt)
            .unwrap_or(SHANGHAI)
    }

    /// Checks that thresholds are ordered and durations positive; lists every problem found.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        self.grading.check(&mut problems);
        self.sla.check(&mut problems);
        self.groups.check(&mut problems);
        if self.utc_offset_minutes.abs() >= 24 * 60 {
            problems.push(format!(
                "utc_offset_minutes ({}) must be within ±1439",
                self.utc_offset_minutes
            ));
        }
        // The same spec rule ("≥ 3 complainants raises the level to 2, ≥ 10 to 1") is read by
        // grading and by group detection: the two copies must agree.
        let g = &self.grading;
        if g.same_issue_level_1_complainants != self.groups.level_1_complainants
            || g.same_issue_level_2_complainants != self.groups.level_2_complainants
        {
            problems.push(
                "grading.same_issue_level_*_complainants must equal groups.level_*_complainants"
                    .to_owned(),
            );
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// Pushes a problem unless `higher > lower` (a more severe tier needs a larger threshold).
fn ordered(problems: &mut Vec<String>, higher: (&str, u64), lower: (&str, u64)) {
    if higher.1 <= lower.1 {
        problems.push(format!(
            "{} ({}) must be greater than {} ({})",
            higher.0, higher.1, lower.0, lower.1
        ));
    }
}

/// Pushes a problem unless `value >= min`.
fn at_least(problems: &mut Vec<String>, name: &str, value: u64, min: u64) {
    if value < min {
        problems.push(format!("{name} ({value}) must be at least {min}"));
    }
}

/// The level each risk flag forces (domain.md "Severity", precise table rows 1–2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FlagLevels {
    /// Press or online exposure: level 1.
    pub media: Level,
    /// Protest: level 1.
    pub protest: Level,
    /// Suit filed: level 1.
    pub litigation: Level,
    /// Threatens litigation: level 2 ("可能引发法律诉讼").
    pub lawyer: Level,
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
            RiskFlag::Government => self.government,
        }
    }
}

/// The level each impact forces (domain.md "Severity": severe / impaired / cosmetic → 1 / 2 / 3).
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

/// Thresholds of the grading table (domain.md "Severity", "Made precise for the grading function").
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
    fn check(&self, p: &mut Vec<String>) {
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

/// The four time limits of one column of the spec's table (domain.md "Time limits"), stored as
/// whole minutes/hours/days so a policy file reads naturally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClockWindows {
    /// First contact with the owner (2 h).
    pub first_contact_minutes: u32,
    /// First substantive reply (24 h).
    pub first_reply_hours: u32,
    /// Longest gap between progress updates while open (3 days; emergency: daily).
    pub progress_update_hours: u32,
    /// Resolution target (7 days; emergency: 2 days).
    pub resolution_days: u32,
}

impl Default for ClockWindows {
    fn default() -> Self {
        ClockWindows {
            first_contact_minutes: 120,
            first_reply_hours: 24,
            progress_update_hours: 72,
            resolution_days: 7,
        }
    }
}

impl ClockWindows {
    /// The spec's emergency column: on site in 2 h, reply in 24 h, daily updates, 2 days.
    pub fn emergency() -> Self {
        ClockWindows {
            progress_update_hours: 24,
            resolution_days: 2,
            ..ClockWindows::default()
        }
    }

    /// First-contact window.
    pub fn first_contact(&self) -> Duration {
        Duration::minutes(i64::from(self.first_contact_minutes))
    }

    /// First-reply window.
    pub fn first_reply(&self) -> Duration {
        Duration::hours(i64::from(self.first_reply_hours))
    }

    /// Progress-update interval.
    pub fn progress_update(&self) -> Duration {
        Duration::hours(i64::from(self.progress_update_hours))
    }

    /// Resolution window (days of 24 hours, not calendar days).
    pub fn resolution(&self) -> Duration {
        Duration::days(i64::from(self.resolution_days))
    }

    fn check(&self, name: &str, p: &mut Vec<String>) {
        for (field, value) in [
            ("first_contact_minutes", self.first_contact_minutes),
            ("first_reply_hours", self.first_reply_hours),
            ("progress_update_hours", self.progress_update_hours),
            ("resolution_days", self.resolution_days),
        ] {
            at_least(p, &format!("{name}.{field}"), u64::from(value), 1);
        }
    }
}

/// SLA clocks (domain.md "Time limits"). The spec gives one default column for every level, so
/// all four `by_level` entries (index 0 = level 1) default to it; tighten level 1 here if wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlaPolicy {
    /// Windows per level, index 0 = level 1 … index 3 = level 4.
    pub by_level: [ClockWindows; 4],
    /// Windows for emergencies (whatever the level).
    pub emergency: ClockWindows,
    /// A running clock is "about to breach" when less than this percentage of its window is
    /// left (25: the last quarter; 2 h window → warn in the last 30 min).
    pub warn_before_percent: u8,
}

impl Default for SlaPolicy {
    fn default() -> Self {
        SlaPolicy {
            by_level: [ClockWindows::default(); 4],
            emergency: ClockWindows::emergency(),
            warn_before_percent: 25,
        }
    }
}

impl SlaPolicy {
    /// The windows that apply to a complaint of `level`, or the emergency column.
    pub fn windows(&self, level: Level, emergency: bool) -> &ClockWindows {
        if emergency {
            &self.emergency
        } else {
            &self.by_level[usize::from(level.number() - 1)]
        }
    }

    fn check(&self, p: &mut Vec<String>) {
        for (i, w) in self.by_level.iter().enumerate() {
            w.check(&format!("sla.by_level[{i}]"), p);
        }
        self.emergency.check("sla.emergency", p);
        if self.warn_before_percent >= 100 {
            p.push(format!(
                "sla.warn_before_percent ({}) must be below 100",
                self.warn_before_percent
            ));
        }
    }
}

/// Same-issue and repeat detection (domain.md "Group and repeat complaints").
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

    /// The repeat window as a duration.
    pub fn repeat_window(&self) -> Duration {
        Duration::days(i64::from(self.repeat_window_days))
    }

    /// How far back the caller must load complaints for `find_same_issue`.
    pub fn lookback(&self) -> Duration {
        self.window().max(self.repeat_window())
    }

    fn check(&self, p: &mut Vec<String>) {
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

/// What needs a supervisor's approval (domain.md "Lifecycle" 5: "compensation or anything
/// beyond the agent's authority needs a supervisor's approval").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalPolicy {
    /// Compensation strictly above this many fen needs approval; 0: any compensation does.
    pub compensation_needs_approval_above_fen: u64,
}
