//! What server functions return and the UI shows: plain serialisable data.

use chrono::{DateTime, Utc};
use domain::{Category, Level, Role, Status};
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
    pub buildings: Vec<BuildingOption>,
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
    Status,
    Level,
    Assignment,
    Escalation,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Filed => "filed",
            EventKind::Reply => "reply",
            EventKind::Note => "note",
            EventKind::Status => "status",
            EventKind::Level => "level",
            EventKind::Assignment => "assignment",
            EventKind::Escalation => "escalation",
        }
    }

    pub fn parse(code: &str) -> Option<EventKind> {
        [
            EventKind::Filed,
            EventKind::Reply,
            EventKind::Note,
            EventKind::Status,
            EventKind::Level,
            EventKind::Assignment,
            EventKind::Escalation,
        ]
        .into_iter()
        .find(|k| k.code() == code)
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

/// A complaint as its owner sees it on the tracking page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerComplaint {
    pub tracking_code: String,
    pub status: Status,
    pub category: Category,
    pub level: Level,
    pub filed_at: DateTime<Utc>,
    pub community: String,
    pub building: Option<String>,
    pub unit: String,
    pub description: String,
    pub timeline: Vec<TimelineEntry>,
}

/// One row of the staff queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueRow {
    pub id: i64,
    pub tracking_code: String,
    pub filed_at: DateTime<Utc>,
    pub category: Category,
    pub level: Level,
    pub status: Status,
    pub community: String,
    pub summary: String,
    pub complainant: String,
}

/// A complaint as staff see it: everything, including internal notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffComplaint {
    pub id: i64,
    pub tracking_code: String,
    pub status: Status,
    pub category: Category,
    pub level: Level,
    pub filed_at: DateTime<Utc>,
    pub community: String,
    pub building: Option<String>,
    pub unit: String,
    pub complainant: String,
    pub phone: String,
    pub people_count: u32,
    pub description: String,
    pub timeline: Vec<TimelineEntry>,
}
