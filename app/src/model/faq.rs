//! The FAQ knowledge base as server functions return it and pages show it.

use chrono::{DateTime, Utc};
use domain::{Category, Lang};
use serde::{Deserialize, Serialize};

/// What an article is about: the sections of the public FAQ, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaqTopic {
    Repair,
    Emergency,
    Utilities,
    Fees,
    Warranty,
    Decoration,
    Parking,
    Neighbourhood,
    Safety,
    Complaints,
}

impl FaqTopic {
    pub const ALL: &'static [FaqTopic] = &[
        FaqTopic::Repair,
        FaqTopic::Emergency,
        FaqTopic::Utilities,
        FaqTopic::Fees,
        FaqTopic::Warranty,
        FaqTopic::Decoration,
        FaqTopic::Parking,
        FaqTopic::Neighbourhood,
        FaqTopic::Safety,
        FaqTopic::Complaints,
    ];

    /// The code in URLs and the database (`/faq/topic/repair`).
    pub fn code(self) -> &'static str {
        match self {
            FaqTopic::Repair => "repair",
            FaqTopic::Emergency => "emergency",
            FaqTopic::Utilities => "utilities",
            FaqTopic::Fees => "fees",
            FaqTopic::Warranty => "warranty",
            FaqTopic::Decoration => "decoration",
            FaqTopic::Parking => "parking",
            FaqTopic::Neighbourhood => "neighbourhood",
            FaqTopic::Safety => "safety",
            FaqTopic::Complaints => "complaints",
        }
    }

    pub fn parse(code: &str) -> Option<FaqTopic> {
        FaqTopic::ALL.iter().copied().find(|t| t.code() == code)
    }
}

/// Whether an article is visible to owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    Published,
}

impl ArticleStatus {
    pub fn code(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::Published => "published",
        }
    }

    pub fn parse(code: &str) -> Option<ArticleStatus> {
        match code {
            "draft" => Some(ArticleStatus::Draft),
            "published" => Some(ArticleStatus::Published),
            _ => None,
        }
    }
}

/// An article in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqCard {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub topic: FaqTopic,
    pub summary: String,
    /// The language the title and summary are in: the reader's, or Chinese when the
    /// article has no version in theirs.
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCount {
    pub topic: FaqTopic,
    pub count: i64,
}

/// `/faq`: the topics with their article counts and the most-read articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqHome {
    pub topics: Vec<TopicCount>,
    pub popular: Vec<FaqCard>,
}

/// One search result. `title_html` and `snippet_html` are escaped text with the matched
/// words in `<mark>`, built by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqHit {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub title_html: String,
    pub topic: FaqTopic,
    pub snippet_html: String,
    pub score: f32,
    /// The language the title and snippet are in.
    pub lang: Lang,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaqSearchResults {
    pub hits: Vec<FaqHit>,
    /// How many articles matched in all.
    pub total: usize,
    /// Nothing matched the whole query: these are near matches.
    pub fuzzy: bool,
}

/// One published article as owners read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqArticle {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub topic: FaqTopic,
    pub complaint_category: Option<Category>,
    pub tags: Vec<String>,
    pub summary: String,
    /// The Markdown body rendered and sanitised by the server.
    pub body_html: String,
    pub updated_at: DateTime<Utc>,
    pub related: Vec<FaqCard>,
    /// The language the article is shown in: the reader's, or Chinese when it has no
    /// version in theirs (the page then says so).
    pub lang: Lang,
}

/// How the visitor reached an article, for the view and deflection counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaqVisit {
    /// The visit's random key (`Session::visit_key`), when it has one.
    pub key: Option<String>,
    /// Staff reading are not owners helped.
    pub staff: bool,
    /// Opened from a suggestion on the complaint form (`?from=complaint`).
    pub from_complaint: bool,
}

/// A row of the staff list, with the numbers that say whether the article helps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffFaqRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub topic: FaqTopic,
    pub status: ArticleStatus,
    pub views: i64,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub deflections: i64,
    /// Suggested opens whose visit may still file a complaint.
    pub pending_opens: i64,
    pub updated_at: DateTime<Utc>,
}

/// An article as staff edit it: every field as text, as in the form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleInput {
    pub slug: String,
    pub title: String,
    pub topic: String,
    pub complaint_category: String,
    /// Separated by commas, 、 or new lines.
    pub tags: String,
    pub summary: String,
    pub body_md: String,
    /// The revision the editor started from; saving over a newer one is refused.
    pub revision: String,
    /// What changed, for the history (optional).
    pub note: String,
}

/// One saved version of an article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqRevision {
    pub revision: i64,
    pub title: String,
    pub status: ArticleStatus,
    pub body_md: String,
    pub note: String,
    pub edited_by: Option<String>,
    pub edited_at: DateTime<Utc>,
}

/// An owner's answer to "这篇文章有帮助吗?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaqFeedback {
    pub helpful: bool,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Everything about one article for its editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffFaqArticle {
    pub row: StaffFaqRow,
    pub input: ArticleInput,
    pub body_html: String,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The complaint this article was drafted from, by id and tracking code.
    pub source_complaint: Option<(i64, String)>,
    pub revisions: Vec<FaqRevision>,
    pub feedback: Vec<FaqFeedback>,
}
