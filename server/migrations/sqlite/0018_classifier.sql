-- Learning from the company's own cases. A complaint whose category a staff member
-- confirmed (by assigning it) or corrected is a labelled example; its text is read from
-- the complaint (masked before training), so nothing personal is copied here.
CREATE TABLE category_labels (
    complaint_id BIGINT PRIMARY KEY REFERENCES complaints(id),
    category     TEXT NOT NULL,
    -- assigned | corrected
    source       TEXT NOT NULL,
    labelled_by  BIGINT REFERENCES users(id),
    labelled_at  BIGINT NOT NULL
);
CREATE INDEX category_labels_at ON category_labels (labelled_at);

-- Complaints already assigned were confirmed by their assignment.
INSERT INTO category_labels (complaint_id, category, source, labelled_by, labelled_at)
SELECT id, category, 'assigned', NULL, updated_at FROM complaints WHERE handler_id IS NOT NULL;

-- Models trained by the portal. At most one is active; none active means the model
-- shipped with the build (version 0). A rejected candidate is kept with its report.
CREATE TABLE classifier_models (
    id          INTEGER PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    -- NULL: the nightly run.
    trained_by  BIGINT REFERENCES users(id),
    -- promoted | not_better_for_company | worse_on_shipped
    verdict     TEXT NOT NULL,
    active      BIGINT NOT NULL DEFAULT 0,
    -- SHA-256 of the bytes, hex: the browser asset's ETag.
    digest      TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    -- Company cases in all, and how many the candidate trained on.
    cases       BIGINT NOT NULL,
    trained_on  BIGINT NOT NULL,
    -- The training report (JSON): scores, per category, confusion, changed examples.
    report      TEXT NOT NULL
);
