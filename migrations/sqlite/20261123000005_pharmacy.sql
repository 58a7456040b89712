-- Dematerialised prescriptions at the pharmacy (seed #35): the citizen's
-- consent to retrieval by health card (history kept, current state = the
-- latest event, off by default) and the dispensations of prescription lines.

CREATE TABLE prescription_consent_events (
    id     INTEGER PRIMARY KEY,
    person TEXT NOT NULL REFERENCES people(fiscal_code),
    given  INTEGER NOT NULL CHECK (given IN (0, 1)),
    actor  TEXT NOT NULL,
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX prescription_consent_events_by_person ON prescription_consent_events (person, id);
CREATE TRIGGER prescription_consent_events_no_update BEFORE UPDATE ON prescription_consent_events
BEGIN
    SELECT RAISE(ABORT, 'prescription_consent_events is append-only');
END;
CREATE TRIGGER prescription_consent_events_no_delete BEFORE DELETE ON prescription_consent_events
BEGIN
    SELECT RAISE(ABORT, 'prescription_consent_events is append-only');
END;

CREATE TABLE dispensations (
    id           INTEGER PRIMARY KEY,
    line_id      INTEGER NOT NULL REFERENCES prescription_lines(id),
    pharmacy_id  INTEGER NOT NULL REFERENCES facilities(id),
    pharmacist   TEXT NOT NULL,                  -- fiscal code
    boxes        INTEGER NOT NULL CHECK (boxes > 0),
    dispensed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX dispensations_by_line ON dispensations (line_id);

-- The database guards "exactly once": no dispensation may take a line past
-- its boxes. Writers use BEGIN IMMEDIATE, so the check and the insert are
-- never interleaved with another pharmacy's.
CREATE TRIGGER dispensations_never_exceed_the_line BEFORE INSERT ON dispensations
WHEN (SELECT coalesce(sum(boxes), 0) FROM dispensations WHERE line_id = NEW.line_id) + NEW.boxes
     > (SELECT boxes FROM prescription_lines WHERE id = NEW.line_id)
BEGIN
    SELECT RAISE(ABORT, 'line_already_dispensed');
END;
CREATE TRIGGER dispensations_are_final BEFORE UPDATE ON dispensations
BEGIN
    SELECT RAISE(ABORT, 'dispensations are final');
END;
CREATE INDEX people_by_health_card ON people (health_card_number);

-- The card a pharmacist is serving at the counter (one at a time, for 15
-- minutes): the page re-checks card and consent on every view.
CREATE TABLE pharmacy_counter (
    pharmacist   TEXT PRIMARY KEY,               -- fiscal code
    fiscal_code  TEXT NOT NULL,
    card_number  TEXT NOT NULL,
    looked_up_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
