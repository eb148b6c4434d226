-- Reports (issue 8): what each SLA clock came to, and a rollup the dashboard sums instead
-- of scanning a million complaints. The PostgreSQL twin is ../postgres/0004_reports.sql.

-- Per clock, as the domain's `sla::evaluate` decided when the complaint last changed
-- (store/complaints/deadlines.rs): met on time (1) or late (0) once the clock stopped;
-- the due time while it runs. NULL otherwise.
ALTER TABLE complaints ADD COLUMN first_contact_on_time BIGINT;
ALTER TABLE complaints ADD COLUMN first_reply_on_time BIGINT;
ALTER TABLE complaints ADD COLUMN resolution_on_time BIGINT;
ALTER TABLE complaints ADD COLUMN first_contact_due BIGINT;
ALTER TABLE complaints ADD COLUMN first_reply_due BIGINT;
ALTER TABLE complaints ADD COLUMN progress_update_due BIGINT;
ALTER TABLE complaints ADD COLUMN resolution_due BIGINT;

-- The periodic summary lists the actions recorded at closing in a month.
CREATE INDEX complaints_by_closed ON complaints (category, closed_at);
-- "Open now" and "overdue now": only the open complaints, with every column those counts
-- read (store/reports/dashboard.rs names the same statuses, in the same order).
CREATE INDEX complaints_open_clocks ON complaints
    (status, filed_month, community_id, department_id, category,
     first_contact_due, first_reply_due, progress_update_due, resolution_due)
    WHERE status IN ('filed', 'accepted', 'assigned', 'investigating', 'solution_proposed',
                     'awaiting_approval', 'approved', 'reopened');

-- How many complaints (or revisit rounds) of one community, month, department (0: none
-- yet) and category have `value` on dimension `dim`. Maintained by the triggers below.
-- A query filtered by community reads one community's rows (the key leads with it).
CREATE TABLE report_facts (
    dim            TEXT NOT NULL,
    community_id   BIGINT NOT NULL,
    month          TEXT NOT NULL,
    department_id  BIGINT NOT NULL,
    category       TEXT NOT NULL,
    value          TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (dim, community_id, month, department_id, category, value)
) WITHOUT ROWID;

-- The same summed over communities (buildings left out), for every query not filtered by
-- community: a few rows per month, department and category, however many complaints.
CREATE TABLE report_totals (
    dim            TEXT NOT NULL,
    month          TEXT NOT NULL,
    department_id  BIGINT NOT NULL,
    category       TEXT NOT NULL,
    value          TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (dim, month, department_id, category, value)
) WITHOUT ROWID;

-- The facts one complaint contributes, written once here: the triggers and the backfill
-- both read them. Durations are bucketed by their upper bound in minutes (-1: longer).
CREATE VIEW report_complaint_facts AS
SELECT id AS complaint_id, filed_month AS month, community_id, COALESCE(department_id, 0) AS department_id, category,
       'all' AS dim, '' AS value FROM complaints
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'level', CAST(level AS TEXT) FROM complaints
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'status', status FROM complaints
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'building', CAST(COALESCE(building_id, 0) AS TEXT) FROM complaints
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'handler', CAST(handler_id AS TEXT) FROM complaints WHERE handler_id IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'handler_timed', CAST(handler_id AS TEXT) FROM complaints
       WHERE handler_id IS NOT NULL AND resolution_on_time IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'handler_on_time', CAST(handler_id AS TEXT) FROM complaints
       WHERE handler_id IS NOT NULL AND resolution_on_time = 1
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'first_contact', CAST(first_contact_on_time AS TEXT) FROM complaints WHERE first_contact_on_time IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'first_reply', CAST(first_reply_on_time AS TEXT) FROM complaints WHERE first_reply_on_time IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'resolution', CAST(resolution_on_time AS TEXT) FROM complaints WHERE resolution_on_time IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'first_contact_minutes', CAST(CASE
           WHEN (first_contact_at - filed_at) / 60000 <= 15 THEN 15
           WHEN (first_contact_at - filed_at) / 60000 <= 30 THEN 30
           WHEN (first_contact_at - filed_at) / 60000 <= 60 THEN 60
           WHEN (first_contact_at - filed_at) / 60000 <= 120 THEN 120
           WHEN (first_contact_at - filed_at) / 60000 <= 240 THEN 240
           WHEN (first_contact_at - filed_at) / 60000 <= 480 THEN 480
           WHEN (first_contact_at - filed_at) / 60000 <= 1440 THEN 1440
           WHEN (first_contact_at - filed_at) / 60000 <= 2880 THEN 2880
           WHEN (first_contact_at - filed_at) / 60000 <= 4320 THEN 4320
           WHEN (first_contact_at - filed_at) / 60000 <= 10080 THEN 10080
           ELSE -1 END AS TEXT)
       FROM complaints WHERE first_contact_at IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'resolution_minutes', CAST(CASE
           WHEN (resolved_at - filed_at) / 60000 <= 240 THEN 240
           WHEN (resolved_at - filed_at) / 60000 <= 480 THEN 480
           WHEN (resolved_at - filed_at) / 60000 <= 1440 THEN 1440
           WHEN (resolved_at - filed_at) / 60000 <= 2880 THEN 2880
           WHEN (resolved_at - filed_at) / 60000 <= 4320 THEN 4320
           WHEN (resolved_at - filed_at) / 60000 <= 7200 THEN 7200
           WHEN (resolved_at - filed_at) / 60000 <= 10080 THEN 10080
           WHEN (resolved_at - filed_at) / 60000 <= 20160 THEN 20160
           WHEN (resolved_at - filed_at) / 60000 <= 43200 THEN 43200
           WHEN (resolved_at - filed_at) / 60000 <= 86400 THEN 86400
           ELSE -1 END AS TEXT)
       FROM complaints WHERE resolved_at IS NOT NULL AND status IN ('resolved', 'revisited', 'closed')
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'flag', 'repeat' FROM complaints WHERE repeat_of IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'flag', 'group' FROM complaints WHERE group_id IS NOT NULL
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'flag', 'emergency' FROM complaints WHERE emergency = 1
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'flag', 'resolved' FROM complaints WHERE revisit_round >= 1
UNION ALL SELECT id, filed_month, community_id, COALESCE(department_id, 0), category,
       'flag', 'reopened' FROM complaints WHERE revisit_round >= 2 OR status = 'reopened';

-- The facts one revisit round contributes, counted under its complaint's month and keys.
CREATE VIEW report_revisit_facts AS
SELECT r.id AS revisit_id, c.id AS complaint_id, c.filed_month AS month, c.community_id,
       COALESCE(c.department_id, 0) AS department_id, c.category,
       'revisit' AS dim, CASE WHEN r.answered_at IS NULL THEN 'pending' ELSE 'answered' END AS value
FROM revisits r JOIN complaints c ON c.id = r.complaint_id
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'process', r.process
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.process IS NOT NULL
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'result', r.result
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.result IS NOT NULL
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'overall', CAST(r.overall AS TEXT)
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.overall IS NOT NULL;

-- Everything one complaint contributes, its revisits included.
CREATE VIEW report_fact_source AS
SELECT complaint_id, month, community_id, department_id, category, dim, value FROM report_complaint_facts
UNION ALL
SELECT complaint_id, month, community_id, department_id, category, dim, value FROM report_revisit_facts;

-- A complaint's facts leave the rollup before a change and come back after it — only
-- when something the facts read did change (the column lists and conditions name it all).
CREATE TRIGGER report_facts_complaint_added AFTER INSERT ON complaints BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, COUNT(*)
    FROM report_fact_source WHERE complaint_id = NEW.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, COUNT(*)
    FROM report_fact_source WHERE complaint_id = NEW.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_complaint_leaving BEFORE UPDATE OF
    filed_month, community_id, department_id, category, level, status, building_id, handler_id,
    first_contact_on_time, first_reply_on_time, resolution_on_time, first_contact_at, resolved_at,
    filed_at, repeat_of, group_id, emergency, revisit_round
ON complaints
WHEN OLD.filed_month IS NOT NEW.filed_month OR OLD.community_id IS NOT NEW.community_id OR
    OLD.department_id IS NOT NEW.department_id OR OLD.category IS NOT NEW.category OR
    OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status OR
    OLD.building_id IS NOT NEW.building_id OR OLD.handler_id IS NOT NEW.handler_id OR
    OLD.first_contact_on_time IS NOT NEW.first_contact_on_time OR
    OLD.first_reply_on_time IS NOT NEW.first_reply_on_time OR
    OLD.resolution_on_time IS NOT NEW.resolution_on_time OR
    OLD.first_contact_at IS NOT NEW.first_contact_at OR
    OLD.resolved_at IS NOT NEW.resolved_at OR OLD.filed_at IS NOT NEW.filed_at OR
    OLD.repeat_of IS NOT NEW.repeat_of OR OLD.group_id IS NOT NEW.group_id OR
    OLD.emergency IS NOT NEW.emergency OR OLD.revisit_round IS NOT NEW.revisit_round
BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, -COUNT(*)
    FROM report_fact_source WHERE complaint_id = OLD.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, -COUNT(*)
    FROM report_fact_source WHERE complaint_id = OLD.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_complaint_changed AFTER UPDATE OF
    filed_month, community_id, department_id, category, level, status, building_id, handler_id,
    first_contact_on_time, first_reply_on_time, resolution_on_time, first_contact_at, resolved_at,
    filed_at, repeat_of, group_id, emergency, revisit_round
ON complaints
WHEN OLD.filed_month IS NOT NEW.filed_month OR OLD.community_id IS NOT NEW.community_id OR
    OLD.department_id IS NOT NEW.department_id OR OLD.category IS NOT NEW.category OR
    OLD.level IS NOT NEW.level OR OLD.status IS NOT NEW.status OR
    OLD.building_id IS NOT NEW.building_id OR OLD.handler_id IS NOT NEW.handler_id OR
    OLD.first_contact_on_time IS NOT NEW.first_contact_on_time OR
    OLD.first_reply_on_time IS NOT NEW.first_reply_on_time OR
    OLD.resolution_on_time IS NOT NEW.resolution_on_time OR
    OLD.first_contact_at IS NOT NEW.first_contact_at OR
    OLD.resolved_at IS NOT NEW.resolved_at OR OLD.filed_at IS NOT NEW.filed_at OR
    OLD.repeat_of IS NOT NEW.repeat_of OR OLD.group_id IS NOT NEW.group_id OR
    OLD.emergency IS NOT NEW.emergency OR OLD.revisit_round IS NOT NEW.revisit_round
BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, COUNT(*)
    FROM report_fact_source WHERE complaint_id = NEW.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, COUNT(*)
    FROM report_fact_source WHERE complaint_id = NEW.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_complaint_removed BEFORE DELETE ON complaints BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, -COUNT(*)
    FROM report_fact_source WHERE complaint_id = OLD.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, -COUNT(*)
    FROM report_fact_source WHERE complaint_id = OLD.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_revisit_added AFTER INSERT ON revisits BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = NEW.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = NEW.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_revisit_leaving BEFORE UPDATE OF answered_at, process, result, overall, complaint_id
ON revisits
WHEN OLD.answered_at IS NOT NEW.answered_at OR OLD.process IS NOT NEW.process OR
    OLD.result IS NOT NEW.result OR OLD.overall IS NOT NEW.overall OR
    OLD.complaint_id IS NOT NEW.complaint_id
BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, -COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = OLD.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, -COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = OLD.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_revisit_changed AFTER UPDATE OF answered_at, process, result, overall, complaint_id
ON revisits
WHEN OLD.answered_at IS NOT NEW.answered_at OR OLD.process IS NOT NEW.process OR
    OLD.result IS NOT NEW.result OR OLD.overall IS NOT NEW.overall OR
    OLD.complaint_id IS NOT NEW.complaint_id
BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = NEW.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = NEW.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_facts_revisit_removed BEFORE DELETE ON revisits BEGIN
    INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
    SELECT dim, community_id, month, department_id, category, value, -COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = OLD.id
    GROUP BY dim, community_id, month, department_id, category, value
    ON CONFLICT (dim, community_id, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
    INSERT INTO report_totals (dim, month, department_id, category, value, n)
    SELECT dim, month, department_id, category, value, -COUNT(*)
    FROM report_revisit_facts WHERE revisit_id = OLD.id AND dim <> 'building'
    GROUP BY dim, month, department_id, category, value
    ON CONFLICT (dim, month, department_id, category, value) DO UPDATE SET n = n + excluded.n;
END;

-- What was there before this migration.
INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
SELECT dim, community_id, month, department_id, category, value, COUNT(*)
FROM report_fact_source
GROUP BY dim, community_id, month, department_id, category, value;
INSERT INTO report_totals (dim, month, department_id, category, value, n)
SELECT dim, month, department_id, category, value, COUNT(*)
FROM report_fact_source WHERE dim <> 'building'
GROUP BY dim, month, department_id, category, value;

-- Complaints filed before this migration get their clocks recorded at the next start
-- (server::store::reports::backfill), which then removes this marker.
INSERT INTO settings (key, value, updated_at) VALUES ('reports_clock_backfill', 'pending', 0);
