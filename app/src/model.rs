//! What server functions return and the UI shows: plain serialisable data.

pub mod classifier;
pub mod faq;

use chrono::{DateTime, Utc};
use domain::{
    grading::Reason, Action, Category, Clock, ClockState, Impact, Lang, Level, RiskFlag, Role,
    SlaState, Status,
};
use serde::{Deserialize, Serialize};

/// The logged-in person, as the server knows them (never as the client claims).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub display_name: String,
    pub department_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildingOption {
    pub id: i64,
    pub name: String,
}

/// A community with its buildings, for the filing form's pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunityOption {
    pub id: i64,
    pub name: String,
    /// Its service hotline as written ("" when none is set).
    pub hotline: String,
    pub buildings: Vec<BuildingOption>,
}

/// A community's service hotline, for the footer and the complaint form's emergency box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceHotline {
    pub community: String,
    /// As written ("400-820-1234").
    pub number: String,
    /// What a phone dials ("tel:4008201234").
    pub tel: String,
}

/// A staff member, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
}

/// A department and, for assignment, the handlers in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub handlers: Vec<Person>,
}

impl Department {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.name_zh,
            Lang::En => &self.name_en,
        }
    }
}

/// What the owner gets back the moment a complaint is filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub complaint_id: i64,
    pub tracking_code: String,
}

/// What happened to a complaint, as one line of its timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Filed,
    Reply,
    Note,
    Contact,
    Status,
    Level,
    Assignment,
    Solution,
    Approval,
    Revisit,
    Escalation,
    Group,
    /// The owner attached photos or videos.
    Evidence,
    /// The owner added a message (补充说明 / 催办).
    OwnerMessage,
    /// Staff started waiting for the owner (`after`: what is awaited) or the wait ended
    /// (`after`: `ended`).
    Waiting,
    /// Staff corrected the record (`body`: what changed; public when the owner should know).
    Correction,
    /// The owner disputed a 不成立 judgement, or another supervisor decided the dispute.
    Dispute,
}

impl EventKind {
    pub const ALL: &'static [EventKind] = &[
        EventKind::Filed,
        EventKind::Reply,
        EventKind::Note,
        EventKind::Contact,
        EventKind::Status,
        EventKind::Level,
        EventKind::Assignment,
        EventKind::Solution,
        EventKind::Approval,
        EventKind::Revisit,
        EventKind::Escalation,
        EventKind::Group,
        EventKind::Evidence,
        EventKind::OwnerMessage,
        EventKind::Waiting,
        EventKind::Correction,
        EventKind::Dispute,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EventKind::Filed => "filed",
            EventKind::Reply => "reply",
            EventKind::Note => "note",
            EventKind::Contact => "contact",
            EventKind::Status => "status",
            EventKind::Level => "level",
            EventKind::Assignment => "assignment",
            EventKind::Solution => "solution",
            EventKind::Approval => "approval",
            EventKind::Revisit => "revisit",
            EventKind::Escalation => "escalation",
            EventKind::Group => "group",
            EventKind::Evidence => "evidence",
            EventKind::OwnerMessage => "owner_message",
            EventKind::Waiting => "waiting",
            EventKind::Correction => "correction",
            EventKind::Dispute => "dispute",
        }
    }

    pub fn parse(code: &str) -> Option<EventKind> {
        EventKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

/// One entry of a complaint's timeline. Owners only ever receive public entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub public: bool,
    pub actor_name: Option<String>,
    pub actor_role: Option<Role>,
    pub body: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

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

/// A promise on the tracking page: "我们将在…前联系您", kept or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Promise {
    pub clock: Clock,
    pub state: ClockState,
    /// The clock's window for this complaint ("我们将在2小时内联系您"); 0 when unknown.
    #[serde(default)]
    pub window_minutes: i64,
}

/// A complaint as its owner sees it on the tracking page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerComplaint {
    pub id: i64,
    pub tracking_code: String,
    pub status: Status,
    pub category: Category,
    pub filed_at: DateTime<Utc>,
    pub community: String,
    pub building: Option<String>,
    pub unit: String,
    pub description: String,
    pub emergency: bool,
    pub handler: Option<String>,
    pub department: Option<Department>,
    pub promises: Vec<Promise>,
    pub timeline: Vec<TimelineEntry>,
    /// The complaint is resolved and this round's revisit is not answered yet.
    pub survey_pending: bool,
    pub evidence: Vec<EvidenceItem>,
    /// Whether the owner may still add evidence and messages (not once closed).
    pub open_for_owner: bool,
    /// Judged not valid: the owner may accept it, or (`may_dispute`, once) dispute it.
    #[serde(default)]
    pub judgement: Option<JudgementView>,
    /// What the company waits for from the owner, if anything.
    pub waiting: Option<WaitingView>,
    /// When the view was computed: promises name the day relative to it.
    pub now: DateTime<Utc>,
    /// How the owner is told outside the app, and what was sent.
    #[serde(default)]
    pub notices: OwnerNotices,
}

/// How an owner is reached outside the app (SMS, e-mail), and the messages sent so far.
/// Recipients are masked; a message's text (a survey link) is never shown here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnerNotices {
    /// The mobile SMS go to (`138****5678`), when the complaint's phone is a mobile.
    pub sms_to: Option<String>,
    pub sms_on: bool,
    /// The e-mail address messages also go to (masked), if the owner gave one.
    pub email_to: Option<String>,
    /// The newest messages first.
    pub recent: Vec<NoticeLine>,
}

/// One message that left (or waits to leave) the portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub id: i64,
    /// `sms`, `email`, `wechat` or `webhook`.
    pub channel: String,
    /// An owner occasion (`filed`, `survey`, …), a webhook event, or `test`.
    pub kind: String,
    /// Masked: `138****5678`, `w***@example.com`, a webhook's host.
    pub to: String,
    /// `queued`, `sending`, `sent`, `retrying`, `dead` or `logged` (no channel configured).
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub response_code: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// When it was sent, or when it is due (quiet hours, the next retry).
    pub sent_at: Option<DateTime<Utc>>,
    pub next_at: DateTime<Utc>,
    pub tracking_code: Option<String>,
}

/// The administrator's view of outbound messages: the delivery log, webhook endpoints,
/// and which channels are configured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLog {
    pub lines: Vec<NoticeLine>,
    /// Per status, how many messages.
    pub counts: Vec<(String, i64)>,
    pub endpoints: Vec<WebhookEndpointView>,
    /// The configured channels (`sms`, `email`, `wechat`); the rest only log.
    pub channels: Vec<String>,
}

/// A webhook endpoint (its secret is never shown again after it is saved).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpointView {
    pub id: i64,
    pub url: String,
    pub events: String,
    pub allow_private: bool,
    pub from_env: bool,
    pub active: bool,
    /// The newest deliveries' statuses and response codes.
    pub last: Vec<(String, Option<i64>)>,
}

/// The company waits for the owner (clocks paused): what for, since when, what was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaitingView {
    pub awaiting: domain::waiting::Awaiting,
    pub since: DateTime<Utc>,
    pub note: String,
}

/// A photo or video attached to a complaint, served at `/evidence/{id}` to those who may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub id: i64,
    pub kind: domain::evidence::MediaKind,
    pub file_name: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// Filters of the staff queue, as they appear in the page's URL (all optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QueueFilter {
    /// `open` (default), `all`, or a status code.
    pub status: String,
    pub category: String,
    pub level: String,
    pub department: String,
    /// `mine`, or a handler's user id.
    pub handler: String,
    pub community: String,
    pub building: String,
    /// Filed in or after this month (`YYYY-MM`), and in or before `to`.
    pub from: String,
    pub to: String,
    /// `on_track`, `due_soon` or `breached`.
    pub sla: String,
    /// Words, a tracking code, a phone number or a name.
    pub q: String,
    /// `newest` (default), `oldest`, `level`, `due`.
    pub sort: String,
    pub page: String,
}

/// One row of the staff queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub tracking_code: String,
    pub filed_at: DateTime<Utc>,
    pub category: Category,
    pub level: Level,
    pub top_reason: Option<Reason>,
    pub status: Status,
    pub community: String,
    pub summary: String,
    pub complainant: String,
    pub handler: Option<String>,
    pub emergency: bool,
    /// How it reached us (the queue marks all but the portal).
    #[serde(default)]
    pub channel: domain::Channel,
    /// Waiting for the owner: the progress and resolution clocks stand still.
    #[serde(default)]
    pub waiting: bool,
    pub sla: SlaState,
    /// The earliest due time of the running clocks (for "剩余…/已超时…").
    pub next_due: Option<DateTime<Utc>>,
}

/// Counts of the filtered queue, by SLA state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueueCounts {
    pub total: i64,
    pub due_soon: i64,
    pub breached: i64,
}

/// A page of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    pub counts: QueueCounts,
    pub page: i64,
    pub page_size: i64,
    /// When the page was computed: SLA labels are relative to it.
    pub now: DateTime<Utc>,
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

/// How satisfied the owner was with one aspect of the handling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    Satisfied,
    Basic,
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: &'static [Satisfaction] = &[
        Satisfaction::Satisfied,
        Satisfaction::Basic,
        Satisfaction::Unsatisfied,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Basic => "basic",
            Satisfaction::Unsatisfied => "unsatisfied",
        }
    }

    pub fn parse(code: &str) -> Option<Satisfaction> {
        Satisfaction::ALL.iter().copied().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Satisfaction::Satisfied, Lang::Zh) => "满意",
            (Satisfaction::Basic, Lang::Zh) => "基本满意",
            (Satisfaction::Unsatisfied, Lang::Zh) => "不满意",
            (Satisfaction::Satisfied, Lang::En) => "Satisfied",
            (Satisfaction::Basic, Lang::En) => "Mostly satisfied",
            (Satisfaction::Unsatisfied, Lang::En) => "Not satisfied",
        }
    }
}

/// The revisit questions as answered (online by the owner, or logged by staff): the
/// handling process and the result are asked about separately (rules.md "Satisfaction revisit").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyAnswers {
    pub process: String,
    pub timeliness: String,
    pub attitude: String,
    pub result: String,
    /// 1–5.
    pub overall: String,
    pub comment: String,
}

/// What the survey page shows about the complaint it asks about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyView {
    pub tracking_code: String,
    pub category: Category,
    pub filed_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// What staff told the owner when resolving it.
    pub result: Option<String>,
    pub round: i64,
}

/// A resolved complaint still waiting for its revisit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisitDue {
    pub id: i64,
    pub tracking_code: String,
    pub category: Category,
    pub complainant: String,
    pub phone: String,
    pub handler: Option<String>,
    pub resolved_at: DateTime<Utc>,
    pub round: i64,
    /// Where a survey link waits to be sent (`138****5678`), if one does. Staff never see
    /// the link itself: whoever holds it answers in the owner's name.
    pub survey_queued_to: Option<String>,
    /// The survey link has left (the gateway accepted it).
    #[serde(default)]
    pub survey_sent: bool,
    /// When the revisit is due (the same working day by default).
    #[serde(default)]
    pub due_at: Option<DateTime<Utc>>,
    /// The survey went unanswered too long: call the owner.
    #[serde(default)]
    pub phone_task: bool,
}

/// The staff revisit list with the revisit rate (the goal is 100%).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisitList {
    pub due: Vec<RevisitDue>,
    pub answered: i64,
    /// Answered revisits the customer-service supervisor reviewed (回访审查率).
    #[serde(default)]
    pub reviewed: i64,
    pub rounds: i64,
    pub now: DateTime<Utc>,
}

/// One revisit round: pending, or answered (online or logged by staff).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevisitView {
    pub round: i64,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    /// `survey`, `phone` or `visit`.
    pub method: Option<String>,
    pub process: Option<Satisfaction>,
    pub timeliness: Option<Satisfaction>,
    pub attitude: Option<Satisfaction>,
    pub result: Option<Satisfaction>,
    pub overall: Option<u8>,
    pub comment: Option<String>,
    /// The customer-service supervisor's review of this record, with any guidance.
    #[serde(default)]
    pub reviewed_by: Option<String>,
    #[serde(default)]
    pub reviewed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub review_note: Option<String>,
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
    pub department: Option<Department>,
    pub handler: Option<Person>,
    pub agent: Option<Person>,
    pub same_issue_complainants: u32,
    pub group: Vec<LinkedComplaint>,
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
}

/// One of the owner's own complaints ("我的投诉").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyComplaint {
    pub tracking_code: String,
    pub category: Category,
    pub status: Status,
    pub filed_at: DateTime<Utc>,
    pub summary: String,
}

/// An owner's complaints, and how many filed earlier with their phone they could claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyComplaints {
    pub phone: String,
    pub own: Vec<MyComplaint>,
    pub claimable: i64,
}

/// An account, as administrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The position held in the chain of responsibility (部门经理, 总经理…), if any.
    #[serde(default)]
    pub position: Option<domain::Position>,
    pub department_id: Option<i64>,
    pub phone: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// A handler's complaints still being handled (to hand on when they leave).
    #[serde(default)]
    pub open_complaints: Vec<OpenComplaint>,
}

/// A complaint still being handled, as a link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenComplaint {
    pub id: i64,
    pub tracking_code: String,
}

/// An account as an administrator submits it (`id` empty: a new account).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UserInput {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: String,
    /// A `domain::Position` code, or empty for none.
    pub position: String,
    pub department_id: String,
    /// `on` when active.
    pub active: String,
    /// A mobile number for notices by SMS, or empty.
    pub phone: String,
    /// Required for a new account; empty keeps an existing password.
    pub password: String,
}

/// A department as an administrator submits it (`id` empty: a new department).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DepartmentInput {
    pub id: String,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: String,
}

/// A department as administrators see it (inactive ones too).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentView {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub active: bool,
    pub members: i64,
}

/// A canned reply as an administrator submits it (`id` empty: a new one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CannedInput {
    pub id: String,
    pub title: String,
    pub body: String,
    pub active: String,
}

/// A canned reply with its state, for administrators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CannedView {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub active: bool,
}

/// One year of the business calendar, as administrators see and edit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarYearView {
    pub year: i32,
    /// One date or range a line (`2026-10-01..2026-10-07`), as the form shows them.
    pub holidays: String,
    pub makeup_workdays: String,
    /// Saved by an administrator (false: the official schedule shipped with the portal).
    pub saved: bool,
    /// Working days in the year, for a quick check against the official notice.
    pub working_days: u32,
}

/// The calendar page: every known year, and the year that should be entered next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarAdmin {
    pub years: Vec<CalendarYearView>,
    /// From 1 November: next year, while it is missing (clocks would count Monday–Friday).
    pub missing_next_year: Option<i32>,
}

/// One year as an administrator submits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarInput {
    pub year: String,
    pub holidays: String,
    pub makeup_workdays: String,
}

/// One community of the estate with its buildings, for the administrator's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateCommunity {
    pub id: i64,
    pub name: String,
    /// Its service hotline as written ("" when none is set).
    pub hotline: String,
    pub retired: bool,
    pub buildings: Vec<EstateBuilding>,
}

/// One building and how many units it has in use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateBuilding {
    pub id: i64,
    pub name: String,
    pub retired: bool,
    pub units: i64,
}

/// One unit (户) with its owner, as administrators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateUnitView {
    pub id: i64,
    pub entrance: String,
    pub unit: String,
    pub owner_name: String,
    pub owner_phone: String,
    pub retired: bool,
}

/// How a complaint reached us: the portal, or an agent recording a call, a visit, a
/// letter, a government transfer, WeChat or email.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HowReceived {
    pub channel: domain::Channel,
    /// When the agent typed it in (its clocks count from when it was received).
    pub recorded_at: Option<DateTime<Utc>>,
    pub external_ref: Option<String>,
    pub external_due_at: Option<DateTime<Utc>>,
}

/// 业主档案: one household (unit) of the estate with its owner and every complaint about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdFile {
    pub id: i64,
    pub community: String,
    pub building: String,
    /// 单元 and 房号 ("2单元1501").
    pub unit: String,
    pub owner_name: String,
    /// Masked ("139****0003") for staff who have no need of it.
    pub owner_phone: String,
    pub retired: bool,
    /// Newest first: those this staff member may see.
    pub complaints: Vec<HouseholdComplaint>,
    /// Complaints about the household this staff member may not open (another department's).
    pub hidden: usize,
    /// Whether this staff member may confirm an owner account as this household's.
    #[serde(default)]
    pub may_link: bool,
}

/// One complaint in a household's file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdComplaint {
    pub id: i64,
    pub tracking_code: String,
    pub filed_at: DateTime<Utc>,
    pub category: Category,
    pub status: Status,
    pub level: Level,
    pub channel: domain::Channel,
    pub summary: String,
    pub complainant: String,
    pub department_id: Option<i64>,
    pub handler_id: Option<i64>,
    pub handler: Option<String>,
    /// The latest revisit's overall satisfaction (1–5), if answered.
    pub satisfaction: Option<i64>,
    /// Part of a group complaint (the group's first complaint), or a repeat of another.
    pub group_id: Option<i64>,
    pub repeat_of: Option<i64>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A household found by a staff search, for choosing one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdHit {
    pub id: i64,
    pub place: String,
    pub owner_name: String,
    pub complaints: i64,
}

/// A household of the estate that matches a caller (by phone, or by the unit named).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Caller {
    pub household_id: i64,
    pub community_id: i64,
    pub community: String,
    pub building_id: i64,
    pub building: String,
    /// 单元 and 房号 as the complaint form writes them ("2单元1501").
    pub unit: String,
    pub owner_name: String,
    pub owner_phone: String,
}

/// A unit as an administrator enters it (the spreadsheet's six columns).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EstateUnitInput {
    pub community: String,
    pub building: String,
    pub entrance: String,
    pub unit: String,
    pub owner_name: String,
    pub phone: String,
}

/// The outcome of one import from the browser, in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstateImportReport {
    pub id: i64,
    pub file_name: String,
    pub ok: bool,
    pub units_created: i64,
    pub units_updated: i64,
    pub units_unchanged: i64,
    /// Each bad row, worded: "第3行「手机号」：…".
    pub errors: Vec<String>,
}
