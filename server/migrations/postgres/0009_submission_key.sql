-- The key a complaint form is rendered with: the same form sent twice files one complaint.
ALTER TABLE complaints ADD COLUMN submission_key TEXT;
CREATE UNIQUE INDEX complaints_by_submission_key ON complaints (submission_key);
