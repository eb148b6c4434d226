-- Satisfaction in the reports covers every revisit question: besides process, result and
-- the overall score, timeliness (处理及时性) and attitude (服务态度), which revisits have
-- always collected. The SQLite twin is ../sqlite/0014_satisfaction_dimensions.sql.

-- Same columns, two more kinds of rows: the dependent view report_fact_source stays.
CREATE OR REPLACE VIEW report_revisit_facts AS
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

DROP TRIGGER report_facts_revisit_leaving ON revisits;
DROP TRIGGER report_facts_revisit_changed ON revisits;
CREATE TRIGGER report_facts_revisit_leaving
    BEFORE UPDATE OF answered_at, process, timeliness, attitude, result, overall, complaint_id
    ON revisits FOR EACH ROW
    WHEN (OLD.answered_at IS DISTINCT FROM NEW.answered_at OR
          OLD.process IS DISTINCT FROM NEW.process OR
          OLD.timeliness IS DISTINCT FROM NEW.timeliness OR
          OLD.attitude IS DISTINCT FROM NEW.attitude OR
          OLD.result IS DISTINCT FROM NEW.result OR
          OLD.overall IS DISTINCT FROM NEW.overall OR
          OLD.complaint_id IS DISTINCT FROM NEW.complaint_id)
    EXECUTE FUNCTION report_facts_revisit_trigger();
CREATE TRIGGER report_facts_revisit_changed
    AFTER UPDATE OF answered_at, process, timeliness, attitude, result, overall, complaint_id
    ON revisits FOR EACH ROW
    WHEN (OLD.answered_at IS DISTINCT FROM NEW.answered_at OR
          OLD.process IS DISTINCT FROM NEW.process OR
          OLD.timeliness IS DISTINCT FROM NEW.timeliness OR
          OLD.attitude IS DISTINCT FROM NEW.attitude OR
          OLD.result IS DISTINCT FROM NEW.result OR
          OLD.overall IS DISTINCT FROM NEW.overall OR
          OLD.complaint_id IS DISTINCT FROM NEW.complaint_id)
    EXECUTE FUNCTION report_facts_revisit_trigger();

-- The answers given before this migration.
INSERT INTO report_facts (dim, community_id, month, department_id, category, value, n)
SELECT dim, community_id, month, department_id, category, value, COUNT(*)
FROM report_revisit_facts WHERE dim IN ('timeliness', 'attitude')
GROUP BY dim, community_id, month, department_id, category, value
ON CONFLICT (dim, community_id, month, department_id, category, value)
DO UPDATE SET n = report_facts.n + excluded.n;
INSERT INTO report_totals (dim, month, department_id, category, value, n)
SELECT dim, month, department_id, category, value, COUNT(*)
FROM report_revisit_facts WHERE dim IN ('timeliness', 'attitude')
GROUP BY dim, month, department_id, category, value
ON CONFLICT (dim, month, department_id, category, value)
DO UPDATE SET n = report_totals.n + excluded.n;
