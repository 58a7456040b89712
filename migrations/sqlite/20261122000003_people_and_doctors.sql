-- Residents (the regional registry), parents of minors, family doctors
-- (MMG) and paediatricians (PLS) and who chose whom, exemptions.

CREATE TABLE doctors (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('MMG', 'PLS')),
    fiscal_code    TEXT NOT NULL UNIQUE CHECK (length(fiscal_code) = 16),
    given_name     TEXT NOT NULL,
    family_name    TEXT NOT NULL,
    care_area_id   INTEGER NOT NULL REFERENCES care_areas(id),
    -- Massimale: the most patients the doctor may have.
    max_patients   INTEGER NOT NULL CHECK (max_patients > 0),
    surgery_address TEXT NOT NULL,
    municipality   TEXT NOT NULL REFERENCES municipalities(belfiore),
    phone          TEXT NOT NULL,
    hours          TEXT NOT NULL,
    languages      TEXT NOT NULL,                -- comma-separated ISO 639-1 codes
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE people (
    fiscal_code        TEXT PRIMARY KEY CHECK (length(fiscal_code) = 16),
    given_name         TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    birth_date         TEXT NOT NULL,            -- YYYY-MM-DD
    sex                TEXT NOT NULL CHECK (sex IN ('F', 'M')),
    municipality       TEXT NOT NULL REFERENCES municipalities(belfiore),
    address            TEXT NOT NULL,
    -- Tessera sanitaria: 20-digit card number and expiry.
    health_card_number TEXT NOT NULL UNIQUE CHECK (length(health_card_number) = 20),
    health_card_expiry TEXT NOT NULL,
    -- Risk groups for vaccination eligibility (comma-separated codes).
    risk_groups        TEXT NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

-- A parent acts for a minor child.
CREATE TABLE guardianships (
    parent     TEXT NOT NULL REFERENCES people(fiscal_code),
    child      TEXT NOT NULL REFERENCES people(fiscal_code),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (parent, child),
    CHECK (parent <> child)
) STRICT;

CREATE TABLE doctor_choices (
    id         INTEGER PRIMARY KEY,
    person     TEXT NOT NULL REFERENCES people(fiscal_code),
    doctor_id  INTEGER NOT NULL REFERENCES doctors(id),
    started_on TEXT NOT NULL,
    ended_on   TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
-- At most one current doctor per person.
CREATE UNIQUE INDEX doctor_choices_one_current ON doctor_choices (person) WHERE ended_on IS NULL;
CREATE INDEX doctor_choices_current_by_doctor ON doctor_choices (doctor_id) WHERE ended_on IS NULL;

CREATE TABLE exemptions (
    id          INTEGER PRIMARY KEY,
    person      TEXT NOT NULL REFERENCES people(fiscal_code),
    code        TEXT NOT NULL,                   -- e.g. E01 (income), 013 (condition)
    valid_from  TEXT NOT NULL,
    valid_until TEXT,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX exemptions_by_person ON exemptions (person);
