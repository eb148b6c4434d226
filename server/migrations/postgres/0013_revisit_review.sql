-- The customer-service supervisor's review of a revisit record (客户回访报告表), with any
-- guidance for the agent who made it; the share reviewed is the 回访审查率.
ALTER TABLE revisits ADD COLUMN reviewed_by BIGINT REFERENCES users(id);
ALTER TABLE revisits ADD COLUMN reviewed_at BIGINT;
ALTER TABLE revisits ADD COLUMN review_note TEXT;
