-- Vaccinations and cancer screening: the campaigns' and programmes'
-- agendas (outpatient services booked without a prescription, free of
-- charge), their appointments, the colorectal FIT kits collected at
-- pharmacies, the screening centre's events and the reminders sent.

INSERT INTO outpatient_services (code, name, kind, is_diagnostic, ticket_cents, duration_minutes, preparation) VALUES
    ('VAC-FLU', 'Vaccinazione antinfluenzale', 'procedure', 0, 0, 10,
     'Porta la tessera sanitaria. Se il giorno della vaccinazione hai la febbre, sposta l''appuntamento.'),
    ('VAC-COVID', 'Vaccinazione anti COVID-19', 'procedure', 0, 0, 10,
     'Porta la tessera sanitaria. Se il giorno della vaccinazione hai la febbre, sposta l''appuntamento.'),
    ('VAC-PNEUMO', 'Vaccinazione antipneumococcica', 'procedure', 0, 0, 10,
     'Porta la tessera sanitaria e l''elenco dei farmaci che prendi.'),
    ('VAC-ZOSTER', 'Vaccinazione anti Herpes zoster (fuoco di Sant''Antonio)', 'procedure', 0, 0, 10,
     'Porta la tessera sanitaria e l''elenco dei farmaci che prendi.'),
    ('VAC-HPV', 'Vaccinazione anti papillomavirus (HPV)', 'procedure', 0, 0, 10,
     'Porta la tessera sanitaria. I minori vengono accompagnati da un genitore.'),
    ('SCR-MAMMO', 'Mammografia di screening', 'imaging', 1, 0, 15,
     'Il giorno dell''esame non usare deodoranti, talco o creme sul seno. Porta le mammografie precedenti.'),
    ('SCR-CERVICE', 'Prelievo cervicale di screening (Pap test o test HPV)', 'procedure', 1, 0, 15,
     'Nei due giorni prima evita rapporti, lavande e ovuli vaginali. Non prenotare nei giorni delle mestruazioni.'),
    ('SCR-COLON', 'Colonscopia di approfondimento (screening)', 'procedure', 1, 0, 45,
     'Il centro screening ti consegna la preparazione intestinale e le istruzioni. Vieni accompagnato.'),
    ('SCR-APPRSENO', 'Approfondimento senologico (screening)', 'imaging', 1, 0, 30,
     'Porta la mammografia di screening e le immagini precedenti.'),
    ('SCR-COLPO', 'Colposcopia di approfondimento (screening)', 'procedure', 1, 0, 20,
     'Non prenotare nei giorni delle mestruazioni.');

-- A campaign's or programme's appointment on the CUP agendas. The slot
-- engine is the CUP's: a slot is free when neither a booking nor one of
-- these holds it, and each table makes its own double booking impossible.
CREATE TABLE prevention_appointments (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,             -- shown to the citizen
    person     TEXT NOT NULL REFERENCES people(fiscal_code),
    slot_id    INTEGER NOT NULL REFERENCES slots(id),
    -- 'vaccination' (topic: campaign code), 'screening' (topic: programme)
    -- or 'screening_second_level' (topic: programme).
    kind       TEXT NOT NULL CHECK (kind IN ('vaccination', 'screening', 'screening_second_level')),
    topic      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'moved', 'cancelled', 'done')),
    booked_by  TEXT NOT NULL,                    -- fiscal code of who booked
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at   TEXT
) STRICT;
CREATE UNIQUE INDEX prevention_one_live_per_slot ON prevention_appointments (slot_id) WHERE status = 'active';
-- One live appointment per person and campaign / programme level.
CREATE UNIQUE INDEX prevention_one_live_per_topic ON prevention_appointments (person, kind, topic) WHERE status = 'active';
CREATE INDEX prevention_by_person ON prevention_appointments (person, status);

-- Colorectal screening: the FIT kit requested on the portal, collected at
-- the chosen pharmacy and returned there; the screening centre reports
-- each step and the result.
CREATE TABLE fit_kits (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,           -- printed on the kit
    person       TEXT NOT NULL REFERENCES people(fiscal_code),
    pharmacy_id  INTEGER NOT NULL REFERENCES facilities(id),
    requested_by TEXT NOT NULL,
    status       TEXT NOT NULL
                 CHECK (status IN ('requested', 'ready', 'collected', 'returned', 'resulted', 'cancelled')),
    requested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ready_at     TEXT,
    collected_at TEXT,
    returned_at  TEXT,
    resulted_at  TEXT,
    test_id      INTEGER REFERENCES screening_tests(id)
) STRICT;
CREATE UNIQUE INDEX fit_kits_one_open_per_person ON fit_kits (person)
    WHERE status IN ('requested', 'ready', 'collected', 'returned');

-- A result links the FSE document that reports it.
ALTER TABLE screening_tests ADD COLUMN document_id INTEGER REFERENCES fse_documents(id);

-- The screening centre's events as received (append-only), idempotent by
-- (client, event id).
CREATE TABLE screening_events (
    id          INTEGER PRIMARY KEY,
    client_id   TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    reference   TEXT NOT NULL,                   -- kit or appointment code
    body        TEXT NOT NULL CHECK (json_valid(body)),
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    UNIQUE (client_id, event_id)
) STRICT;
CREATE TRIGGER screening_events_append_only_update BEFORE UPDATE ON screening_events
BEGIN SELECT RAISE(ABORT, 'screening events are append-only'); END;
CREATE TRIGGER screening_events_append_only_delete BEFORE DELETE ON screening_events
BEGIN SELECT RAISE(ABORT, 'screening events are append-only'); END;

-- Reminders already sent: one per person, topic and period (a season, a
-- due date), so the daily sweep never repeats itself.
CREATE TABLE prevention_reminders (
    person     TEXT NOT NULL REFERENCES people(fiscal_code),
    topic      TEXT NOT NULL,
    period     TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (person, topic, period)
) STRICT;
