-- FSE 2.0 on the citizen's side: consent to consultation by professionals
-- (history kept, current state = latest event), documents obscured from
-- professionals (code P99), who has opened what (the "new" markers) and the
-- personal notebook (taccuino) of documents the citizen uploads.

CREATE TABLE fse_consent_events (
    id     INTEGER PRIMARY KEY,
    person TEXT NOT NULL REFERENCES people(fiscal_code),
    given  INTEGER NOT NULL CHECK (given IN (0, 1)),
    actor  TEXT NOT NULL,                          -- fiscal code of who changed it
    at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT;
CREATE INDEX fse_consent_events_by_person ON fse_consent_events (person, id);

-- A consent's history is evidence: it is never rewritten.
CREATE TRIGGER fse_consent_events_no_update BEFORE UPDATE ON fse_consent_events
BEGIN
    SELECT RAISE(ABORT, 'fse_consent_events is append-only');
END;
CREATE TRIGGER fse_consent_events_no_delete BEFORE DELETE ON fse_consent_events
BEGIN
    SELECT RAISE(ABORT, 'fse_consent_events is append-only');
END;

-- P99: hidden from professionals, still visible to the citizen.
ALTER TABLE fse_documents ADD COLUMN obscured INTEGER NOT NULL DEFAULT 0 CHECK (obscured IN (0, 1));

-- The list filters by type and date within one person's record.
CREATE INDEX fse_documents_by_person_type ON fse_documents (person, loinc_code, issued_at);

CREATE TABLE fse_document_reads (
    document_id   INTEGER NOT NULL REFERENCES fse_documents(id),
    reader        TEXT NOT NULL,                   -- fiscal code of who opened it
    first_read_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (document_id, reader)
) STRICT, WITHOUT ROWID;

CREATE TABLE notebook_entries (
    id          INTEGER PRIMARY KEY,
    person      TEXT NOT NULL REFERENCES people(fiscal_code),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes  INTEGER NOT NULL CHECK (size_bytes > 0),
    content     BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX notebook_entries_by_person ON notebook_entries (person, id);
