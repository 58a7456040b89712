-- pagoPA payments (issue 6): positions gain 'pending' while a checkout is
-- open at the provider; checkouts, receipts (a position is paid at most
-- once: one receipt per position, UNIQUE), every outcome received, the
-- sandbox provider's sessions, and self-certified income exemptions.
--
--   payable --checkout opened--> pending --paid--> paid
--      ^                            |
--      +--failed/cancelled/expired--+        payable --booking cancelled--> cancelled

CREATE TABLE payment_positions_v2 (
    id              INTEGER PRIMARY KEY,
    person          TEXT NOT NULL REFERENCES people(fiscal_code),
    asl_code        TEXT NOT NULL REFERENCES asl(code),       -- creditor
    reason          TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    due_on          TEXT NOT NULL,                            -- YYYY-MM-DD
    notice_code     TEXT NOT NULL UNIQUE CHECK (length(notice_code) = 18),
    iuv             TEXT NOT NULL UNIQUE,
    booking_id      INTEGER UNIQUE REFERENCES bookings(id),
    status          TEXT NOT NULL CHECK (status IN ('payable', 'pending', 'paid', 'cancelled')),
    paid_at         TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((status = 'paid') = (paid_at IS NOT NULL))
) STRICT;
INSERT INTO payment_positions_v2 (id, person, asl_code, reason, amount_cents, due_on, notice_code, iuv, booking_id, status, created_at)
    SELECT id, person, asl_code, reason, amount_cents, due_on, notice_code, iuv, booking_id, status, created_at FROM payment_positions;
DROP TABLE payment_positions;
ALTER TABLE payment_positions_v2 RENAME TO payment_positions;
CREATE INDEX payment_positions_by_person ON payment_positions (person, status);

-- Paid stays paid.
CREATE TRIGGER payment_positions_paid_is_final
BEFORE UPDATE OF status ON payment_positions
WHEN OLD.status = 'paid' AND NEW.status <> 'paid'
BEGIN
    SELECT RAISE(ABORT, 'payment_position_already_paid');
END;

-- One checkout = one trip to the provider for one or more positions.
CREATE TABLE payment_checkouts (
    id          TEXT PRIMARY KEY,                                 -- random, known to the provider
    payer       TEXT NOT NULL REFERENCES people(fiscal_code),     -- who paid (the actor)
    total_cents INTEGER NOT NULL CHECK (total_cents > 0),
    status      TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'cancelled', 'expired')),
    settled_by  TEXT CHECK (settled_by IN ('callback', 'return', 'reconciliation')),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    settled_at  TEXT
) STRICT;
CREATE INDEX payment_checkouts_pending ON payment_checkouts (created_at) WHERE status = 'pending';

CREATE TABLE payment_checkout_positions (
    checkout_id TEXT NOT NULL REFERENCES payment_checkouts(id),
    position_id INTEGER NOT NULL REFERENCES payment_positions(id),
    PRIMARY KEY (checkout_id, position_id)
) STRICT;
CREATE INDEX payment_checkout_positions_by_position ON payment_checkout_positions (position_id);

-- The provider's receipt: the proof of payment. One per position, ever.
CREATE TABLE payment_receipts (
    id           INTEGER PRIMARY KEY,
    receipt_id   TEXT NOT NULL UNIQUE,
    position_id  INTEGER NOT NULL UNIQUE REFERENCES payment_positions(id),
    checkout_id  TEXT NOT NULL REFERENCES payment_checkouts(id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    psp          TEXT NOT NULL,
    paid_at      TEXT NOT NULL,                                   -- UTC, from the provider
    received_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE TRIGGER payment_receipts_are_final_update BEFORE UPDATE ON payment_receipts
BEGIN
    SELECT RAISE(ABORT, 'payment_receipts_are_final');
END;
CREATE TRIGGER payment_receipts_are_final_delete BEFORE DELETE ON payment_receipts
BEGIN
    SELECT RAISE(ABORT, 'payment_receipts_are_final');
END;

-- Every outcome that reached the portal, applied or not (duplicates,
-- late ones, bad signatures): what reconciliation and support look at.
CREATE TABLE payment_outcome_events (
    id          INTEGER PRIMARY KEY,
    event_id    TEXT,
    checkout_id TEXT,
    outcome     TEXT,
    source      TEXT NOT NULL CHECK (source IN ('callback', 'return', 'reconciliation')),
    effect      TEXT NOT NULL CHECK (effect IN ('applied', 'unchanged', 'unknown_checkout', 'bad_signature', 'bad_body')),
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;

-- The sandbox provider's own sessions (only used when the sandbox is on).
CREATE TABLE sandbox_pagopa_sessions (
    id            TEXT PRIMARY KEY,
    checkout_id   TEXT NOT NULL UNIQUE,
    payer         TEXT NOT NULL,
    notices       TEXT NOT NULL,                                  -- JSON
    total_cents   INTEGER NOT NULL,
    return_url    TEXT NOT NULL,
    callback_url  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'paid', 'failed', 'cancelled')),
    receipts      TEXT,                                           -- JSON, when paid
    visible_after TEXT,                                           -- a delayed outcome
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    completed_at  TEXT
) STRICT;

-- Self-certified income exemptions (E01–E04), append-only: a withdrawal
-- sets withdrawn_at once.
CREATE TABLE income_exemption_declarations (
    id           INTEGER PRIMARY KEY,
    person       TEXT NOT NULL REFERENCES people(fiscal_code),
    code         TEXT NOT NULL CHECK (code IN ('E01', 'E02', 'E03', 'E04')),
    valid_from   TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    declared_by  TEXT NOT NULL,
    declared_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    withdrawn_at TEXT,
    withdrawn_by TEXT
) STRICT;
CREATE INDEX income_exemption_declarations_by_person ON income_exemption_declarations (person);
CREATE TRIGGER income_exemption_declarations_append_only BEFORE UPDATE ON income_exemption_declarations
WHEN OLD.withdrawn_at IS NOT NULL OR NEW.person <> OLD.person OR NEW.code <> OLD.code
  OR NEW.valid_from <> OLD.valid_from OR NEW.valid_until <> OLD.valid_until OR NEW.declared_at <> OLD.declared_at
BEGIN
    SELECT RAISE(ABORT, 'income_exemption_declarations_are_append_only');
END;
CREATE TRIGGER income_exemption_declarations_kept BEFORE DELETE ON income_exemption_declarations
BEGIN
    SELECT RAISE(ABORT, 'income_exemption_declarations_are_append_only');
END;
