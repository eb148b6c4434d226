-- The service hotline of each community (服务热线): shown first on the complaint form when
-- the text says there is danger now, in the footer and in FAQ articles. Empty: none set.
ALTER TABLE communities ADD COLUMN hotline TEXT NOT NULL DEFAULT '';
