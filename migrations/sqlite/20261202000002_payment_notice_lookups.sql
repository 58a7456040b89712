-- Paper-notice look-ups (issue 27): a person may look up a limited number
-- of notices by notice code + creditor fiscal code in a sliding window
-- (10 in 10 minutes), so that nobody can walk through notice codes. Every
-- allowed look-up with well-formed codes is a row; the count lives in the
-- database, not in one process, so the limit holds across instances.
-- Rows older than the window are deleted when the same person looks again.

CREATE TABLE payment_notice_lookups (
    id    INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,                                          -- fiscal code of who typed the codes
    at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) -- UTC, ms, comparable as text
) STRICT;
CREATE INDEX payment_notice_lookups_by_actor ON payment_notice_lookups (actor, at);
