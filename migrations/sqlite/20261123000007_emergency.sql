-- Emergency-room occupancy pushed by hospital systems (issue 7, seed #37).
-- Reports are kept 48 hours (the board's 12-hour trend); a unit's current state
-- is its report with the latest `reported_at`, so a late, older report never
-- moves the board backwards. A retried report (same client, same event id)
-- is stored once.

-- Which ER units a machine client may report for ('*' = every unit: the
-- regional ER data flow). Operators grant; the demo region seeds its clients.
CREATE TABLE ingest_er_grants (
    client_id     TEXT NOT NULL,
    facility_code TEXT NOT NULL,
    PRIMARY KEY (client_id, facility_code)
) STRICT;

CREATE TABLE er_status_reports (
    id                INTEGER PRIMARY KEY,
    unit_id           INTEGER NOT NULL REFERENCES er_units(id),
    client_id         TEXT NOT NULL,
    event_id          TEXT NOT NULL,
    reported_at       TEXT NOT NULL,   -- UTC, 'YYYY-MM-DDTHH:MM:SSZ'
    received_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    waiting_red       INTEGER NOT NULL CHECK (waiting_red >= 0),
    waiting_orange    INTEGER NOT NULL CHECK (waiting_orange >= 0),
    waiting_azure     INTEGER NOT NULL CHECK (waiting_azure >= 0),
    waiting_green     INTEGER NOT NULL CHECK (waiting_green >= 0),
    waiting_white     INTEGER NOT NULL CHECK (waiting_white >= 0),
    treating_red      INTEGER NOT NULL CHECK (treating_red >= 0),
    treating_orange   INTEGER NOT NULL CHECK (treating_orange >= 0),
    treating_azure    INTEGER NOT NULL CHECK (treating_azure >= 0),
    treating_green    INTEGER NOT NULL CHECK (treating_green >= 0),
    treating_white    INTEGER NOT NULL CHECK (treating_white >= 0),
    -- Optional mean wait in minutes per colour, as the unit computes it.
    mean_wait_red     INTEGER CHECK (mean_wait_red >= 0),
    mean_wait_orange  INTEGER CHECK (mean_wait_orange >= 0),
    mean_wait_azure   INTEGER CHECK (mean_wait_azure >= 0),
    mean_wait_green   INTEGER CHECK (mean_wait_green >= 0),
    mean_wait_white   INTEGER CHECK (mean_wait_white >= 0),
    UNIQUE (client_id, event_id)
) STRICT;
CREATE INDEX er_status_reports_by_unit_time ON er_status_reports (unit_id, reported_at, id);
CREATE INDEX er_status_reports_by_time ON er_status_reports (reported_at);
-- A unit is addressed by its facility's code: one ER unit per facility.
CREATE UNIQUE INDEX er_units_one_per_facility ON er_units (facility_id);
CREATE TRIGGER er_status_reports_no_update BEFORE UPDATE ON er_status_reports
BEGIN
    SELECT RAISE(ABORT, 'er_status_reports is append-only');
END;
