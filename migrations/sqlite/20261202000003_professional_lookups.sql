-- Hospital operators' record look-ups (issue 27, point 6): an operator may
-- look up a limited number of fiscal codes at /professionisti/fascicolo in
-- a sliding window (30 in 10 minutes), so that nobody can walk through
-- fiscal codes. Every look-up is a row, whether the code belongs to a
-- resident or not; the count lives in the database, not in one process, so
-- the limit holds across instances. Rows older than the window are deleted
-- when the same operator looks again.

CREATE TABLE professional_lookups (
    id       INTEGER PRIMARY KEY,
    operator TEXT NOT NULL,                                          -- fiscal code of the operator
    at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) -- UTC, ms, comparable as text
) STRICT;
CREATE INDEX professional_lookups_by_operator ON professional_lookups (operator, at);
