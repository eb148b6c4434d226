//! The FAQ knowledge base: articles and their history in the database, the search index in
//! memory beside them (rebuilt at start, updated on every change, re-read when another server
//! process changed the articles), views, helpful votes and deflections.

mod articles;
mod counters;
mod drafts;
mod tally;
mod validate;

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use app::error::{AppError, AppResult};
use app::model::faq::{
    ArticleInput, FaqArticle, FaqCard, FaqHit, FaqHome, FaqSearchResults, FaqTopic, FaqVisit,
    StaffFaqArticle, StaffFaqRow,
};
use app::model::Actor;
use app::ssr::FaqHints;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use domain::hints::{FaqEntry, FaqIndex};
use domain::Lang;
use sqlx::Row;

use crate::db::Db;
use crate::error::db;
use crate::faq::{markdown, seed, split_tags, IndexDoc, Outcome, SearchIndex};
use crate::store::to_ms;

/// How the knowledge base counts and lists. Defaults are the product's choices.
#[derive(Debug, Clone)]
pub struct FaqSettings {
    /// A suggested article opened from the complaint form counts as a deflection when the
    /// same visit files no complaint within this long (default 2 hours; see `counters.rs`).
    pub deflection_window: TimeDelta,
    /// Most-read articles on `/faq` (default 8).
    pub popular: usize,
    /// Related articles under an article (default 4).
    pub related: usize,
    /// At most this many search results per request (default 50).
    pub max_results: usize,
    /// How often a search checks whether another process changed the articles (default 30 s).
    pub refresh_every: Duration,
    /// The portal's zone, minutes east of UTC: reads are counted per month in it (default
    /// 480, China Standard Time; the server sets the policy's).
    pub utc_offset_minutes: i32,
}

impl Default for FaqSettings {
    fn default() -> Self {
        FaqSettings {
            deflection_window: TimeDelta::hours(2),
            popular: 8,
            related: 4,
            max_results: 50,
            refresh_every: Duration::from_secs(30),
            utc_offset_minutes: 480,
        }
    }
}

/// What the index was built from: published count and the newest change.
type Fingerprint = (i64, i64);

pub struct FaqStore {
    pub db: Db,
    pub settings: FaqSettings,
    index: RwLock<Indexes>,
    checked: Mutex<(Instant, Fingerprint)>,
    /// What the hint matcher uses, and the fingerprint it was built at.
    hints: Mutex<Option<(Fingerprint, Arc<FaqHints>)>>,
    /// Reads counted in memory until the next flush.
    reads: tally::ReadTally,
    /// Bumped whenever what owners can read changes (kept pages are then stale).
    generation: std::sync::atomic::AtomicU64,
}

impl FaqStore {
    /// Loads the seed articles that are missing (every start, in every mode: they are
    /// product content), then builds the search index.
    pub async fn open(db: Db, settings: FaqSettings) -> Result<FaqStore, crate::AnyError> {
        let articles = seed::articles()?;
        let translations = seed::translations()?;
        articles::load_seed(&db, &articles, &translations, Utc::now()).await?;
        let (index, fingerprint) = build_index(&db).await?;
        Ok(FaqStore {
            db,
            settings,
            index: RwLock::new(index),
            checked: Mutex::new((Instant::now(), fingerprint)),
            hints: Mutex::new(None),
            reads: tally::ReadTally::default(),
            generation: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Writes the reads counted since the last flush (the background job calls it every few
    /// seconds, and the server once more when it stops).
    pub async fn flush_reads(&self) -> Result<(), sqlx::Error> {
        self.reads.flush(&self.db).await
    }

    /// The background work of the knowledge base: write counted reads, and move suggested
    /// opens whose window has passed into the articles' deflection counters.
    pub async fn background(&self, now: DateTime<Utc>) -> AppResult<()> {
        self.flush_reads()
            .await
            .map_err(db("writing counted reads"))?;
        counters::settle(&self.db, now, self.settings.deflection_window).await
    }

    /// Suggested opens at or before this moment (epoch ms) are past their window.
    fn deflection_cutoff(&self, now: DateTime<Utc>) -> i64 {
        to_ms(now - self.settings.deflection_window)
    }

    /// Changes whenever an article is published, edited or withdrawn here, or the index is
    /// rebuilt after another instance's change: pages rendered before are stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn bump_generation(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Counts a read of the published article `slug` served from a kept page (the render
    /// counts its own): in memory, like every read.
    pub fn count_view(&self, slug: &str, now: DateTime<Utc>) {
        let id = self
            .read_index()
            .zh
            .docs()
            .find(|d| d.slug == slug)
            .map(|d| d.id);
        if let Some(id) = id {
            let month = crate::store::local_month(now, self.settings.utc_offset_minutes);
            self.reads.view(id, month);
        }
    }

    fn read_index(&self) -> std::sync::RwLockReadGuard<'_, Indexes> {
        self.index.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts one article's current state into the indexes (or takes it out).
    async fn reindex(&self, id: i64) -> AppResult<()> {
        let zh = articles::index_doc(&self.db, id, Lang::Zh).await?;
        let en = articles::index_doc(&self.db, id, Lang::En).await?;
        let fingerprint = fingerprint(&self.db).await?;
        {
            let mut guard = self.index.write().unwrap_or_else(|p| p.into_inner());
            let indexes = &mut *guard;
            for (index, doc) in [(&mut indexes.zh, zh), (&mut indexes.en, en)] {
                match doc {
                    Some(doc) => index.upsert(doc),
                    None => index.remove(id),
                }
            }
        }
        self.bump_generation();
        let mut checked = self.checked.lock().unwrap_or_else(|p| p.into_inner());
        *checked = (Instant::now(), fingerprint);
        Ok(())
    }

    /// Rebuilds the index when the articles changed behind this process's back (several
    /// servers on one PostgreSQL database). One cheap query at most every `refresh_every`.
    async fn refresh_if_stale(&self) -> AppResult<()> {
        let known = {
            let checked = self.checked.lock().unwrap_or_else(|p| p.into_inner());
            if checked.0.elapsed() < self.settings.refresh_every {
                return Ok(());
            }
            checked.1
        };
        let current = fingerprint(&self.db).await?;
        if current != known {
            let (index, fingerprint) = build_index(&self.db)
                .await
                .map_err(|e| crate::error::internal("rebuilding the FAQ index", e))?;
            *self.index.write().unwrap_or_else(|p| p.into_inner()) = index;
            self.bump_generation();
            *self.checked.lock().unwrap_or_else(|p| p.into_inner()) = (Instant::now(), fingerprint);
        } else {
            self.checked.lock().unwrap_or_else(|p| p.into_inner()).0 = Instant::now();
        }
        Ok(())
    }

    /// The card of an article as the index of `lang` holds it.
    fn card(doc: &IndexDoc, lang: Lang) -> FaqCard {
        FaqCard {
            id: doc.id,
            slug: doc.slug.clone(),
            title: doc.title.clone(),
            topic: topic_of(&doc.topic),
            summary: doc.summary.clone(),
            lang,
        }
    }
}

/// One search index per language: the Chinese originals, and the articles that have an
/// English version, in English (same ids).
pub struct Indexes {
    pub zh: SearchIndex,
    pub en: SearchIndex,
}

impl Indexes {
    pub fn of(&self, lang: Lang) -> &SearchIndex {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// Where a query is searched, in order: the reader's language, unless the query is
    /// written in Chinese characters (then the Chinese articles); then, when that found
    /// nothing or only near matches, the other language's (a Latin-letter query on a Chinese
    /// page finds the English versions; an English reader finds a Chinese-only article by a
    /// word it contains, such as "WiFi").
    fn search(&self, query: &str, limit: usize, reader: Lang) -> (Outcome, Lang) {
        let chinese = query.chars().any(is_chinese);
        let first = if chinese { Lang::Zh } else { reader };
        let found = self.of(first).search(query, limit);
        let other = match first {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        let worth_trying = !chinese && query.chars().any(|c| c.is_ascii_alphanumeric());
        if worth_trying && (found.total == 0 || found.fuzzy) {
            let second = self.of(other).search(query, limit);
            if second.total > 0 && !(second.fuzzy && found.total > 0) {
                return (second, other);
            }
        }
        (found, first)
    }
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// A topic code as stored; codes are checked on save, so the fallback is never expected.
pub(crate) fn topic_of(code: &str) -> FaqTopic {
    FaqTopic::parse(code).unwrap_or(FaqTopic::Complaints)
}

async fn fingerprint(database: &Db) -> AppResult<Fingerprint> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END), 0) AS BIGINT),
                COALESCE(MAX(updated_at), 0)
         FROM faq_articles",
    )
    .fetch_one(&database.pool)
    .await
    .map_err(db("checking the FAQ articles"))?;
    Ok((
        row.try_get(0).map_err(db("reading the FAQ fingerprint"))?,
        row.try_get(1).map_err(db("reading the FAQ fingerprint"))?,
    ))
}

/// The indexes of every published article, and what they were built from.
pub async fn build_index(database: &Db) -> Result<(Indexes, Fingerprint), AppError> {
    let fingerprint = fingerprint(database).await?;
    let mut built = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let rows = sqlx::query(&format!(
            "SELECT {} WHERE a.status = 'published' ORDER BY a.id",
            articles::index_columns(lang)
        ))
        .fetch_all(&database.pool)
        .await
        .map_err(db("loading the FAQ articles"))?;
        let docs = rows
            .iter()
            .map(articles::doc_from_row)
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(db("reading the FAQ articles"))?;
        built.push(SearchIndex::build(docs));
    }
    let en = built
        .pop()
        .unwrap_or_else(|| SearchIndex::build(Vec::new()));
    let zh = built
        .pop()
        .unwrap_or_else(|| SearchIndex::build(Vec::new()));
    Ok((Indexes { zh, en }, fingerprint))
}

/// Those `app::access` lets write the knowledge base; everyone else is refused.
fn require_author(actor: &Actor) -> AppResult<()> {
    if app::access::may(Some(actor), app::access::Doing::AuthorFaq) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[async_trait]
impl app::ssr::Faq for FaqStore {
    async fn home(&self, lang: Lang) -> AppResult<FaqHome> {
        articles::home(self, lang).await
    }

    async fn topic(&self, topic: FaqTopic, lang: Lang) -> AppResult<Vec<FaqCard>> {
        articles::topic(&self.db, topic, lang).await
    }

    async fn search(&self, query: &str, limit: usize, lang: Lang) -> AppResult<FaqSearchResults> {
        self.refresh_if_stale().await?;
        let (outcome, found_in) =
            self.read_index()
                .search(query, limit.clamp(1, self.settings.max_results), lang);
        Ok(FaqSearchResults {
            hits: outcome
                .hits
                .into_iter()
                .map(|f| FaqHit {
                    id: f.id,
                    slug: f.slug,
                    title: f.title,
                    title_html: f.title_html,
                    topic: topic_of(&f.topic),
                    snippet_html: f.snippet_html,
                    score: f.score,
                    lang: found_in,
                })
                .collect(),
            total: outcome.total,
            fuzzy: outcome.fuzzy,
        })
    }

    async fn article(
        &self,
        slug: &str,
        visit: FaqVisit,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<Option<FaqArticle>> {
        let Some(mut article) = articles::published(&self.db, slug, lang).await? else {
            return Ok(None);
        };
        // Counted in memory: reading never writes in the request path.
        let month = crate::store::local_month(now, self.settings.utc_offset_minutes);
        self.reads.view(article.id, month);
        if let (true, false, Some(key)) = (visit.from_complaint, visit.staff, &visit.key) {
            self.reads.suggested_open(article.id, key, now);
        }
        // Related by the Chinese originals (every article has one), each shown in the
        // reader's language where it can be.
        let indexes = self.read_index();
        article.related = indexes
            .zh
            .related(article.id, self.settings.related)
            .iter()
            .filter_map(|f| {
                let own = indexes.of(lang).get(f.id).map(|d| Self::card(d, lang));
                own.or_else(|| indexes.zh.get(f.id).map(|d| Self::card(d, Lang::Zh)))
            })
            .collect();
        Ok(Some(article))
    }

    async fn vote(
        &self,
        slug: &str,
        helpful: bool,
        comment: Option<String>,
        visit_key: &str,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        counters::vote(&self.db, slug, helpful, comment, visit_key, now).await
    }

    async fn hints(&self) -> AppResult<Arc<FaqHints>> {
        self.refresh_if_stale().await?;
        let fingerprint = self.checked.lock().unwrap_or_else(|p| p.into_inner()).1;
        let mut cached = self.hints.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((built_from, hints)) = cached.as_ref() {
            if *built_from == fingerprint {
                return Ok(hints.clone());
            }
        }
        // Matched on the Chinese keywords and, where there is one, the English version's, so
        // an owner describing the problem in English is pointed to the article too.
        let indexes = self.read_index();
        let titles_en = indexes.en.docs().map(|d| (d.id, d.title.clone())).collect();
        let mut entries: Vec<FaqEntry> = indexes
            .zh
            .docs()
            .map(|d| {
                let mut keywords = format!("{} {}", d.tags.join(" "), d.summary);
                if let Some(en) = indexes.en.get(d.id) {
                    keywords.push_str(&format!(" {} {}", en.tags.join(" "), en.summary));
                }
                FaqEntry {
                    id: d.id,
                    title: d.title.clone(),
                    keywords,
                }
            })
            .collect();
        drop(indexes);
        entries.sort_by_key(|e| e.id);
        let index = FaqIndex::new(&entries);
        let hints = Arc::new(FaqHints {
            entries,
            index,
            titles_en,
        });
        *cached = Some((fingerprint, hints.clone()));
        Ok(hints)
    }

    async fn complaint_filed(&self, visit_key: &str, now: DateTime<Utc>) -> AppResult<()> {
        // The visit's suggested opens must be in the database before filing cancels them.
        self.flush_reads()
            .await
            .map_err(db("writing counted reads"))?;
        counters::complaint_filed(&self.db, visit_key, now, self.settings.deflection_window).await
    }

    async fn staff_list(&self, actor: &Actor, now: DateTime<Utc>) -> AppResult<Vec<StaffFaqRow>> {
        require_author(actor)?;
        articles::staff_list(&self.db, self.deflection_cutoff(now)).await
    }

    async fn staff_article(
        &self,
        actor: &Actor,
        id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<StaffFaqArticle>> {
        require_author(actor)?;
        articles::staff_article(&self.db, id, self.deflection_cutoff(now)).await
    }

    async fn save(
        &self,
        actor: &Actor,
        id: Option<i64>,
        input: ArticleInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<i64> {
        require_author(actor)?;
        let article = validate::article(&input, lang)?;
        let id = match id {
            None => articles::create(&self.db, actor, &article, "staff", None, lang, now).await?,
            Some(id) => {
                articles::update(&self.db, actor, id, &article, &input, lang, now).await?;
                id
            }
        };
        self.reindex(id).await?;
        Ok(id)
    }

    async fn set_published(
        &self,
        actor: &Actor,
        id: i64,
        publish: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_author(actor)?;
        articles::set_published(&self.db, actor, id, publish, now).await?;
        self.reindex(id).await
    }

    fn preview(&self, markdown: &str) -> String {
        markdown::render(markdown)
    }

    async fn draft_from_complaint(
        &self,
        actor: &Actor,
        complaint_id: i64,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<i64> {
        require_author(actor)?;
        drafts::from_complaint(&self.db, actor, complaint_id, lang, now).await
    }
}

/// Tags as stored: comma-separated.
fn join_tags(tags: &[String]) -> String {
    tags.join(",")
}

fn tags_of(stored: &str) -> Vec<String> {
    split_tags(stored)
}

fn ms(at: DateTime<Utc>) -> i64 {
    to_ms(at)
}
