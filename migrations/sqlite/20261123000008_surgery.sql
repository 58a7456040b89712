-- Surgery tracker (issue 7, seed #39.2): hospital systems push the phases of
-- an operation; people the patient authorised follow them live. Timing only:
-- no clinical detail is ever stored here.

-- Which hospitals a machine client may send operating-theatre events for
-- ('*' = every hospital). Operators grant; the demo region seeds its clients.
CREATE TABLE ingest_surgery_grants (
    client_id     TEXT NOT NULL,
    facility_code TEXT NOT NULL,
    PRIMARY KEY (client_id, facility_code)
) STRICT;

-- One operation: the hospital's own case id, unique within the hospital.
CREATE TABLE surgery_cases (
    id          INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    case_ref    TEXT NOT NULL,
    patient     TEXT NOT NULL REFERENCES people(fiscal_code),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (facility_id, case_ref)
) STRICT;
CREATE INDEX surgery_cases_by_patient ON surgery_cases (patient);

-- Every event as received (append-only). A retried event (same client, same
-- event id) is stored once. The case's phase is the furthest one reached, so
-- a late event for an earlier phase only fills in the timeline.
CREATE TABLE surgery_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES surgery_cases(id),
    client_id   TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    phase       TEXT NOT NULL CHECK (phase IN ('admitted', 'in_block', 'in_theatre', 'surgery_started',
                                               'surgery_ended', 'recovery', 'back_to_ward', 'intensive_care')),
    at          TEXT NOT NULL,   -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (client_id, event_id)
) STRICT;
CREATE INDEX surgery_events_by_case ON surgery_events (case_id, at);
CREATE TRIGGER surgery_events_no_update BEFORE UPDATE ON surgery_events
BEGIN
    SELECT RAISE(ABORT, 'surgery_events is append-only');
END;

-- Who may follow a case: named people, by fiscal code, authorised by the
-- patient (granted_by = their fiscal code) or by the hospital at admission
-- (granted_by = 'hospital'). Withdrawal is immediate and kept for the record.
CREATE TABLE surgery_authorisations (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES surgery_cases(id),
    person       TEXT NOT NULL,
    granted_by   TEXT NOT NULL,
    granted_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    withdrawn_at TEXT
) STRICT;
CREATE UNIQUE INDEX surgery_authorisations_one_active
    ON surgery_authorisations (case_id, person) WHERE withdrawn_at IS NULL;
CREATE INDEX surgery_authorisations_by_person ON surgery_authorisations (person);

-- Views of a case by an authorised person are audited under their own role,
-- 'family'. SQLite cannot change a CHECK constraint in place: the table is
-- rebuilt with every row, index and trigger it had.
CREATE TABLE audit_log_new (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    actor       TEXT NOT NULL,                   -- fiscal code of who acted
    actor_name  TEXT NOT NULL,
    -- How the actor reached the data ('family': a person the patient
    -- authorised to follow an operation).
    actor_role  TEXT NOT NULL
                CHECK (actor_role IN ('self', 'parent', 'delegate', 'pharmacist', 'operator', 'family')),
    subject     TEXT NOT NULL,                   -- fiscal code of whose data
    capability  TEXT NOT NULL,                   -- capability slug
    action      TEXT NOT NULL CHECK (action IN ('read', 'write', 'refused')),
    record_id   TEXT,
    ip          TEXT NOT NULL,
    request_id  TEXT NOT NULL
) STRICT;
INSERT INTO audit_log_new (id, at, actor, actor_name, actor_role, subject, capability, action, record_id, ip, request_id)
    SELECT id, at, actor, actor_name, actor_role, subject, capability, action, record_id, ip, request_id FROM audit_log;
-- Dropping a table fires no DELETE trigger; its own triggers go with it.
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_by_subject ON audit_log (subject, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
