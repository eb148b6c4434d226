-- Owner accounts an agent confirmed as a household's (the account's phone is not the one
-- the estate records for the unit: a new number, a family member). Units whose recorded
-- phone is the account's need no row: the phone is the proof.
CREATE TABLE household_accounts (
    household_id  BIGINT NOT NULL REFERENCES households(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    confirmed_by  BIGINT REFERENCES users(id),
    confirmed_at  BIGINT NOT NULL,
    PRIMARY KEY (household_id, user_id)
);
CREATE INDEX household_accounts_by_user ON household_accounts (user_id);
