-- Messages that leave the portal (SMS, e-mail, WeChat, webhooks): written in the same
-- transaction as the change that causes them, delivered by the outbox worker.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    -- The idempotency key receivers de-duplicate on (X-Portal-Delivery, the gateway's id).
    delivery_key    TEXT NOT NULL UNIQUE,
    complaint_id    BIGINT REFERENCES complaints(id),
    event_id        BIGINT,
    channel         TEXT NOT NULL,
    -- An owner occasion (filed, replied, ...), a webhook event (complaint.filed, ...) or test.
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    -- What staff see of the recipient: 138****5678, w***@example.com, an endpoint's host.
    recipient_shown TEXT NOT NULL,
    endpoint_id     BIGINT,
    lang            TEXT NOT NULL DEFAULT 'zh',
    -- A webhook's JSON body (the exact bytes that are signed).
    payload         TEXT,
    -- A survey link until it is sent; never kept after.
    secret          TEXT,
    urgent          BIGINT NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'queued',
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_at         BIGINT NOT NULL,
    locked_until    BIGINT,
    last_error      TEXT,
    response_code   BIGINT,
    segments        BIGINT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX deliveries_due ON deliveries (status, next_at);
CREATE INDEX deliveries_by_complaint ON deliveries (complaint_id, id);

CREATE TABLE webhook_endpoints (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL,
    secret        TEXT NOT NULL,
    -- Comma-separated event names, or * for every event.
    events        TEXT NOT NULL DEFAULT '*',
    allow_private BIGINT NOT NULL DEFAULT 0,
    from_env      BIGINT NOT NULL DEFAULT 0,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);

-- What the owner chose: SMS (on when a phone is given), an e-mail address, a WeChat openid.
ALTER TABLE complaints ADD COLUMN notify_sms BIGINT NOT NULL DEFAULT 1;
ALTER TABLE complaints ADD COLUMN notify_email TEXT;
ALTER TABLE complaints ADD COLUMN wechat_openid TEXT;
-- The newest timeline row messages have been derived from.
ALTER TABLE complaints ADD COLUMN outbox_event_id BIGINT NOT NULL DEFAULT 0;
UPDATE complaints SET outbox_event_id =
    COALESCE((SELECT MAX(e.id) FROM complaint_events e WHERE e.complaint_id = complaints.id), 0);

-- Survey links queued before the worker existed are sent as they were written.
INSERT INTO deliveries (delivery_key, complaint_id, channel, kind, recipient, recipient_shown,
                        secret, next_at, created_at)
SELECT 'legacy-' || id, complaint_id, 'sms', 'legacy', recipient,
       CASE WHEN length(recipient) = 11 THEN substr(recipient, 1, 3) || '****' || substr(recipient, 8) ELSE recipient END,
       body, created_at, created_at
FROM outbox WHERE sent_at IS NULL;
DROP TABLE outbox;
