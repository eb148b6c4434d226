-- Stage clocks of serious complaints (rules.md "Chain of responsibility"): when the
-- complaint was first judged valid and a plan first proposed to the owner; since when the
-- handling report to the general manager is owed (the resolution), when it was submitted and
-- by whom; and whether a stage's breach was escalated (once each).
ALTER TABLE complaints ADD COLUMN accepted_at BIGINT;
ALTER TABLE complaints ADD COLUMN plan_at BIGINT;
ALTER TABLE complaints ADD COLUMN report_owed_since BIGINT;
ALTER TABLE complaints ADD COLUMN report_submitted_at BIGINT;
ALTER TABLE complaints ADD COLUMN report_submitted_by BIGINT REFERENCES users(id);
ALTER TABLE complaints ADD COLUMN plan_stage_escalated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN report_stage_escalated BIGINT NOT NULL DEFAULT 0;

-- Complaints handled before: acceptance and plan from their timelines, so their pages show
-- the plan stage; no report is owed for a resolution made before the report was asked for
-- (report_owed_since stays empty). Their breaches are not announced now: the upgrade does
-- not flood the managers' notices (the pages still show them).
UPDATE complaints SET accepted_at = (
    SELECT MIN(e.at) FROM complaint_events e
    WHERE e.complaint_id = complaints.id AND e.after_value = 'accepted');
UPDATE complaints SET plan_at = (
    SELECT MIN(e.at) FROM complaint_events e
    WHERE e.complaint_id = complaints.id AND e.after_value = 'solution_proposed');
UPDATE complaints SET plan_stage_escalated = 1 WHERE accepted_at IS NOT NULL;
