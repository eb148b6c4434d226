-- The guided form (rules.md "The guided form"): the topic the owner started from, in their
-- own words (a code such as `home_repair`; empty when none was chosen), and their answers to
-- the category's questions as a JSON object of question key to answer.
ALTER TABLE complaints ADD COLUMN topic TEXT;
ALTER TABLE complaints ADD COLUMN answers TEXT NOT NULL DEFAULT '{}';
