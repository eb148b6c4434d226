//! A complaint's timeline.

use super::*;

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
    /// The body in English where the system wrote it in both languages.
    #[serde(default)]
    pub body_en: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}
