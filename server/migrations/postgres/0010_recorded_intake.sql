-- Complaints an agent records from a call, a visit, a letter, a government transfer, WeChat
-- or email: `filed_at` is when it was received (the clocks start then), `recorded_at` when
-- it was typed in, `agent_id` who recorded it; a government transfer keeps its reference
-- and the time the government expects an answer by.
ALTER TABLE complaints ADD COLUMN recorded_at BIGINT;
ALTER TABLE complaints ADD COLUMN external_ref TEXT;
ALTER TABLE complaints ADD COLUMN external_due_at BIGINT;
CREATE INDEX complaints_by_channel ON complaints (channel, filed_at);
