-- Photos and videos attached to a complaint. The bytes live in their own table so that
-- listing evidence never reads them; the database is the one store every instance shares.
CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    complaint_id  BIGINT NOT NULL REFERENCES complaints(id),
    uploaded_at   BIGINT NOT NULL,
    uploader_role TEXT NOT NULL,
    uploader_id   BIGINT REFERENCES users(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    kind          TEXT NOT NULL,
    size_bytes    BIGINT NOT NULL,
    sha256        TEXT NOT NULL
);

CREATE INDEX evidence_by_complaint ON evidence (complaint_id, id);

CREATE TABLE evidence_blobs (
    evidence_id  BIGINT PRIMARY KEY REFERENCES evidence(id),
    bytes        BLOB NOT NULL
);
