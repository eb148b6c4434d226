//! The category classifier's retraining, as the administrator sees it: the model in use,
//! the company's labelled cases, and each trained model with its report.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The administrator's page: what is in use and what was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassifierAdmin {
    /// The model in use (0: the one shipped with the build).
    pub active_version: i64,
    /// Complaints whose category a staff member confirmed or corrected.
    pub cases: i64,
    /// Of those, labelled since the last training.
    pub new_cases: i64,
    /// Training needs this many cases.
    pub min_cases: i64,
    /// The nightly run trains when this many are new.
    pub nightly_min_new: i64,
    /// The latest trained models, newest first.
    pub models: Vec<TrainedModel>,
}

/// One trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainedModel {
    pub version: i64,
    pub created_at: DateTime<Utc>,
    /// Who asked for it (`None`: the nightly run).
    pub trainer: Option<String>,
    /// `promoted`, `not_better_for_company` or `worse_on_shipped`.
    pub verdict: String,
    pub active: bool,
    /// Bytes of the model file.
    pub size: i64,
    pub report: TrainingReport,
}

/// How a candidate compared with the model in use when it was trained.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrainingReport {
    /// The version it was compared with.
    pub against_version: i64,
    /// Company cases in all, trained on, and held out (the newest).
    pub cases: u32,
    pub trained_on: u32,
    /// Top-1 on the company's held-out slice.
    pub company: Scores,
    /// Top-1 on the shipped corpus's held-out lines.
    pub shipped: Scores,
    /// Per category on the company's slice.
    pub by_category: Vec<CategoryScore>,
    /// The candidate's confusion on the company's slice: `[truth][predicted]`, in the
    /// categories' order.
    pub confusion: Vec<Vec<u32>>,
    /// Held-out cases the candidate gets right and the model in use got wrong, and the
    /// reverse (texts masked).
    pub now_right: Vec<ChangedCase>,
    pub now_wrong: Vec<ChangedCase>,
    /// How long training and both comparisons took.
    #[serde(default)]
    pub training_ms: u64,
}

/// Candidate against the model in use on one set of texts.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Scores {
    pub total: u32,
    pub candidate: u32,
    pub in_use: u32,
}

impl Scores {
    /// (candidate, in use) as fractions.
    pub fn accuracy(&self) -> (f64, f64) {
        if self.total == 0 {
            return (0.0, 0.0);
        }
        let total = f64::from(self.total);
        (
            f64::from(self.candidate) / total,
            f64::from(self.in_use) / total,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryScore {
    /// Category code.
    pub category: String,
    pub total: u32,
    pub candidate: u32,
    pub in_use: u32,
}

/// A held-out case whose answer changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangedCase {
    pub complaint_id: i64,
    /// Category codes: the staff's, the model in use's, the candidate's.
    pub truth: String,
    pub before: String,
    pub after: String,
    /// The start of the masked text.
    pub excerpt: String,
}

/// What one training run did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingOutcome {
    pub version: i64,
    pub verdict: String,
}
