-- Working time (app/domain/docs/working-time.md).
--
-- Time spent waiting for the owner (information, access to the unit, a confirmation)
-- stops the progress-update and resolution clocks. Each wait is one interval in this JSON
-- list, `[{"from": ms, "to": ms | null, "awaiting": "information" | "access" |
-- "confirmation", "note": "…"}]`, read with the complaint (a complaint has a handful at
-- most); who started and ended each is on the timeline. `to` is null while it lasts.
ALTER TABLE complaints ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';
-- While the complaint waits for the owner: since when (epoch ms), for the queue's badge
-- and filter. NULL when nothing is awaited.
ALTER TABLE complaints ADD COLUMN paused_since BIGINT;

-- Grading (app/domain/docs/grading.md). What the owner or agent stated at intake (JSON of
-- the domain's `StatedFacts`: impact, amount, people, flags, each only when given): text
-- cues fill only what was left out. NULL for complaints filed before: their stored facts
-- other than the defaults count as stated.
ALTER TABLE complaints ADD COLUMN stated_facts TEXT;
-- The facts the current level was set on (JSON of `IntakeFacts`), at filing, at a manual
-- override and at each automatic raise: automatic re-grading raises only on facts new
-- since then, so a level set by hand stays. NULL for complaints filed before.
ALTER TABLE complaints ADD COLUMN level_basis TEXT;

-- Days unresolved "for reasons on our side" leave out the time spent waiting for the owner:
-- the moment they count from is filing moved on by every finished wait (the SLA job's
-- 15/30-day raises read it). And the largest of those thresholds the job has already
-- weighed for a complaint, so a level kept by hand is not re-read on every tick.
ALTER TABLE complaints ADD COLUMN unresolved_since BIGINT;
UPDATE complaints SET unresolved_since = filed_at;
ALTER TABLE complaints ADD COLUMN time_checked_days BIGINT NOT NULL DEFAULT 0;
CREATE INDEX complaints_by_unresolved ON complaints (unresolved_since);
