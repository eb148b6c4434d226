-- The FAQ knowledge base: articles (Markdown), their edit history, owners' feedback, and the
-- opens of suggested articles from which deflections are counted. Times are UTC epoch
-- milliseconds; the PostgreSQL twin of this file is ../postgres/0002_faq.sql.

CREATE TABLE faq_articles (
    id                    INTEGER PRIMARY KEY,
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL,
    topic                 TEXT NOT NULL,
    complaint_category    TEXT,
    -- Comma-separated.
    tags                  TEXT NOT NULL DEFAULT '',
    summary               TEXT NOT NULL DEFAULT '',
    body_md               TEXT NOT NULL,
    status                TEXT NOT NULL DEFAULT 'draft',
    -- 'seed' (shipped with the product), 'staff', or 'complaint' (drafted from a resolved case).
    source                TEXT NOT NULL DEFAULT 'staff',
    source_complaint_id   BIGINT REFERENCES complaints(id),
    revision              BIGINT NOT NULL DEFAULT 1,
    views                 BIGINT NOT NULL DEFAULT 0,
    helpful_yes           BIGINT NOT NULL DEFAULT 0,
    helpful_no            BIGINT NOT NULL DEFAULT 0,
    deflections           BIGINT NOT NULL DEFAULT 0,
    author_id             BIGINT REFERENCES users(id),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    published_at          BIGINT
);

CREATE INDEX faq_articles_by_status ON faq_articles (status, views);
CREATE INDEX faq_articles_by_topic ON faq_articles (topic, status);
CREATE INDEX faq_articles_by_source_complaint ON faq_articles (source_complaint_id);

-- Every saved version, append-only (edit history).
CREATE TABLE faq_revisions (
    id                  INTEGER PRIMARY KEY,
    article_id          BIGINT NOT NULL REFERENCES faq_articles(id),
    revision            BIGINT NOT NULL,
    title               TEXT NOT NULL,
    topic               TEXT NOT NULL,
    complaint_category  TEXT,
    tags                TEXT NOT NULL,
    summary             TEXT NOT NULL,
    body_md             TEXT NOT NULL,
    status              TEXT NOT NULL,
    note                TEXT NOT NULL DEFAULT '',
    edited_by           BIGINT REFERENCES users(id),
    edited_at           BIGINT NOT NULL,
    UNIQUE (article_id, revision)
);

-- "这篇文章有帮助吗?": one answer per visit and article; answering again changes it.
CREATE TABLE faq_feedback (
    id          INTEGER PRIMARY KEY,
    article_id  BIGINT NOT NULL REFERENCES faq_articles(id),
    visit_key   TEXT NOT NULL,
    helpful     BIGINT NOT NULL,
    comment     TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (article_id, visit_key)
);

CREATE INDEX faq_feedback_by_article ON faq_feedback (article_id, updated_at);

-- An owner's visit opened an article the complaint form suggested. Pending (outcome NULL)
-- until the visit files a complaint within the window ('filed') or the window passes
-- ('deflected', then counted on the article). See store/faq/counters.rs.
CREATE TABLE faq_suggested_opens (
    id          INTEGER PRIMARY KEY,
    article_id  BIGINT NOT NULL REFERENCES faq_articles(id),
    visit_key   TEXT NOT NULL,
    opened_at   BIGINT NOT NULL,
    outcome     TEXT,
    settled_at  BIGINT,
    UNIQUE (visit_key, article_id)
);

CREATE INDEX faq_suggested_opens_pending ON faq_suggested_opens (outcome, opened_at);
CREATE INDEX faq_suggested_opens_by_article ON faq_suggested_opens (article_id, outcome);
