//! Satisfaction surveys and revisits.

use super::*;

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
