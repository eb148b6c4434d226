//! The estate and household files.

use super::*;

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
