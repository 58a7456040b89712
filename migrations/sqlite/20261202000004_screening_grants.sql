-- Which machine clients may send screening events (issue 27, security
-- review): the scope `screening:write` alone is not enough, as for the ER
-- (`ingest_er_grants`) and operating-theatre (`ingest_surgery_grants`)
-- feeds. Screening has one sender per region, so the grant is per client,
-- not per facility. Operators grant; the demo region seeds its screening
-- centre. A client without a row is refused (403) before anything is read
-- or stored.
CREATE TABLE ingest_screening_grants (
    client_id  TEXT NOT NULL PRIMARY KEY CHECK (client_id <> ''),
    granted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))  -- UTC
) STRICT;
