//! Group and repeat detection (rules.md "Group and repeat complaints"): complaints about the
//! same thing (same community, same category, similar text) from different owners within 30 days
//! form one group; the same owner complaining again after handling is a repeat.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Features;
use crate::policy::GroupPolicy;
use crate::vocab::{Category, Level};

/// A complaint as group detection sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentComplaint {
    /// Its id (the new complaint may carry any id not among `recent`).
    pub id: i64,
    /// The community (小区).
    pub community_id: i64,
    /// The building, when known.
    pub building_id: Option<i64>,
    /// What it is about.
    pub category: Category,
    /// The owner's description.
    pub text: String,
    /// Who complained: the normalised phone number.
    pub complainant: String,
    /// When it was filed.
    pub filed_at: DateTime<Utc>,
    /// Already handled (resolved or closed).
    pub handled: bool,
}

/// What the recent complaints say about a new one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupFinding {
    /// Other complainants' earlier complaints about the same issue within the window, by id.
    pub same_issue_ids: Vec<i64>,
    /// Distinct complainants of the issue within the window, the new one included.
    pub distinct_complainants_30d: u32,
    /// The same complainant's handled complaint about the same issue: this one is a repeat.
    pub repeat_of: Option<i64>,
    /// The level the group's size forces (≥ 10 → 1, ≥ 3 → 2), if any; the supervisor is told.
    pub level: Option<Level>,
}

/// Finds the complaints in `recent` about the same issue as `new`: same community (and building,
/// if the policy asks), same category, text similarity at least `min_similarity`. Counts distinct
/// complainants among those filed within `window_days` of `now`, and names the latest handled one
/// by the same complainant within `repeat_window_days` as what `new` repeats.
pub fn find_same_issue(
    new: &RecentComplaint,
    recent: &[RecentComplaint],
    now: DateTime<Utc>,
    policy: &GroupPolicy,
) -> GroupFinding {
    let features = Features::of(&new.text);
    let same: Vec<&RecentComplaint> = recent
        .iter()
        .filter(|c| c.id != new.id && same_place_and_kind(new, c, policy))
        .filter(|c| features.similarity(&Features::of(&c.text)) >= policy.min_similarity)
        .collect();

    let in_group = |c: &&&RecentComplaint| now - c.filed_at <= policy.window();
    // The same owner's earlier complaints are never group members (a repeat, or the same
    // complaint twice): the group is other owners.
    let mut same_issue_ids: Vec<i64> = same
        .iter()
        .filter(in_group)
        .filter(|c| c.complainant != new.complainant)
        .map(|c| c.id)
        .collect();
    same_issue_ids.sort_unstable();

    let complainants: BTreeSet<&str> = same
        .iter()
        .filter(in_group)
        .map(|c| c.complainant.as_str())
        .chain([new.complainant.as_str()])
        .collect();
    let distinct = u32::try_from(complainants.len()).unwrap_or(u32::MAX);

    let repeat_of = same
        .iter()
        .filter(|c| c.handled && c.complainant == new.complainant)
        .filter(|c| now - c.filed_at <= policy.repeat_window())
        .max_by_key(|c| (c.filed_at, c.id))
        .map(|c| c.id);

    let level = policy.forced_level(distinct);

    GroupFinding {
        same_issue_ids,
        distinct_complainants_30d: distinct,
        repeat_of,
        level,
    }
}

/// Same community and category; same building too when the policy asks (unknown buildings
/// never match then).
fn same_place_and_kind(
    new: &RecentComplaint,
    other: &RecentComplaint,
    policy: &GroupPolicy,
) -> bool {
    let same_building = !policy.same_building_only
        || (new.building_id.is_some() && new.building_id == other.building_id);
    new.community_id == other.community_id && new.category == other.category && same_building
}
