//! The FAQ knowledge base port: public reading and search, feedback and deflections, staff
//! authoring. Implemented by `server::store::faq`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::Arc;

use domain::hints::{FaqEntry, FaqIndex};
use domain::Lang;

use crate::error::AppResult;
use crate::model::faq::{
    ArticleInput, FaqArticle, FaqCard, FaqHome, FaqSearchResults, FaqTopic, FaqVisit,
    StaffFaqArticle, StaffFaqRow,
};
use crate::model::Actor;

/// The published articles as the hint matcher sees them, with their index.
#[derive(Debug, Default)]
pub struct FaqHints {
    /// By id.
    pub entries: Vec<FaqEntry>,
    pub index: FaqIndex,
    /// The English titles of the articles that have an English version, by id.
    pub titles_en: std::collections::HashMap<i64, String>,
}

#[async_trait]
pub trait Faq: Send + Sync {
    /// Topics with their article counts and the most-read published articles.
    /// `lang` is the reader's: articles are given in it where they have a version in it,
    /// else in Chinese.
    async fn home(&self, lang: Lang) -> AppResult<FaqHome>;
    /// The published articles of one topic.
    async fn topic(&self, topic: FaqTopic, lang: Lang) -> AppResult<Vec<FaqCard>>;
    /// Published articles for a query, best first; any text is a valid query. Searched in
    /// the reader's language, and in the other when the query is written in it.
    async fn search(&self, query: &str, limit: usize, lang: Lang) -> AppResult<FaqSearchResults>;
    /// A published article; counts the view and, from the complaint form, the suggested open.
    async fn article(
        &self,
        slug: &str,
        visit: FaqVisit,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<Option<FaqArticle>>;
    /// "这篇文章有帮助吗?": one answer per visit and article (answering again changes it).
    async fn vote(
        &self,
        slug: &str,
        helpful: bool,
        comment: Option<String>,
        visit_key: &str,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Published articles for the complaint form's in-browser matcher (keywords: tags and
    /// summary), and their index, built once per change of the articles: what
    /// `POST /api/v1/hints` matches against. The form gets `entries` and indexes them itself.
    async fn hints(&self) -> AppResult<Arc<FaqHints>>;
    /// A complaint was filed in this visit: its suggested opens are not deflections.
    async fn complaint_filed(&self, visit_key: &str, now: DateTime<Utc>) -> AppResult<()>;

    /// Every article with its numbers (authors only).
    async fn staff_list(&self, actor: &Actor, now: DateTime<Utc>) -> AppResult<Vec<StaffFaqRow>>;
    /// One article with its history and feedback (authors only).
    async fn staff_article(
        &self,
        actor: &Actor,
        id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<StaffFaqArticle>>;
    /// Creates (`id` None) or edits an article, recording a revision; returns its id.
    async fn save(
        &self,
        actor: &Actor,
        id: Option<i64>,
        input: ArticleInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<i64>;
    /// Publishes or unpublishes; search sees the change at once.
    async fn set_published(
        &self,
        actor: &Actor,
        id: i64,
        publish: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Markdown → sanitised HTML, as the article page will show it.
    fn preview(&self, markdown: &str) -> String;
    /// A draft article from a resolved or closed complaint, the owner's personal data
    /// removed; an existing draft of the same complaint is reused. Returns its id.
    async fn draft_from_complaint(
        &self,
        actor: &Actor,
        complaint_id: i64,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<i64>;
}
