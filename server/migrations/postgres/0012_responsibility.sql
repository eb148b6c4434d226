-- The chain of responsibility: positions people hold, who proposed a plan and who must
-- approve it, who judged a complaint not valid and the owner's dispute of it, and the
-- responsibility recorded when a complaint is closed.

-- '' (none), 'cs_supervisor', 'department_manager', 'deputy_gm', 'general_manager'.
ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';

ALTER TABLE complaints ADD COLUMN solution_by BIGINT REFERENCES users(id);
ALTER TABLE complaints ADD COLUMN judged_by BIGINT REFERENCES users(id);
-- Set when the owner disputed the 不成立 judgement (once per complaint); the reasons are on
-- the timeline.
ALTER TABLE complaints ADD COLUMN disputed_at BIGINT;
ALTER TABLE complaints ADD COLUMN responsible_department_id BIGINT REFERENCES departments(id);
ALTER TABLE complaints ADD COLUMN responsible_person TEXT;
-- The 四不放过 checks met at closing, as a JSON list of codes.
ALTER TABLE complaints ADD COLUMN closing_checks TEXT NOT NULL DEFAULT '[]';
ALTER TABLE complaints ADD COLUMN training_case BIGINT NOT NULL DEFAULT 0;

-- The highest rung of the escalation ladder told about the current breach (with
-- sla_escalated_for: the due time it was about), and the one named commander of a level-1
-- complaint (统一指挥).
ALTER TABLE complaints ADD COLUMN escalation_rung BIGINT;
ALTER TABLE complaints ADD COLUMN commander_id BIGINT REFERENCES users(id);

-- The revisit clock of the current round (rules.md "Satisfaction revisit"): when it is
-- due, and which round was escalated as overdue / handed to the phone as an unanswered
-- survey (each once per round).
ALTER TABLE complaints ADD COLUMN revisit_due_at BIGINT;
ALTER TABLE complaints ADD COLUMN revisit_escalated_round BIGINT;
ALTER TABLE complaints ADD COLUMN revisit_phone_round BIGINT;

-- When the person told acknowledged a notice (its must-act part is then on record).
ALTER TABLE notifications ADD COLUMN acknowledged_at BIGINT;

-- Who must decide a request (an approval tier's approver code).
ALTER TABLE approvals ADD COLUMN approver TEXT NOT NULL DEFAULT 'supervisor';

-- A disputed complaint is open (its clocks run): the partial index of open complaints
-- names it too.
DROP INDEX complaints_open_clocks;
CREATE INDEX complaints_open_clocks ON complaints
    (status, filed_month, community_id, department_id, category,
     first_contact_due, first_reply_due, progress_update_due, resolution_due)
    WHERE status IN ('filed', 'disputed', 'accepted', 'assigned', 'investigating', 'solution_proposed',
                     'awaiting_approval', 'approved', 'reopened');
