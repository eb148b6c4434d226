//! People, places and receipts shared by owner and staff pages.

use super::*;

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
