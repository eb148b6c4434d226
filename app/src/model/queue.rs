//! The staff queue.

use super::*;

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
