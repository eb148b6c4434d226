-- A system-written timeline text in English beside its Chinese `body` (staff-written texts
-- are kept as written, in one language).
ALTER TABLE complaint_events ADD COLUMN body_en TEXT;
