//! What owners see: their complaint, its promises, notices and evidence, their list.

use super::*;

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
