//! Articles and their revisions in the database.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::faq::{
    ArticleInput, ArticleStatus, FaqArticle, FaqCard, FaqFeedback, FaqHome, FaqRevision, FaqTopic,
    StaffFaqArticle, StaffFaqRow, TopicCount,
};
use app::model::Actor;
use chrono::{DateTime, Utc};
use domain::{Category, Lang};
use rand::Rng;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::validate::{self, ValidArticle};
use super::{join_tags, ms, tags_of, topic_of, FaqStore};
use crate::db::Db;
use crate::error::db;
use crate::faq::seed::{SeedArticle, SeedTranslation};
use crate::faq::{markdown, IndexDoc};
use crate::store::from_ms;

/// Inserts the seed articles whose slug is not taken yet, published, with their first
/// revision, and the English versions seed articles do not have yet. Staff edits are never
/// overwritten; a start with nothing new changes nothing.
pub async fn load_seed(
    database: &Db,
    seed: &[SeedArticle],
    translations: &[SeedTranslation],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = database.begin().await.map_err(db("loading the FAQ seed"))?;
    for article in seed {
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO faq_articles (slug, title, topic, complaint_category, tags, summary, body_md,
                 status, source, revision, created_at, updated_at, published_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'published', 'seed', 1, $8, $8, $8)
             ON CONFLICT (slug) DO NOTHING RETURNING id",
        )
        .bind(&article.slug)
        .bind(&article.title)
        .bind(&article.topic)
        .bind(article.complaint_category.as_deref())
        .bind(join_tags(&article.tags))
        .bind(&article.summary)
        .bind(&article.body_md)
        .bind(ms(now))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db("inserting a seed article"))?;
        if let Some(id) = id {
            record_revision(&mut tx, id, None, "seed", now).await?;
        }
    }
    for english in translations {
        sqlx::query(
            "INSERT INTO faq_translations (article_id, lang, title, tags, summary, body_md, updated_at)
             SELECT id, $2, $3, $4, $5, $6, $7 FROM faq_articles WHERE slug = $1 AND source = 'seed'
             ON CONFLICT (article_id, lang) DO NOTHING",
        )
        .bind(&english.slug)
        .bind(Lang::En.tag())
        .bind(&english.title)
        .bind(join_tags(&english.tags))
        .bind(&english.summary)
        .bind(&english.body_md)
        .bind(ms(now))
        .execute(&mut *tx)
        .await
        .map_err(db("inserting a seed article's English version"))?;
    }
    tx.commit().await.map_err(db("committing the FAQ seed"))
}

/// `FROM` and the columns of an article as shown to a reader of `lang`: its version in that
/// language where it has one, else the Chinese original (`translated` says which).
fn in_lang(lang: Lang) -> String {
    format!(
        "a.id, a.slug, COALESCE(t.title, a.title) AS title, a.topic, a.complaint_category,
         COALESCE(t.tags, a.tags) AS tags, COALESCE(t.summary, a.summary) AS summary,
         COALESCE(t.body_md, a.body_md) AS body_md, a.updated_at,
         CASE WHEN t.article_id IS NULL THEN 0 ELSE 1 END AS translated
         FROM faq_articles a LEFT JOIN faq_translations t
             ON t.article_id = a.id AND t.lang = '{}'",
        lang.tag()
    )
}

/// `FROM` and the columns an index of `lang` is built from: the Chinese originals, or the
/// articles' versions in `lang` (an article without one is not in that index).
pub fn index_columns(lang: Lang) -> String {
    match lang {
        Lang::Zh => "a.id, a.slug, a.title, a.topic, a.tags, a.summary, a.body_md
                     FROM faq_articles a"
            .to_owned(),
        Lang::En => format!(
            "a.id, a.slug, t.title, a.topic, t.tags, t.summary, t.body_md
             FROM faq_articles a JOIN faq_translations t
                 ON t.article_id = a.id AND t.lang = '{}'",
            lang.tag()
        ),
    }
}

/// The language a row of [`in_lang`] is written in.
fn shown_in(row: &AnyRow, lang: Lang) -> Result<Lang, sqlx::Error> {
    let translated: i64 = row.try_get("translated")?;
    Ok(if translated == 1 { lang } else { Lang::Zh })
}

pub fn doc_from_row(row: &AnyRow) -> Result<IndexDoc, sqlx::Error> {
    let body: String = row.try_get("body_md")?;
    Ok(IndexDoc {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        topic: row.try_get("topic")?,
        tags: tags_of(&row.try_get::<String, _>("tags")?),
        summary: row.try_get("summary")?,
        body_text: markdown::plain_text(&body),
    })
}

/// The article as the index of `lang` should hold it: `None` unless published (and, for
/// English, unless it has an English version).
pub async fn index_doc(database: &Db, id: i64, lang: Lang) -> AppResult<Option<IndexDoc>> {
    let row = sqlx::query(&format!(
        "SELECT {} WHERE a.id = $1 AND a.status = 'published'",
        index_columns(lang)
    ))
    .bind(id)
    .fetch_optional(&database.pool)
    .await
    .map_err(db("loading an article to index"))?;
    row.as_ref()
        .map(doc_from_row)
        .transpose()
        .map_err(db("reading an article to index"))
}

fn card(row: &AnyRow, lang: Lang) -> Result<FaqCard, sqlx::Error> {
    Ok(FaqCard {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        topic: topic_of(&row.try_get::<String, _>("topic")?),
        summary: row.try_get("summary")?,
        lang: shown_in(row, lang)?,
    })
}

pub async fn home(store: &FaqStore, lang: Lang) -> AppResult<FaqHome> {
    let counts = sqlx::query(
        "SELECT topic, COUNT(*) AS n FROM faq_articles WHERE status = 'published' GROUP BY topic",
    )
    .fetch_all(&store.db.pool)
    .await
    .map_err(db("counting FAQ topics"))?;
    let mut topics = Vec::new();
    for topic in FaqTopic::ALL {
        let mut count = 0;
        for row in &counts {
            let code: String = row.try_get("topic").map_err(db("reading a topic"))?;
            if code == topic.code() {
                count = row.try_get("n").map_err(db("reading a topic"))?;
            }
        }
        if count > 0 {
            topics.push(TopicCount {
                topic: *topic,
                count,
            });
        }
    }
    let popular = sqlx::query(&format!(
        "SELECT {} WHERE a.status = 'published' ORDER BY a.views DESC, a.id ASC LIMIT $1",
        in_lang(lang)
    ))
    .bind(store.settings.popular as i64)
    .fetch_all(&store.db.pool)
    .await
    .map_err(db("listing popular articles"))?
    .iter()
    .map(|row| card(row, lang))
    .collect::<Result<_, _>>()
    .map_err(db("reading popular articles"))?;
    Ok(FaqHome { topics, popular })
}

pub async fn topic(database: &Db, topic: FaqTopic, lang: Lang) -> AppResult<Vec<FaqCard>> {
    sqlx::query(&format!(
        "SELECT {} WHERE a.status = 'published' AND a.topic = $1
         ORDER BY a.views DESC, a.id ASC",
        in_lang(lang)
    ))
    .bind(topic.code())
    .fetch_all(&database.pool)
    .await
    .map_err(db("listing a topic"))?
    .iter()
    .map(|row| card(row, lang))
    .collect::<Result<_, _>>()
    .map_err(db("reading a topic"))
}

/// A published article by its slug (related articles are added by the caller).
pub async fn published(database: &Db, slug: &str, lang: Lang) -> AppResult<Option<FaqArticle>> {
    if slug.len() > 200 {
        return Ok(None);
    }
    // The complaint form's suggestions know articles by id (`FaqEntry`): `/faq/42` works too.
    // Slugs always contain a letter, so the two never collide.
    let by_id = slug.parse::<i64>().ok();
    let Some(row) = sqlx::query(&format!(
        "SELECT {} WHERE (a.slug = $1 OR a.id = $2) AND a.status = 'published'",
        in_lang(lang)
    ))
    .bind(slug)
    .bind(by_id.unwrap_or(-1))
    .fetch_optional(&database.pool)
    .await
    .map_err(db("loading an article"))?
    else {
        return Ok(None);
    };
    let read = || -> Result<FaqArticle, sqlx::Error> {
        let body: String = row.try_get("body_md")?;
        Ok(FaqArticle {
            id: row.try_get("id")?,
            slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            topic: topic_of(&row.try_get::<String, _>("topic")?),
            complaint_category: row
                .try_get::<Option<String>, _>("complaint_category")?
                .as_deref()
                .and_then(Category::parse),
            tags: tags_of(&row.try_get::<String, _>("tags")?),
            summary: row.try_get("summary")?,
            body_html: markdown::render(&body),
            updated_at: from_ms(row.try_get("updated_at")?),
            related: Vec::new(),
            lang: shown_in(&row, lang)?,
        })
    };
    read().map(Some).map_err(db("reading an article"))
}

/// The columns of the staff list. Deflections are read, never settled here: the settled
/// count plus the opens still pending whose window ended at `cutoff` (epoch ms), which the
/// background job moves into the counter later — the sum is the same before and after.
fn staff_columns(cutoff: i64) -> String {
    format!(
        "a.id, a.slug, a.title, a.topic, a.status, a.views, a.helpful_yes, a.helpful_no,
         a.deflections + (SELECT COUNT(*) FROM faq_suggested_opens o
             WHERE o.article_id = a.id AND o.outcome IS NULL AND o.opened_at <= {cutoff}) AS deflections,
         a.updated_at,
         (SELECT COUNT(*) FROM faq_suggested_opens o
             WHERE o.article_id = a.id AND o.outcome IS NULL AND o.opened_at > {cutoff}) AS pending_opens"
    )
}

fn staff_row(row: &AnyRow) -> Result<StaffFaqRow, sqlx::Error> {
    Ok(StaffFaqRow {
        id: row.try_get("id")?,
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        topic: topic_of(&row.try_get::<String, _>("topic")?),
        status: ArticleStatus::parse(&row.try_get::<String, _>("status")?)
            .unwrap_or(ArticleStatus::Draft),
        views: row.try_get("views")?,
        helpful_yes: row.try_get("helpful_yes")?,
        helpful_no: row.try_get("helpful_no")?,
        deflections: row.try_get("deflections")?,
        pending_opens: row.try_get("pending_opens")?,
        updated_at: from_ms(row.try_get("updated_at")?),
    })
}

/// Drafts first, then the most recently changed.
pub async fn staff_list(database: &Db, cutoff: i64) -> AppResult<Vec<StaffFaqRow>> {
    let sql = format!(
        "SELECT {} FROM faq_articles a
         ORDER BY CASE WHEN a.status = 'draft' THEN 0 ELSE 1 END, a.updated_at DESC, a.id DESC",
        staff_columns(cutoff)
    );
    sqlx::query(&sql)
        .fetch_all(&database.pool)
        .await
        .map_err(db("listing FAQ articles"))?
        .iter()
        .map(staff_row)
        .collect::<Result<_, _>>()
        .map_err(db("reading FAQ articles"))
}

pub async fn staff_article(
    database: &Db,
    id: i64,
    cutoff: i64,
) -> AppResult<Option<StaffFaqArticle>> {
    let sql = format!(
        "SELECT {}, a.complaint_category, a.tags, a.summary, a.body_md, a.revision,
                a.created_at, a.published_at, a.source_complaint_id, c.tracking_code
         FROM faq_articles a LEFT JOIN complaints c ON c.id = a.source_complaint_id
         WHERE a.id = $1",
        staff_columns(cutoff)
    );
    let Some(row) = sqlx::query(&sql)
        .bind(id)
        .fetch_optional(&database.pool)
        .await
        .map_err(db("loading an article for staff"))?
    else {
        return Ok(None);
    };
    let revisions = sqlx::query(
        "SELECT r.revision, r.title, r.status, r.body_md, r.note, r.edited_at, u.display_name
         FROM faq_revisions r LEFT JOIN users u ON u.id = r.edited_by
         WHERE r.article_id = $1 ORDER BY r.revision DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(&database.pool)
    .await
    .map_err(db("loading revisions"))?;
    let feedback = sqlx::query(
        "SELECT helpful, comment, updated_at FROM faq_feedback WHERE article_id = $1
         ORDER BY updated_at DESC, id DESC LIMIT 100",
    )
    .bind(id)
    .fetch_all(&database.pool)
    .await
    .map_err(db("loading feedback"))?;
    let read = || -> Result<StaffFaqArticle, sqlx::Error> {
        let body_md: String = row.try_get("body_md")?;
        let source: Option<i64> = row.try_get("source_complaint_id")?;
        let code: Option<String> = row.try_get("tracking_code")?;
        Ok(StaffFaqArticle {
            row: staff_row(&row)?,
            input: ArticleInput {
                slug: row.try_get("slug")?,
                title: row.try_get("title")?,
                topic: row.try_get("topic")?,
                complaint_category: row
                    .try_get::<Option<String>, _>("complaint_category")?
                    .unwrap_or_default(),
                tags: tags_of(&row.try_get::<String, _>("tags")?).join(", "),
                summary: row.try_get("summary")?,
                revision: row.try_get::<i64, _>("revision")?.to_string(),
                note: String::new(),
                body_md: body_md.clone(),
            },
            body_html: markdown::render(&body_md),
            published_at: row.try_get::<Option<i64>, _>("published_at")?.map(from_ms),
            created_at: from_ms(row.try_get("created_at")?),
            source_complaint: source.zip(code),
            revisions: revisions
                .iter()
                .map(|r| {
                    Ok(FaqRevision {
                        revision: r.try_get("revision")?,
                        title: r.try_get("title")?,
                        status: ArticleStatus::parse(&r.try_get::<String, _>("status")?)
                            .unwrap_or(ArticleStatus::Draft),
                        body_md: r.try_get("body_md")?,
                        note: r.try_get("note")?,
                        edited_by: r.try_get("display_name")?,
                        edited_at: from_ms(r.try_get("edited_at")?),
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
            feedback: feedback
                .iter()
                .map(|f| {
                    Ok(FaqFeedback {
                        helpful: f.try_get::<i64, _>("helpful")? != 0,
                        comment: f.try_get("comment")?,
                        created_at: from_ms(f.try_get("updated_at")?),
                    })
                })
                .collect::<Result<_, sqlx::Error>>()?,
        })
    };
    read().map(Some).map_err(db("reading an article for staff"))
}

/// Copies the article's current state into its history.
async fn record_revision(
    conn: &mut AnyConnection,
    id: i64,
    editor: Option<i64>,
    note: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO faq_revisions (article_id, revision, title, topic, complaint_category, tags,
             summary, body_md, status, note, edited_by, edited_at)
         SELECT id, revision, title, topic, complaint_category, tags, summary, body_md, status,
                $2, $3, $4
         FROM faq_articles WHERE id = $1",
    )
    .bind(id)
    .bind(note)
    .bind(editor)
    .bind(ms(now))
    .execute(&mut *conn)
    .await
    .map_err(db("recording a revision"))?;
    Ok(())
}

fn slug_taken(lang: Lang, article: &ValidArticle, input_slug: &str) -> AppError {
    let message = match lang {
        Lang::En => "This URL name is already used by another article",
        Lang::Zh => "这个网址名已被其他文章使用",
    };
    let mut echo = std::collections::BTreeMap::new();
    echo.insert("slug".to_owned(), input_slug.to_owned());
    echo.insert("title".to_owned(), article.title.clone());
    AppError::Validation(FieldErrors::one("slug", message).with_echo(echo))
}

async fn slug_exists(conn: &mut AnyConnection, slug: &str, other_than: i64) -> AppResult<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM faq_articles WHERE slug = $1 AND id <> $2")
            .bind(slug)
            .bind(other_than)
            .fetch_one(&mut *conn)
            .await
            .map_err(db("checking a slug"))?;
    Ok(n > 0)
}

/// A free slug: the given one, or `prefix-xxxxxx`.
async fn free_slug(conn: &mut AnyConnection, prefix: &str) -> AppResult<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    for _ in 0..20 {
        let suffix: String = {
            let mut rng = rand::thread_rng();
            (0..6)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        };
        let slug = format!("{prefix}-{suffix}");
        if !slug_exists(conn, &slug, 0).await? {
            return Ok(slug);
        }
    }
    Err(AppError::Internal)
}

/// A new draft; `source` says where it came from (`staff`, `complaint`).
pub async fn create(
    database: &Db,
    actor: &Actor,
    article: &ValidArticle,
    source: &str,
    source_complaint: Option<i64>,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let mut tx = database.begin().await.map_err(db("creating an article"))?;
    let slug = match &article.slug {
        Some(slug) if slug_exists(&mut tx, slug, 0).await? => {
            return Err(slug_taken(lang, article, slug));
        }
        Some(slug) => slug.clone(),
        None => free_slug(&mut tx, if source == "complaint" { "case" } else { "faq" }).await?,
    };
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO faq_articles (slug, title, topic, complaint_category, tags, summary, body_md,
             status, source, source_complaint_id, revision, author_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', $8, $9, 1, $10, $11, $11) RETURNING id",
    )
    .bind(&slug)
    .bind(&article.title)
    .bind(article.topic.code())
    .bind(article.complaint_category.map(Category::code))
    .bind(join_tags(&article.tags))
    .bind(&article.summary)
    .bind(&article.body_md)
    .bind(source)
    .bind(source_complaint)
    .bind(actor.user_id)
    .bind(ms(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(db("inserting an article"))?;
    record_revision(&mut tx, id, Some(actor.user_id), &article.note, now).await?;
    tx.commit().await.map_err(db("committing an article"))?;
    Ok(id)
}

/// Saves an edit as the next revision. Refused when someone saved in between (the editor
/// sends the revision it started from) or when a published article's URL would change.
pub async fn update(
    database: &Db,
    actor: &Actor,
    id: i64,
    article: &ValidArticle,
    input: &ArticleInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = database.begin().await.map_err(db("editing an article"))?;
    let current =
        sqlx::query("SELECT slug, revision, published_at FROM faq_articles WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db("loading an article to edit"))?
            .ok_or(AppError::NotFound)?;
    let read = || -> Result<(String, i64, Option<i64>), sqlx::Error> {
        Ok((
            current.try_get("slug")?,
            current.try_get("revision")?,
            current.try_get("published_at")?,
        ))
    };
    let (slug, revision, published_at) = read().map_err(db("reading an article to edit"))?;
    if article.expected_revision.is_some_and(|r| r != revision) {
        return Err(AppError::Conflict(
            match lang {
                Lang::En => {
                    "Someone else saved this article meanwhile. Reload it, then edit again."
                }
                Lang::Zh => "这篇文章已被他人修改并保存。请刷新页面后再编辑。",
            }
            .to_owned(),
        ));
    }
    let new_slug = article.slug.clone().unwrap_or_else(|| slug.clone());
    if new_slug != slug {
        if published_at.is_some() {
            let message = match lang {
                Lang::En => "Articles that have been published keep their URL",
                Lang::Zh => "发布过的文章不能修改网址名（链接可能已被分享）",
            };
            return Err(AppError::Validation(
                FieldErrors::one("slug", message).with_echo(validate::echo(input)),
            ));
        }
        if slug_exists(&mut tx, &new_slug, id).await? {
            return Err(slug_taken(lang, article, &new_slug));
        }
    }
    // The revision number in the WHERE makes a concurrent save lose cleanly.
    let changed = sqlx::query(
        "UPDATE faq_articles SET slug = $2, title = $3, topic = $4, complaint_category = $5,
             tags = $6, summary = $7, body_md = $8, revision = revision + 1, updated_at = $9
         WHERE id = $1 AND revision = $10",
    )
    .bind(id)
    .bind(&new_slug)
    .bind(&article.title)
    .bind(article.topic.code())
    .bind(article.complaint_category.map(Category::code))
    .bind(join_tags(&article.tags))
    .bind(&article.summary)
    .bind(&article.body_md)
    .bind(ms(now))
    .bind(revision)
    .execute(&mut *tx)
    .await
    .map_err(db("saving an article"))?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::Conflict(
            match lang {
                Lang::En => {
                    "Someone else saved this article meanwhile. Reload it, then edit again."
                }
                Lang::Zh => "这篇文章已被他人修改并保存。请刷新页面后再编辑。",
            }
            .to_owned(),
        ));
    }
    record_revision(&mut tx, id, Some(actor.user_id), &article.note, now).await?;
    tx.commit().await.map_err(db("committing an edit"))
}

/// Publishes or unpublishes, recorded in the history.
pub async fn set_published(
    database: &Db,
    actor: &Actor,
    id: i64,
    publish: bool,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut tx = database
        .begin()
        .await
        .map_err(db("publishing an article"))?;
    let status = if publish {
        ArticleStatus::Published
    } else {
        ArticleStatus::Draft
    };
    let changed = sqlx::query(
        "UPDATE faq_articles SET status = $2, revision = revision + 1, updated_at = $3,
             published_at = CASE WHEN $4 = 1 THEN $3 ELSE published_at END
         WHERE id = $1 AND status <> $2",
    )
    .bind(id)
    .bind(status.code())
    .bind(ms(now))
    .bind(i64::from(publish))
    .execute(&mut *tx)
    .await
    .map_err(db("publishing an article"))?
    .rows_affected();
    if changed == 0 {
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM faq_articles WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(db("checking an article"))?;
        return if exists == 0 {
            Err(AppError::NotFound)
        } else {
            // Already in that state: nothing to do.
            Ok(())
        };
    }
    let note = if publish { "published" } else { "unpublished" };
    record_revision(&mut tx, id, Some(actor.user_id), note, now).await?;
    tx.commit().await.map_err(db("committing a publication"))
}
