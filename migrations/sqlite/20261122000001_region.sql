-- The territory of the embedded region: health authorities (ASL), their
-- districts and territorial areas (ambiti, where a doctor is chosen),
-- municipalities and facilities with their emergency-room units.

CREATE TABLE asl (
    code        TEXT PRIMARY KEY,                 -- 'ASL1' … 'ASL5'
    name        TEXT NOT NULL,
    -- Creditor fiscal code for pagoPA notices (11 digits).
    fiscal_code TEXT NOT NULL UNIQUE CHECK (length(fiscal_code) = 11 AND fiscal_code NOT GLOB '*[^0-9]*'),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE districts (
    id         INTEGER PRIMARY KEY,
    asl_code   TEXT NOT NULL REFERENCES asl(code),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (asl_code, name)
) STRICT;

CREATE TABLE care_areas (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts(id),
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE municipalities (
    belfiore     TEXT PRIMARY KEY CHECK (length(belfiore) = 4),  -- cadastral code, as in the fiscal code
    name         TEXT NOT NULL,
    province     TEXT NOT NULL CHECK (length(province) = 2),
    care_area_id INTEGER NOT NULL REFERENCES care_areas(id),
    latitude     REAL NOT NULL,
    longitude    REAL NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE facilities (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('hub_hospital', 'hospital', 'outpatient', 'vaccination_centre', 'pharmacy')),
    -- The ASL whose territory the facility is in (hubs are in ASL3's).
    asl_code     TEXT NOT NULL REFERENCES asl(code),
    municipality TEXT NOT NULL REFERENCES municipalities(belfiore),
    address      TEXT NOT NULL,
    latitude     REAL NOT NULL,
    longitude    REAL NOT NULL,
    phone        TEXT NOT NULL,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE er_units (
    id          INTEGER PRIMARY KEY,
    facility_id INTEGER NOT NULL REFERENCES facilities(id),
    name        TEXT NOT NULL UNIQUE,
    paediatric  INTEGER NOT NULL DEFAULT 0 CHECK (paediatric IN (0, 1)),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
