-- Unsuccessful login attempts per login name, shared by every instance: the name is kept
-- only as a SHA-256 digest (it is often a phone number). A row whose window has passed
-- counts from zero again and is deleted by the periodic clean-up.
CREATE TABLE login_attempts (
    login_digest TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);
