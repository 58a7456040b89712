-- CUP bookings, the centralised waiting list with its slot offers, the
-- ticket's payment positions (paid in the payments capability) and the
-- in-app notifications.

CREATE TABLE bookings (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,           -- shown to the citizen
    nre          TEXT NOT NULL REFERENCES prescriptions(nre),
    person       TEXT NOT NULL REFERENCES people(fiscal_code),
    slot_id      INTEGER NOT NULL REFERENCES slots(id),
    status       TEXT NOT NULL CHECK (status IN ('active', 'moved', 'cancelled')),
    ticket_cents INTEGER NOT NULL CHECK (ticket_cents >= 0),
    exemption    TEXT,                           -- code that zeroed the ticket
    booked_by    TEXT NOT NULL,                  -- fiscal code of who booked
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at     TEXT
) STRICT;
-- The database makes double booking impossible: one live booking per slot,
-- and one per prescription.
CREATE UNIQUE INDEX bookings_one_live_per_slot ON bookings (slot_id) WHERE status = 'active';
CREATE UNIQUE INDEX bookings_one_live_per_prescription ON bookings (nre) WHERE status = 'active';
CREATE INDEX bookings_by_person ON bookings (person, status);

-- "Earliest free slot of this service at this facility" is one index seek.
CREATE INDEX slots_by_service_facility_time ON slots (service_code, facility_id, starts_at);

CREATE TABLE waiting_list (
    id           INTEGER PRIMARY KEY,
    reference    TEXT NOT NULL UNIQUE,           -- "presa in carico" reference
    nre          TEXT NOT NULL REFERENCES prescriptions(nre),
    person       TEXT NOT NULL REFERENCES people(fiscal_code),
    service_code TEXT NOT NULL REFERENCES outpatient_services(code),
    priority     TEXT NOT NULL CHECK (priority IN ('U', 'B', 'D', 'P')),
    asl_code     TEXT NOT NULL REFERENCES asl(code), -- of residence, for the unmet-demand count
    requested_on TEXT NOT NULL,                  -- YYYY-MM-DD
    deadline     TEXT NOT NULL,                  -- YYYY-MM-DD, last day within the priority
    -- The outcome of every entry is kept: unmet demand = 'expired'.
    status       TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'booked', 'expired', 'withdrawn')),
    booking_id   INTEGER REFERENCES bookings(id),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    closed_at    TEXT
) STRICT;
CREATE UNIQUE INDEX waiting_list_one_open_per_prescription ON waiting_list (nre) WHERE status IN ('waiting', 'offered');
CREATE INDEX waiting_list_open_by_service ON waiting_list (service_code, id) WHERE status = 'waiting';
CREATE INDEX waiting_list_by_outcome ON waiting_list (service_code, asl_code, priority, status);

CREATE TABLE slot_offers (
    id          INTEGER PRIMARY KEY,
    entry_id    INTEGER NOT NULL REFERENCES waiting_list(id),
    slot_id     INTEGER NOT NULL REFERENCES slots(id),
    offered_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    expires_at  TEXT NOT NULL,                   -- UTC, same format
    outcome     TEXT CHECK (outcome IN ('accepted', 'declined', 'expired')),
    decided_at  TEXT,
    UNIQUE (entry_id, slot_id)                   -- a slot is offered once to each entry
) STRICT;
-- A slot is held by at most one open offer.
CREATE UNIQUE INDEX slot_offers_one_open_per_slot ON slot_offers (slot_id) WHERE outcome IS NULL;

CREATE TABLE payment_positions (
    id              INTEGER PRIMARY KEY,
    person          TEXT NOT NULL REFERENCES people(fiscal_code),
    asl_code        TEXT NOT NULL REFERENCES asl(code),       -- creditor
    reason          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    due_on          TEXT NOT NULL,                            -- YYYY-MM-DD
    notice_code     TEXT NOT NULL UNIQUE CHECK (length(notice_code) = 18),
    iuv             TEXT NOT NULL UNIQUE,
    booking_id      INTEGER UNIQUE REFERENCES bookings(id),
    status          TEXT NOT NULL CHECK (status IN ('payable', 'cancelled', 'paid')),
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX payment_positions_by_person ON payment_positions (person, status);

-- In-app notifications; `emailed_at` is there for an e-mail outbox.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    person     TEXT NOT NULL REFERENCES people(fiscal_code),
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    link       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    read_at    TEXT,
    emailed_at TEXT
) STRICT;
CREATE INDEX notifications_by_person ON notifications (person, id);
