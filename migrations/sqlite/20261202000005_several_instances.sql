-- Several instances on one database (issue 19).

-- Periodic jobs claimed once per period across instances (server/src/jobs.rs):
-- the instance whose upsert moves `next_run_at` ahead runs the job.
CREATE TABLE job_claims (
    job         TEXT PRIMARY KEY,
    next_run_at TEXT NOT NULL,   -- UTC, ms, comparable as text
    claimed_at  TEXT NOT NULL,
    holder      TEXT             -- the instance holding a lease (jobs::Lease); NULL for claims
) STRICT;

-- The pharmacists' card look-ups, counted in the database so that the limit
-- holds across instances (as payment_notice_lookups). Rows older than the
-- window are deleted when the same pharmacist looks again.
CREATE TABLE pharmacy_card_lookups (
    id         INTEGER PRIMARY KEY,
    pharmacist TEXT NOT NULL,                                          -- fiscal code
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) -- UTC, ms
) STRICT;
CREATE INDEX pharmacy_card_lookups_by_pharmacist ON pharmacy_card_lookups (pharmacist, at);
