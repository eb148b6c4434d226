-- A canned reply's text for owners who read English (rules.md "Languages"); empty when the
-- company wrote none, and the Chinese text is offered.
ALTER TABLE canned_replies ADD COLUMN body_en TEXT NOT NULL DEFAULT '';
