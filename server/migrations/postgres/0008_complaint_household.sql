-- The unit of the estate a complaint is about, when what the owner typed as 单元/房号 is
-- one of its building's units; NULL when it is not (free text, flagged for the agent while
-- the building has units in the estate) or when the estate has none.
ALTER TABLE complaints ADD COLUMN household_id BIGINT REFERENCES households(id);
CREATE INDEX complaints_by_household ON complaints (household_id, filed_at);
