-- Acting for others and the audit of every access to health data.
-- (Sessions live in the `tower_sessions` table, created by its store.)

-- An adult lets another adult act for them, for some capabilities, until a
-- day. Revoking keeps the row (the history is shown to both people).
CREATE TABLE delegations (
    id          INTEGER PRIMARY KEY,
    delegator   TEXT NOT NULL REFERENCES people(fiscal_code),
    delegate    TEXT NOT NULL CHECK (length(delegate) = 16),
    -- Comma-separated capability slugs (app::identity::model::Capability).
    scopes      TEXT NOT NULL CHECK (length(scopes) > 0),
    valid_until TEXT NOT NULL,                   -- YYYY-MM-DD, last valid day (Europe/Rome)
    revoked_at  TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK (delegator <> delegate)
) STRICT;
-- One live delegation per pair: a new one replaces the old in one transaction.
CREATE UNIQUE INDEX delegations_one_live_per_pair ON delegations (delegator, delegate) WHERE revoked_at IS NULL;
CREATE INDEX delegations_by_delegate ON delegations (delegate) WHERE revoked_at IS NULL;

-- Who read or changed whose health data, when and from where.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor       TEXT NOT NULL,                   -- fiscal code of who acted
    actor_name  TEXT NOT NULL,
    -- How the actor reached the data.
    actor_role  TEXT NOT NULL CHECK (actor_role IN ('self', 'parent', 'delegate', 'pharmacist', 'operator')),
    subject     TEXT NOT NULL,                   -- fiscal code of whose data
    capability  TEXT NOT NULL,                   -- capability slug
    action      TEXT NOT NULL CHECK (action IN ('read', 'write', 'refused')),
    record_id   TEXT,
    ip          TEXT NOT NULL,
    request_id  TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_by_subject ON audit_log (subject, at);

-- Append-only: nobody, not even the portal, rewrites or deletes history.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
