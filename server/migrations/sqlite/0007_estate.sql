-- The estate a property company manages, entered by administrators or imported from its
-- spreadsheet (小区, 楼栋, 单元, 房号, 业主姓名, 手机号). Nothing a complaint may point at
-- is deleted: it is retired (1) and no longer offered on the complaint form.
-- The twin of this file is ../postgres/0007_estate.sql.
ALTER TABLE communities ADD COLUMN retired BIGINT NOT NULL DEFAULT 0;
ALTER TABLE buildings ADD COLUMN retired BIGINT NOT NULL DEFAULT 0;

-- One unit (户) of a building: its entrance (单元, '' when the building has none), its
-- number (房号) and its owner as the company records them ('' when not known). The old
-- `units` table held entrances only, for the demo, and stays as it was.
CREATE TABLE households (
    id           INTEGER PRIMARY KEY,
    building_id  BIGINT NOT NULL REFERENCES buildings(id),
    entrance     TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL,
    owner_name   TEXT NOT NULL DEFAULT '',
    owner_phone  TEXT NOT NULL DEFAULT '',
    retired      BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (building_id, entrance, unit)
);

-- Agents find the household by the caller's phone.
CREATE INDEX households_by_phone ON households (owner_phone);

-- Every import from the browser, kept so that the page can show its outcome after the
-- post (with or without JavaScript): what was done (JSON of the summary) or every bad row
-- (JSON list of {row, column, zh, en}); nothing of the file itself.
CREATE TABLE estate_imports (
    id         INTEGER PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_id   BIGINT REFERENCES users(id),
    file_name  TEXT NOT NULL DEFAULT '',
    ok         BIGINT NOT NULL,
    summary    TEXT,
    errors     TEXT
);
