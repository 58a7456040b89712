-- Outpatient services (visits, imaging, lab) and the agendas' slots that
-- the regional CUP books. A booking (CUP issue) will reference a slot with a
-- UNIQUE constraint, so a slot can never be booked twice.

CREATE TABLE outpatient_services (
    code             TEXT PRIMARY KEY,            -- regional catalogue code
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('visit', 'imaging', 'lab', 'procedure')),
    -- Priority D allows 30 days for visits, 60 for diagnostic exams.
    is_diagnostic    INTEGER NOT NULL CHECK (is_diagnostic IN (0, 1)),
    ticket_cents     INTEGER NOT NULL CHECK (ticket_cents >= 0),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    preparation      TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE slots (
    id               INTEGER PRIMARY KEY,
    facility_id      INTEGER NOT NULL REFERENCES facilities(id),
    service_code     TEXT NOT NULL REFERENCES outpatient_services(code),
    starts_at        TEXT NOT NULL,                -- RFC 3339 with the Europe/Rome offset
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (facility_id, service_code, starts_at)
) STRICT;

-- "Earliest free slot for this service" is the CUP's main question.
CREATE INDEX slots_by_service_and_time ON slots (service_code, starts_at);
