-- The similar-complaint index: each indexed complaint's characters and character bigrams
-- (rules.md "Group and repeat complaints"), found by community, category and gram. A new
-- complaint is compared only with complaints sharing enough of its grams. Indexed are the
-- complaints in no group, each group's first complaint and its most recent few; a group's
-- older members leave the index as newer ones join, so a burst of a thousand owners keeps a
-- handful of rows per gram. Rows older than the comparison window are pruned.
CREATE TABLE complaint_grams (
    complaint_id BIGINT NOT NULL REFERENCES complaints(id),
    gram         TEXT NOT NULL,
    community_id BIGINT NOT NULL,
    category     TEXT NOT NULL,
    filed_at     BIGINT NOT NULL,
    -- The complaint's group, once it has one (its indexed members are found by it).
    group_id     BIGINT,
    PRIMARY KEY (complaint_id, gram)
);
CREATE INDEX complaint_grams_lookup ON complaint_grams (community_id, category, gram, filed_at);
CREATE INDEX complaint_grams_by_group ON complaint_grams (group_id);
