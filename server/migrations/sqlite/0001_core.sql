-- Core schema: places, departments, people, complaints and their append-only history.
-- Times are UTC epoch milliseconds (BIGINT) so SQLite and PostgreSQL store the same values;
-- booleans are 0/1. The PostgreSQL twin of this file is ../postgres/0001_core.sql.

CREATE TABLE communities (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    city        TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE buildings (
    id            INTEGER PRIMARY KEY,
    community_id  BIGINT NOT NULL REFERENCES communities(id),
    name          TEXT NOT NULL,
    UNIQUE (community_id, name)
);

CREATE TABLE units (
    id           INTEGER PRIMARY KEY,
    building_id  BIGINT NOT NULL REFERENCES buildings(id),
    name         TEXT NOT NULL,
    UNIQUE (building_id, name)
);

CREATE TABLE departments (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name_zh  TEXT NOT NULL,
    name_en  TEXT NOT NULL,
    active   BIGINT NOT NULL DEFAULT 1
);

INSERT INTO departments (code, name_zh, name_en) VALUES
    ('service', '客服中心', 'Customer service'),
    ('engineering', '工程部', 'Engineering'),
    ('repair', '维修部', 'Repairs'),
    ('property', '物业部', 'Property management'),
    ('sales', '销售部', 'Sales'),
    ('leasing', '招商部', 'Leasing');

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    role                 TEXT NOT NULL,
    department_id        BIGINT REFERENCES departments(id),
    phone                TEXT,
    active               BIGINT NOT NULL DEFAULT 1,
    created_at           BIGINT NOT NULL,
    password_changed_at  BIGINT NOT NULL
);

CREATE TABLE complaints (
    id                       INTEGER PRIMARY KEY,
    tracking_code            TEXT NOT NULL UNIQUE,
    channel                  TEXT NOT NULL,
    community_id             BIGINT NOT NULL REFERENCES communities(id),
    building_id              BIGINT REFERENCES buildings(id),
    unit                     TEXT NOT NULL DEFAULT '',
    complainant_name         TEXT NOT NULL,
    phone                    TEXT NOT NULL,
    owner_user_id            BIGINT REFERENCES users(id),
    category                 TEXT NOT NULL,
    description              TEXT NOT NULL,
    people_count             BIGINT NOT NULL DEFAULT 1,
    claimed_amount_fen       BIGINT NOT NULL DEFAULT 0,
    flags                    TEXT NOT NULL DEFAULT '',
    impact                   TEXT NOT NULL DEFAULT 'none',
    emergency                BIGINT NOT NULL DEFAULT 0,
    status                   TEXT NOT NULL,
    level                    BIGINT NOT NULL,
    level_reasons            TEXT NOT NULL DEFAULT '[]',
    level_manual             BIGINT NOT NULL DEFAULT 0,
    department_id            BIGINT REFERENCES departments(id),
    handler_id               BIGINT REFERENCES users(id),
    agent_id                 BIGINT REFERENCES users(id),
    group_id                 BIGINT REFERENCES complaints(id),
    repeat_of                BIGINT REFERENCES complaints(id),
    same_issue_complainants  BIGINT NOT NULL DEFAULT 1,
    compensation_fen         BIGINT NOT NULL DEFAULT 0,
    solution                 TEXT,
    root_cause               TEXT,
    corrective_action        TEXT,
    revisit_round            BIGINT NOT NULL DEFAULT 0,
    -- The earliest moments the SLA state changes (warn / breach), computed by the domain
    -- from the timestamps below on every change; the state itself is never stored.
    sla_warn_at              BIGINT,
    sla_due_at               BIGINT,
    -- Which due time the assignee was warned about / the supervisor was told had passed,
    -- so the ticker tells each only once.
    sla_warned_for           BIGINT,
    sla_escalated_for        BIGINT,
    filed_at                 BIGINT NOT NULL,
    filed_month              TEXT NOT NULL,
    first_contact_at         BIGINT,
    first_reply_at           BIGINT,
    last_progress_at         BIGINT,
    resolved_at              BIGINT,
    closed_at                BIGINT,
    updated_at               BIGINT NOT NULL
);

-- The queue filters and sorts by these; each index leads with the filter column.
CREATE INDEX complaints_by_filed ON complaints (filed_at);
CREATE INDEX complaints_by_status ON complaints (status, filed_at);
CREATE INDEX complaints_by_level ON complaints (level, filed_at);
CREATE INDEX complaints_by_category ON complaints (category, filed_at);
CREATE INDEX complaints_by_community ON complaints (community_id, filed_at);
CREATE INDEX complaints_by_department ON complaints (department_id, filed_at);
CREATE INDEX complaints_by_handler ON complaints (handler_id, filed_at);
CREATE INDEX complaints_by_phone ON complaints (phone, filed_at);
CREATE INDEX complaints_by_owner ON complaints (owner_user_id, filed_at);
CREATE INDEX complaints_by_month ON complaints (filed_month, category);
CREATE INDEX complaints_by_sla_due ON complaints (sla_due_at);
CREATE INDEX complaints_by_sla_warn ON complaints (sla_warn_at);
CREATE INDEX complaints_by_group ON complaints (group_id);

-- Everything that happens to a complaint, append-only: the owner's timeline is the
-- public part, supervisors see all of it.
CREATE TABLE complaint_events (
    id            INTEGER PRIMARY KEY,
    complaint_id  BIGINT NOT NULL REFERENCES complaints(id),
    at            BIGINT NOT NULL,
    actor_id      BIGINT REFERENCES users(id),
    actor_role    TEXT,
    kind          TEXT NOT NULL,
    public        BIGINT NOT NULL,
    body          TEXT,
    before_value  TEXT,
    after_value   TEXT,
    data          TEXT
);

CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, id);

-- Actions that are not about one complaint (logins, user and policy changes), append-only.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            BIGINT NOT NULL,
    actor_id      BIGINT REFERENCES users(id),
    action        TEXT NOT NULL,
    target        TEXT,
    before_value  TEXT,
    after_value   TEXT
);

CREATE INDEX audit_log_by_at ON audit_log (at);

-- In-app notifications (the badge in the header): SLA warnings, escalations, approvals.
CREATE TABLE notifications (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    complaint_id  BIGINT REFERENCES complaints(id),
    kind          TEXT NOT NULL,
    message_zh    TEXT NOT NULL,
    message_en    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    read_at       BIGINT
);

CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);

-- Replies staff can start from, with placeholders such as {称呼} and {查询码}.
CREATE TABLE canned_replies (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    active      BIGINT NOT NULL DEFAULT 1,
    updated_at  BIGINT NOT NULL,
    updated_by  BIGINT REFERENCES users(id)
);

-- Administrator-edited settings, e.g. the SLA and grading policy as JSON.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    updated_by  BIGINT REFERENCES users(id)
);

-- Solutions that need a supervisor's decision (compensation or beyond authority).
CREATE TABLE approvals (
    id                INTEGER PRIMARY KEY,
    complaint_id      BIGINT NOT NULL REFERENCES complaints(id),
    plan              TEXT NOT NULL,
    compensation_fen  BIGINT NOT NULL DEFAULT 0,
    requested_by      BIGINT NOT NULL REFERENCES users(id),
    requested_at      BIGINT NOT NULL,
    decided_by        BIGINT REFERENCES users(id),
    decided_at        BIGINT,
    decision          TEXT,
    reason            TEXT
);

CREATE INDEX approvals_by_complaint ON approvals (complaint_id, id);
CREATE INDEX approvals_pending ON approvals (decided_at, requested_at);

-- Satisfaction revisits: one row per complaint per round, answered online (survey link)
-- or logged by staff after a phone call or visit.
CREATE TABLE revisits (
    id                INTEGER PRIMARY KEY,
    complaint_id      BIGINT NOT NULL REFERENCES complaints(id),
    round             BIGINT NOT NULL,
    token_hash        TEXT UNIQUE,
    token_expires_at  BIGINT,
    created_at        BIGINT NOT NULL,
    answered_at       BIGINT,
    method            TEXT,
    answered_by       BIGINT REFERENCES users(id),
    process           TEXT,
    timeliness        TEXT,
    attitude          TEXT,
    result            TEXT,
    overall           BIGINT,
    comment           TEXT,
    UNIQUE (complaint_id, round)
);

CREATE INDEX revisits_by_answered ON revisits (answered_at, created_at);

-- Messages for channels outside the app (SMS, WeChat), e.g. a survey link; a gateway (or
-- a front-desk agent) sends them and marks them sent.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    complaint_id  BIGINT REFERENCES complaints(id),
    channel       TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    sent_at       BIGINT
);

CREATE INDEX outbox_unsent ON outbox (sent_at, id);
CREATE INDEX complaints_by_resolved ON complaints (status, resolved_at);
