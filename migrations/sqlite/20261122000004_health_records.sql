-- Clinical history of the embedded region: FSE documents, prescriptions,
-- the vaccination registry and screening tests.

CREATE TABLE fse_documents (
    id          INTEGER PRIMARY KEY,
    person      TEXT NOT NULL REFERENCES people(fiscal_code),
    loinc_code  TEXT NOT NULL,                   -- document type (DOMAIN.md)
    title       TEXT NOT NULL,
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    author      TEXT NOT NULL,
    issued_at   TEXT NOT NULL,                   -- RFC 3339
    body        TEXT NOT NULL CHECK (json_valid(body)),  -- structured content
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX fse_documents_by_person ON fse_documents (person, issued_at);

CREATE TABLE prescriptions (
    nre          TEXT PRIMARY KEY CHECK (length(nre) = 15),
    person       TEXT NOT NULL REFERENCES people(fiscal_code),
    kind         TEXT NOT NULL CHECK (kind IN ('specialist', 'pharmaceutical')),
    colour       TEXT NOT NULL CHECK (colour IN ('red', 'white')),
    -- Specialist prescriptions only: priority class and requested service.
    priority     TEXT CHECK (priority IN ('U', 'B', 'D', 'P')),
    service_code TEXT REFERENCES outpatient_services(code),
    prescriber   TEXT NOT NULL,
    issued_on    TEXT NOT NULL,
    valid_until  TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    CHECK ((kind = 'specialist') = (priority IS NOT NULL AND service_code IS NOT NULL))
) STRICT;
CREATE INDEX prescriptions_by_person ON prescriptions (person);

CREATE TABLE prescription_lines (
    id         INTEGER PRIMARY KEY,
    nre        TEXT NOT NULL REFERENCES prescriptions(nre),
    drug       TEXT NOT NULL,
    dosage     TEXT NOT NULL,
    boxes      INTEGER NOT NULL CHECK (boxes > 0),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE vaccinations (
    id              INTEGER PRIMARY KEY,
    person          TEXT NOT NULL REFERENCES people(fiscal_code),
    vaccine         TEXT NOT NULL,
    dose            INTEGER NOT NULL CHECK (dose > 0),
    administered_on TEXT NOT NULL,
    facility_id     INTEGER NOT NULL REFERENCES facilities(id),
    lot             TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX vaccinations_by_person ON vaccinations (person);

CREATE TABLE screening_tests (
    id           INTEGER PRIMARY KEY,
    person       TEXT NOT NULL REFERENCES people(fiscal_code),
    programme    TEXT NOT NULL CHECK (programme IN ('colorectal', 'breast', 'cervical')),
    test         TEXT NOT NULL CHECK (test IN ('fit', 'mammography', 'pap', 'hpv_dna')),
    performed_on TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'inadequate')),
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX screening_tests_by_person ON screening_tests (person);
