-- Satisfaction in the reports covers every revisit question: besides process, result and
-- the overall score, timeliness (处理及时性) and attitude (服务态度), which revisits have
-- always collected. The PostgreSQL twin is ../postgres/0014_satisfaction_dimensions.sql.

DROP TRIGGER report_facts_revisit_leaving;
DROP TRIGGER report_facts_revisit_changed;
DROP VIEW report_fact_source;
DROP VIEW report_revisit_facts;

CREATE VIEW report_revisit_facts AS
SELECT r.id AS revisit_id, c.id AS complaint_id, c.filed_month AS month, c.community_id,
       COALESCE(c.department_id, 0) AS department_id, c.category,
       'revisit' AS dim, CASE WHEN r.answered_at IS NULL THEN 'pending' ELSE 'answered' END AS value
FROM revisits r JOIN complaints c ON c.id = r.complaint_id
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'process', r.process
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.process IS NOT NULL
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'timeliness', r.timeliness
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.timeliness IS NOT NULL
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'attitude', r.attitude
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.attitude IS NOT NULL
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'result', r.result
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.result IS NOT NULL
UNION ALL SELECT r.id, c.id, c.filed_month, c.community_id, COALESCE(c.department_id, 0), c.category,
       'overall', CAST(r.overall AS TEXT)
FROM revisits r JOIN complaints c ON c.id = r.complaint_id WHERE r.answered_at IS NOT NULL AND r.overall IS NOT NULL;

CREATE VIEW report_fact_source AS
SELECT complaint_id, month, community_id, department_id, category, dim, value FROM report_complaint_facts
UNION ALL
SELECT complaint_id, month, community_id, department_id, category, dim, value FROM report_revisit_facts;

CREATE TRIGGER report_facts_revisit_leaving
BEFORE UPDATE OF answered_at, process, timeliness, attitude, result, overall, complaint_id ON revisits
WHEN OLD.answered_at IS NOT NEW.answered_at OR OLD.process IS NOT NEW.process OR
    OLD.timeliness IS NOT NEW.timeliness OR OLD.attitude IS NOT NEW.attitude OR
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

CREATE TRIGGER report_facts_revisit_changed
AFTER UPDATE OF answered_at, process, timeliness, attitude, result, overall, complaint_id ON revisits
WHEN OLD.answered_at IS NOT NEW.answered_at OR OLD.process IS NOT NEW.process OR
    OLD.timeliness IS NOT NEW.timeliness OR OLD.attitude IS NOT NEW.attitude OR
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

-- The answers given before this migration.
INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
SELECT dim, community_id, month, department_id, category, value, COUNT(*)
FROM report_revisit_facts WHERE dim IN ('timeliness', 'attitude')
GROUP BY dim, community_id, month, department_id, category, value;
INSERT INTO report_totals (dim, month, department_id, category, value, n)
SELECT dim, month, department_id, category, value, COUNT(*)
FROM report_revisit_facts WHERE dim IN ('timeliness', 'attitude')
GROUP BY dim, month, department_id, category, value;
