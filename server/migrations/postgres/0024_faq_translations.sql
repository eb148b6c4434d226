-- An article in another language than its Chinese original (rules.md "Languages"): one row
-- per article and language ('en'), with its own title, keywords, summary and body. Shown to
-- visitors who read in that language and searched in its own index; an article without one
-- is shown in Chinese. Seed translations are loaded like seed articles (only when missing).
CREATE TABLE faq_translations (
    article_id  BIGINT NOT NULL REFERENCES faq_articles(id),
    lang        TEXT NOT NULL,
    title       TEXT NOT NULL,
    -- Comma-separated, like faq_articles.tags.
    tags        TEXT NOT NULL DEFAULT '',
    summary     TEXT NOT NULL DEFAULT '',
    body_md     TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (article_id, lang)
);
