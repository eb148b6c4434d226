//! One complaint as stored, read once and typed.

use chrono::{DateTime, Utc};
use domain::grading::Reason;
use domain::waiting::{Awaiting, Wait};
use domain::{Category, ClockInputs, Impact, Level, RiskFlag, Status};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::store::{from_ms, to_ms};

/// One wait as stored in `complaints.pauses` (epoch milliseconds).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct StoredWait {
    pub from: i64,
    pub to: Option<i64>,
    pub awaiting: String,
    #[serde(default)]
    pub note: String,
}

impl StoredWait {
    fn into_wait(self) -> Option<Wait> {
        Some(Wait {
            from: from_ms(self.from),
            to: self.to.map(from_ms),
            awaiting: Awaiting::parse(&self.awaiting)?,
            note: self.note,
        })
    }

    fn of(wait: &Wait) -> StoredWait {
        StoredWait {
            from: to_ms(wait.from),
            to: wait.to.map(to_ms),
            awaiting: wait.awaiting.code().to_owned(),
            note: wait.note.clone(),
        }
    }
}

/// `complaints.pauses` for `waits`.
pub fn waits_json(waits: &[Wait]) -> String {
    let stored: Vec<StoredWait> = waits.iter().map(StoredWait::of).collect();
    // Plain data: encoding cannot fail.
    serde_json::to_string(&stored).unwrap_or_else(|_| "[]".to_owned())
}

/// The columns every view and step needs, with the names they join to.
pub const SELECT: &str = "
    SELECT c.*, m.name AS community_name, b.name AS building_name,
           d.code AS department_code, d.name_zh AS department_zh, d.name_en AS department_en,
           h.display_name AS handler_name, a.display_name AS agent_name,
           COALESCE(g.complainants, c.same_issue_complainants) AS group_complainants
    FROM complaints c
    JOIN communities m ON m.id = c.community_id
    LEFT JOIN buildings b ON b.id = c.building_id
    LEFT JOIN departments d ON d.id = c.department_id
    LEFT JOIN users h ON h.id = c.handler_id
    LEFT JOIN users a ON a.id = c.agent_id
    LEFT JOIN complaint_groups g ON g.id = c.group_id";

#[derive(Debug, Clone)]
pub struct ComplaintRow {
    pub id: i64,
    pub tracking_code: String,
    pub community_id: i64,
    pub community: String,
    pub building_id: Option<i64>,
    pub building: Option<String>,
    pub unit: String,
    pub complainant: String,
    pub phone: String,
    pub category: Category,
    pub description: String,
    pub people_count: u32,
    pub claimed_amount_fen: u64,
    pub flags: Vec<RiskFlag>,
    pub impact: Impact,
    pub emergency: bool,
    pub status: Status,
    pub level: Level,
    pub reasons: Vec<Reason>,
    pub level_manual: bool,
    /// What was stated at intake (`None` for complaints filed before it was kept).
    pub stated: Option<domain::StatedFacts>,
    /// The facts the current level was set on (`None` for complaints filed before).
    pub level_basis: Option<domain::IntakeFacts>,
    pub department_id: Option<i64>,
    pub department_code: Option<String>,
    pub department_zh: Option<String>,
    pub department_en: Option<String>,
    pub handler_id: Option<i64>,
    pub handler_name: Option<String>,
    pub agent_id: Option<i64>,
    pub agent_name: Option<String>,
    pub group_id: Option<i64>,
    pub repeat_of: Option<i64>,
    pub same_issue_complainants: u32,
    pub compensation_fen: u64,
    pub solution: Option<String>,
    /// Who proposed the current plan (nobody approves their own plan).
    pub solution_by: Option<i64>,
    /// Who judged it not valid (another supervisor decides a dispute).
    pub judged_by: Option<i64>,
    /// When the owner disputed the judgement (once per complaint).
    pub disputed_at: Option<DateTime<Utc>>,
    /// The one named commander of a level-1 complaint (统一指挥).
    pub commander_id: Option<i64>,
    pub root_cause: Option<String>,
    pub corrective_action: Option<String>,
    pub revisit_round: i64,
    pub filed_at: DateTime<Utc>,
    pub first_contact_at: Option<DateTime<Utc>>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub last_progress_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub sla_due_at: Option<DateTime<Utc>>,
    /// First judged valid (the plan's stage clock starts).
    pub accepted_at: Option<DateTime<Utc>>,
    /// A plan first proposed to the owner.
    pub plan_at: Option<DateTime<Utc>>,
    /// Since when the handling report is owed (the resolution; empty for resolutions made
    /// before reports were asked for).
    pub report_owed_since: Option<DateTime<Utc>>,
    /// The handling report submitted to the general manager, and by whom.
    pub report_submitted_at: Option<DateTime<Utc>>,
    pub report_submitted_by: Option<i64>,
    /// Every time the company waited for the owner, oldest first.
    pub waits: Vec<Wait>,
    /// The topic the owner started from (the guided form), if any.
    pub topic: Option<String>,
    /// The owner's answers to the guided questions.
    pub answers: domain::guide::Answers,
    /// The language the owner reads (the page they filed from).
    pub lang: domain::Lang,
}

fn opt_time(row: &AnyRow, column: &str) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(from_ms))
}

fn unsigned(row: &AnyRow, column: &str) -> Result<u64, sqlx::Error> {
    Ok(u64::try_from(row.try_get::<i64, _>(column)?).unwrap_or(0))
}

impl ComplaintRow {
    pub fn from_row(row: &AnyRow) -> Result<ComplaintRow, sqlx::Error> {
        let flags: String = row.try_get("flags")?;
        let reasons: String = row.try_get("level_reasons")?;
        Ok(ComplaintRow {
            id: row.try_get("id")?,
            tracking_code: row.try_get("tracking_code")?,
            community_id: row.try_get("community_id")?,
            community: row.try_get("community_name")?,
            building_id: row.try_get("building_id")?,
            building: row.try_get("building_name")?,
            unit: row.try_get("unit")?,
            complainant: row.try_get("complainant_name")?,
            phone: row.try_get("phone")?,
            category: parse_category(&row.try_get::<String, _>("category")?),
            description: row.try_get("description")?,
            people_count: u32::try_from(row.try_get::<i64, _>("people_count")?).unwrap_or(1),
            claimed_amount_fen: unsigned(row, "claimed_amount_fen")?,
            flags: flags.split(',').filter_map(RiskFlag::parse).collect(),
            impact: Impact::parse(&row.try_get::<String, _>("impact")?).unwrap_or_default(),
            emergency: row.try_get::<i64, _>("emergency")? == 1,
            status: parse_status(&row.try_get::<String, _>("status")?),
            level: parse_level(row.try_get("level")?),
            // Reasons were written by this program; unreadable ones are shown as none.
            reasons: serde_json::from_str(&reasons).unwrap_or_default(),
            level_manual: row.try_get::<i64, _>("level_manual")? == 1,
            stated: row
                .try_get::<Option<String>, _>("stated_facts")?
                .and_then(|json| serde_json::from_str(&json).ok()),
            level_basis: row
                .try_get::<Option<String>, _>("level_basis")?
                .and_then(|json| serde_json::from_str(&json).ok()),
            department_id: row.try_get("department_id")?,
            department_code: row.try_get("department_code")?,
            department_zh: row.try_get("department_zh")?,
            department_en: row.try_get("department_en")?,
            handler_id: row.try_get("handler_id")?,
            handler_name: row.try_get("handler_name")?,
            agent_id: row.try_get("agent_id")?,
            agent_name: row.try_get("agent_name")?,
            group_id: row.try_get("group_id")?,
            repeat_of: row.try_get("repeat_of")?,
            same_issue_complainants: u32::try_from(row.try_get::<i64, _>("group_complainants")?)
                .unwrap_or(1),
            compensation_fen: unsigned(row, "compensation_fen")?,
            solution: row.try_get("solution")?,
            solution_by: row.try_get("solution_by")?,
            judged_by: row.try_get("judged_by")?,
            disputed_at: opt_time(row, "disputed_at")?,
            commander_id: row.try_get("commander_id")?,
            root_cause: row.try_get("root_cause")?,
            corrective_action: row.try_get("corrective_action")?,
            revisit_round: row.try_get("revisit_round")?,
            filed_at: from_ms(row.try_get("filed_at")?),
            first_contact_at: opt_time(row, "first_contact_at")?,
            first_reply_at: opt_time(row, "first_reply_at")?,
            last_progress_at: opt_time(row, "last_progress_at")?,
            resolved_at: opt_time(row, "resolved_at")?,
            sla_due_at: opt_time(row, "sla_due_at")?,
            accepted_at: opt_time(row, "accepted_at")?,
            plan_at: opt_time(row, "plan_at")?,
            report_owed_since: opt_time(row, "report_owed_since")?,
            report_submitted_at: opt_time(row, "report_submitted_at")?,
            report_submitted_by: row.try_get("report_submitted_by")?,
            // Written by this program; unreadable ones are read as no wait.
            waits: serde_json::from_str::<Vec<StoredWait>>(&row.try_get::<String, _>("pauses")?)
                .unwrap_or_default()
                .into_iter()
                .filter_map(StoredWait::into_wait)
                .collect(),
            topic: row
                .try_get::<Option<String>, _>("topic")?
                .filter(|t| !t.is_empty()),
            // Written by this program; unreadable ones are read as none.
            answers: serde_json::from_str(&row.try_get::<String, _>("answers")?)
                .unwrap_or_default(),
            lang: domain::Lang::from_tag(&row.try_get::<String, _>("lang")?).unwrap_or_default(),
        })
    }

    /// The facts the SLA clocks are computed from.
    pub fn clock_inputs(&self) -> ClockInputs {
        ClockInputs {
            filed_at: self.filed_at,
            level: self.level,
            emergency: self.emergency,
            status: self.status,
            first_contact_at: self.first_contact_at,
            first_reply_at: self.first_reply_at,
            last_progress_at: self.last_progress_at,
            resolved_at: self.resolved_at,
            pauses: domain::waiting::pauses(&self.waits),
        }
    }

    /// The facts the stage clocks are computed from.
    pub fn stage_inputs(&self) -> domain::StageInputs {
        domain::StageInputs {
            level: self.level,
            status: self.status,
            accepted_at: self.accepted_at,
            plan_at: self.plan_at,
            report_from: self.report_owed_since,
            report_at: self.report_submitted_at,
            pauses: domain::waiting::pauses(&self.waits),
        }
    }

    /// What the company waits for from the owner now, if anything.
    pub fn awaiting(&self) -> Option<&Wait> {
        domain::waiting::current(&self.waits)
    }

    /// The facts grading works from at `now`, days unresolved counted without the time
    /// spent waiting for the owner ("reasons on our side" only).
    pub fn facts_at(&self, now: DateTime<Utc>) -> domain::IntakeFacts {
        self.intake_facts(domain::sla::days_unresolved(
            self.filed_at,
            now,
            &domain::waiting::pauses(&self.waits),
        ))
    }

    /// The facts grading works from, as they stand now: what was stated at intake, each
    /// fact left out as the description says (the same reading as at filing), the agreed
    /// compensation, and what was learned since (group, repeat, days unresolved).
    pub fn intake_facts(&self, days_unresolved: u32) -> domain::IntakeFacts {
        let known = domain::IntakeFacts {
            repeat: self.repeat_of.is_some(),
            same_issue_complainants_30d: self.same_issue_complainants,
            days_unresolved,
            ..domain::IntakeFacts::default()
        };
        let stated = self.stated.clone().unwrap_or_else(|| {
            // Filed before the stated facts were kept: what differs from the defaults.
            domain::StatedFacts::non_defaults_of(&domain::IntakeFacts {
                people_count: self.people_count,
                claimed_amount_fen: self.claimed_amount_fen,
                flags: self.flags.iter().copied().collect(),
                impact: self.impact,
                ..domain::IntakeFacts::default()
            })
        });
        let filled = domain::hints::text_cues(&self.description).fill_onto(&stated, known);
        domain::with_agreed_amount(&filled.facts, self.compensation_fen)
    }

    /// The facts the current level was set on; for complaints filed before they were kept,
    /// today's facts without the time passed.
    pub fn level_basis(&self) -> domain::IntakeFacts {
        self.level_basis
            .clone()
            .unwrap_or_else(|| self.intake_facts(0))
    }
}

/// Loads one complaint (inside a transaction or not).
pub async fn load(conn: &mut AnyConnection, id: i64) -> Result<Option<ComplaintRow>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE c.id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(ComplaintRow::from_row)
        .transpose()
}

// Codes in the database were written by this program; an unknown one means the row was
// edited by hand, and the safest reading is the one that draws attention.
pub fn parse_status(code: &str) -> Status {
    Status::parse(code).unwrap_or(Status::Filed)
}

pub fn parse_category(code: &str) -> Category {
    Category::parse(code).unwrap_or(Category::PropertyManagement)
}

pub fn parse_level(n: i64) -> Level {
    u8::try_from(n)
        .ok()
        .and_then(Level::from_number)
        .unwrap_or(Level::One)
}

/// The statuses that count as open, for SQL `IN (…)` lists.
pub fn open_statuses() -> Vec<&'static str> {
    Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect()
}
