-- "Dove andare adesso" (issue 23): where to go for non-urgent care. The
-- places and their hours are data the ASLs publish; whether a place is open
-- is computed from them in Europe/Rome time (server/src/care_now/).

-- The 116117 number (non-urgent medical care) by ASL: answering since a
-- day, or not yet, with the number to call meanwhile (the guardia medica).
CREATE TABLE service_116117 (
    asl_code          TEXT NOT NULL PRIMARY KEY REFERENCES asl(code),
    active_since      TEXT,                                -- YYYY-MM-DD, NULL: not yet
    alternative_phone TEXT NOT NULL CHECK (alternative_phone <> '')
) STRICT;

-- A town's patron saint's day is a holiday there (offices and many
-- pharmacies close). Data, not code: each row says where it was checked.
CREATE TABLE patron_days (
    municipality TEXT NOT NULL PRIMARY KEY REFERENCES municipalities(belfiore),
    month        INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day          INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    saint        TEXT NOT NULL CHECK (saint <> ''),
    source       TEXT NOT NULL CHECK (source <> '')
) STRICT;

-- Guardia medica (continuità assistenziale) points and Case della Comunità.
-- `hours` in the syntax of care_now::opening ("lun-ven 20:00-08:00; …").
CREATE TABLE care_points (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('continuita_assistenziale', 'casa_comunita')),
    name         TEXT NOT NULL CHECK (name <> ''),
    asl_code     TEXT NOT NULL REFERENCES asl(code),
    municipality TEXT NOT NULL REFERENCES municipalities(belfiore),
    address      TEXT NOT NULL,
    latitude     REAL NOT NULL,
    longitude    REAL NOT NULL,
    phone        TEXT NOT NULL,
    hours        TEXT NOT NULL CHECK (hours <> '')
) STRICT;

-- A pharmacy's regular opening hours (same syntax).
CREATE TABLE pharmacy_hours (
    facility_id INTEGER NOT NULL PRIMARY KEY REFERENCES facilities(id),
    hours       TEXT NOT NULL CHECK (hours <> '')
) STRICT;

-- The on-duty rota (turni di guardia farmaceutica), imported from the CSV
-- an ASL publishes (`server import-rota`) or generated for the demo region.
-- Times are Rome wall-clock `YYYY-MM-DD HH:MM`, as the ASL publishes them
-- ("dalle 8:30 alle 8:30 del giorno dopo"), not UTC instants.
CREATE TABLE pharmacy_rota (
    id           INTEGER PRIMARY KEY,
    pharmacy_id  INTEGER NOT NULL REFERENCES facilities(id),
    starts_local TEXT NOT NULL CHECK (length(starts_local) = 16),
    ends_local   TEXT NOT NULL CHECK (length(ends_local) = 16 AND ends_local > starts_local),
    source       TEXT NOT NULL,                            -- the file's name, or 'demo'
    imported_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))  -- UTC
) STRICT;
CREATE INDEX pharmacy_rota_by_end ON pharmacy_rota (ends_local, starts_local);
CREATE INDEX pharmacy_rota_by_pharmacy ON pharmacy_rota (pharmacy_id, starts_local);

-- Two turns of one pharmacy never overlap (SQLite writes one at a time, so
-- the check and the insert cannot interleave).
CREATE TRIGGER pharmacy_rota_no_overlap
BEFORE INSERT ON pharmacy_rota
WHEN EXISTS (SELECT 1 FROM pharmacy_rota r
              WHERE r.pharmacy_id = NEW.pharmacy_id
                AND r.starts_local < NEW.ends_local AND NEW.starts_local < r.ends_local)
BEGIN
    SELECT RAISE(ABORT, 'rota_overlap');
END;
CREATE TRIGGER pharmacy_rota_not_changed BEFORE UPDATE ON pharmacy_rota
BEGIN
    SELECT RAISE(ABORT, 'pharmacy_rota rows are replaced, not changed');
END;
