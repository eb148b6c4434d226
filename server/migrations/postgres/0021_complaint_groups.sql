-- One row per group of complaints about the same issue (群诉), named after its first
-- complaint. The group keeps its distinct complainants and the level its size has already
-- forced on its members, so linking one more complaint writes these rows and the new
-- complaint only — never every member — and members are raised once per threshold crossed.
CREATE TABLE complaint_groups (
    id            BIGINT PRIMARY KEY REFERENCES complaints(id),
    complainants  BIGINT NOT NULL,
    -- The level the group's size has forced on its open members: 0 none yet, else 2 or 1.
    level_applied BIGINT NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL
);

-- Who has complained in a group (the normalised phone, as on the complaint).
CREATE TABLE complaint_group_complainants (
    group_id BIGINT NOT NULL REFERENCES complaint_groups(id),
    phone    TEXT NOT NULL,
    PRIMARY KEY (group_id, phone)
);

-- A group's first complaint belongs to it too.
UPDATE complaints SET group_id = id
WHERE group_id IS NULL AND id IN (SELECT m.group_id FROM complaints m WHERE m.group_id IS NOT NULL);

-- Groups formed before: their recorded count and the level that count forced by default.
INSERT INTO complaint_groups (id, complainants, level_applied, updated_at)
SELECT group_id,
       MAX(same_issue_complainants),
       CASE WHEN MAX(same_issue_complainants) >= 10 THEN 1
            WHEN MAX(same_issue_complainants) >= 3 THEN 2 ELSE 0 END,
       MAX(updated_at)
FROM complaints WHERE group_id IS NOT NULL GROUP BY group_id;

INSERT INTO complaint_group_complainants (group_id, phone)
SELECT DISTINCT group_id, phone FROM complaints WHERE group_id IS NOT NULL;
