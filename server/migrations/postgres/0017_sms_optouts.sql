-- Phones whose owner replied with the unsubscribe keyword: no SMS to them on any
-- complaint, later ones included, until the owner turns SMS on again on a tracking page.
CREATE TABLE sms_optouts (
    phone      TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);
