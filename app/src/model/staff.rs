//! A complaint as staff see and handle it.

use super::*;

/// A stage clock of a serious complaint (the plan, the report to the general manager).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageClock {
    pub stage: domain::Stage,
    pub state: ClockState,
}

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Done {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A complaint of the same group (same issue, other complainants) or the earlier one a
/// repeat refers to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedComplaint {
    pub id: i64,
    pub tracking_code: String,
    pub status: Status,
    pub complainant: String,
    pub filed_at: DateTime<Utc>,
}

/// A request for a supervisor's decision on a solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalView {
    pub id: i64,
    /// The tier that must decide it.
    #[serde(default = "default_approver")]
    pub approver: domain::Approver,
    pub plan: String,
    pub compensation_fen: u64,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// `granted` or `denied`.
    pub decision: Option<String>,
    pub reason: Option<String>,
}

/// A complaint as staff see it: everything, including internal notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffComplaint {
    /// Whether the unit typed is one of the estate's: `None` when its building has no
    /// units in the estate, `Some(false)` for free text the agent should check.
    #[serde(default)]
    pub unit_in_estate: Option<bool>,
    /// How it reached us, and when an agent typed it in.
    pub received: HowReceived,
    /// The household (业主档案) the complaint is about, when its unit is in the estate.
    #[serde(default)]
    pub household_id: Option<i64>,
    pub id: i64,
    pub tracking_code: String,
    pub status: Status,
    pub category: Category,
    pub level: Level,
    pub level_manual: bool,
    pub reasons: Vec<Reason>,
    pub clocks: Vec<Promise>,
    pub sla: SlaState,
    pub filed_at: DateTime<Utc>,
    pub community: String,
    pub building: Option<String>,
    pub unit: String,
    pub complainant: String,
    pub phone: String,
    pub people_count: u32,
    pub claimed_amount_fen: u64,
    pub impact: Impact,
    /// The effect on use as stated (by the owner or a correction); `None` when it was left
    /// to the description.
    #[serde(default)]
    pub stated_impact: Option<Impact>,
    pub flags: Vec<RiskFlag>,
    pub emergency: bool,
    pub description: String,
    /// The topic the owner started from on the guided form (a `domain::guide::Topic` code).
    #[serde(default)]
    pub topic: Option<String>,
    /// The owner's answers to the guided questions.
    #[serde(default)]
    pub answers: domain::guide::Answers,
    pub department: Option<Department>,
    pub handler: Option<Person>,
    pub agent: Option<Person>,
    pub same_issue_complainants: u32,
    /// The group's other members, the first 50 by filing time.
    pub group: Vec<LinkedComplaint>,
    /// How many other members the group has (more than `group` lists in a large group).
    #[serde(default)]
    pub group_total: u32,
    pub repeat_of: Option<LinkedComplaint>,
    pub solution: Option<String>,
    pub compensation_fen: u64,
    pub root_cause: Option<String>,
    pub corrective_action: Option<String>,
    pub approvals: Vec<ApprovalView>,
    /// Who must approve the current plan under the approval tiers; `None`: the handler
    /// carries it out alone.
    #[serde(default)]
    pub approver: Option<domain::Approver>,
    /// Who was responsible, once closed.
    #[serde(default)]
    pub responsibility: Option<ResponsibilityView>,
    /// The one named commander of a level-1 complaint (统一指挥): only they reply to the owner.
    #[serde(default)]
    pub commander: Option<Person>,
    /// People this staff member may name as commander (empty: they may not name one).
    #[serde(default)]
    pub commander_choices: Vec<Person>,
    /// Whether this staff member may review the latest answered revisit (客服主管).
    #[serde(default)]
    pub may_review_revisit: bool,
    /// The stage clocks (levels 1–2 by default): the plan, the report.
    #[serde(default)]
    pub stages: Vec<StageClock>,
    /// The handling report submitted to the general manager.
    #[serde(default)]
    pub report_submitted: Option<Done>,
    /// Whether this staff member may submit the handling report now.
    #[serde(default)]
    pub may_submit_report: bool,
    pub revisits: Vec<RevisitView>,
    /// What this staff member may do now (the server checks again on every call).
    pub actions: Vec<Action>,
    /// Whether this staff member may set the level by hand.
    pub may_override_level: bool,
    /// Whether this staff member may correct the record (category, unit, facts).
    #[serde(default)]
    pub may_correct: bool,
    /// Whether this staff member may hand it to another department or handler.
    #[serde(default)]
    pub may_reassign: bool,
    /// What the company waits for from the owner now (clocks paused), if anything.
    pub waiting: Option<WaitingView>,
    /// Whether this staff member may start or end a wait for the owner.
    pub may_wait: bool,
    /// Years the clocks of this complaint cross that the business calendar lacks: there
    /// they count Monday–Friday, and the page says so.
    pub calendar_missing_years: Vec<i32>,
    /// Departments and their handlers, when assigning is one of `actions`.
    pub departments: Vec<Department>,
    /// Replies to start from; placeholders {称呼} {查询码} {处理人} {部门} are filled in the editor.
    pub canned_replies: Vec<CannedReply>,
    /// The language the owner reads (the page they filed from): replies start from the
    /// canned text in it.
    #[serde(default)]
    pub owner_lang: domain::Lang,
    pub evidence: Vec<EvidenceItem>,
    pub timeline: Vec<TimelineEntry>,
    /// When the view was computed: clock labels are relative to it.
    pub now: DateTime<Utc>,
}

fn default_approver() -> domain::Approver {
    domain::Approver::Supervisor
}

/// A 不成立 judgement waiting for the owner's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgementView {
    /// The reasoned reply the owner was given (the latest, after a review).
    pub reasoning: String,
    /// False once the owner disputed it and the review upheld it (the review is final).
    pub may_dispute: bool,
}

/// The responsibility recorded when a complaint was closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponsibilityView {
    pub department: Option<Department>,
    /// "" when nobody in particular was named.
    pub person: String,
    pub checks: Vec<domain::ClosingCheck>,
    pub training_case: bool,
}

/// A workflow step as submitted from the complaint page. Every field is text as typed;
/// the server parses what the chosen `action` needs and ignores the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepInput {
    /// A lifecycle action code (`domain::Action`), or `reply`, `note`, `contact`, `override_level`.
    pub action: String,
    pub body: String,
    pub plan: String,
    pub compensation_yuan: String,
    pub department_id: String,
    pub handler_id: String,
    pub root_cause: String,
    pub corrective_action: String,
    pub reason: String,
    pub level: String,
    pub method: String,
    pub process: String,
    pub timeliness: String,
    pub attitude: String,
    pub result: String,
    pub overall: String,
    pub comment: String,
    /// `on` to send a reply despite the forbidden-phrase warning.
    pub send_anyway: String,
    /// `on` when the handler spoke with the owner (phone or visit) before this written answer:
    /// it then counts as the first contact.
    pub counts_as_contact: String,
    /// A correction of the record: the category, the unit and the stated facts.
    pub category: String,
    pub unit: String,
    pub people_count: String,
    pub claimed_amount_yuan: String,
    pub impact: String,
    pub flags: Vec<String>,
    pub emergency: String,
    /// Closing: who was responsible, the 四不放过 checks met, a training case (`on`).
    pub responsible_department_id: String,
    pub responsible_person: String,
    pub checks: Vec<String>,
    pub training_case: String,
    /// Naming the commander of a level-1 complaint: a staff member's id.
    pub commander_id: String,
    /// The supervisor's guidance when reviewing a revisit record.
    pub review_note: String,
}

/// An in-app notification for a staff member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub complaint_id: Option<i64>,
    pub kind: String,
    pub message: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
    /// When its reader acknowledged it (notices that ask someone to act).
    #[serde(default)]
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Whether it asks the reader to act, so acknowledging it is recorded.
    #[serde(default)]
    pub must_act: bool,
}

/// A reply staff can start from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CannedReply {
    pub id: i64,
    pub title: String,
    pub body: String,
    /// The text for owners who read English ("" when none was written).
    #[serde(default)]
    pub body_en: String,
}
