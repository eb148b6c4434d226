-- Reads of each FAQ article per calendar month (the portal's zone, `YYYY-MM`), so the
-- supervisors' reports can say which articles were read in the months they look at.
-- `faq_articles.views` stays the all-time counter; reads before this table existed are
-- only there.
CREATE TABLE faq_monthly_reads (
    article_id  BIGINT NOT NULL REFERENCES faq_articles(id),
    month       TEXT NOT NULL,
    reads       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, month)
);

CREATE INDEX faq_monthly_reads_by_month ON faq_monthly_reads (month, article_id);

-- Deflections and feedback by time, for the same reports.
CREATE INDEX faq_suggested_opens_by_time ON faq_suggested_opens (opened_at, outcome);
CREATE INDEX faq_feedback_by_time ON faq_feedback (updated_at, article_id);
