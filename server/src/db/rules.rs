//! The rules the schema enforces that an adapter turns into a refusal the
//! person reads ("this slot was just taken"). One list, so the name a
//! PostgreSQL migration gives a constraint and the columns SQLite reports
//! for the same unique index are written once.

/// A rule of the schema, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The constraint's name on PostgreSQL (a unique index or constraint,
    /// or a trigger raising `USING CONSTRAINT = name`); on SQLite, the
    /// message a trigger raises.
    pub name: &'static str,
    /// For a unique index: the columns SQLite names when it refuses
    /// (`table.column, table.column`).
    pub sqlite_unique: Option<&'static str>,
}

impl Rule {
    /// A unique index or constraint named `name`, over `columns` as SQLite
    /// reports them.
    pub const fn unique(name: &'static str, columns: &'static str) -> Rule {
        Rule { name, sqlite_unique: Some(columns) }
    }

    /// A trigger that refuses with `name`.
    pub const fn raised(name: &'static str) -> Rule {
        Rule { name, sqlite_unique: None }
    }
}

/// One live booking per slot.
pub const BOOKING_PER_SLOT: Rule = Rule::unique("bookings_one_live_per_slot", "bookings.slot_id");
/// One live booking per prescription.
pub const BOOKING_PER_PRESCRIPTION: Rule = Rule::unique("bookings_one_live_per_prescription", "bookings.nre");
/// One live vaccination or screening appointment per slot.
pub const APPOINTMENT_PER_SLOT: Rule = Rule::unique("prevention_one_live_per_slot", "prevention_appointments.slot_id");
/// One live appointment per person and campaign or programme level.
pub const APPOINTMENT_PER_TOPIC: Rule = Rule::unique(
    "prevention_one_live_per_topic",
    "prevention_appointments.person, prevention_appointments.kind, prevention_appointments.topic",
);
/// The doctor's massimale (with the household exception).
pub const DOCTOR_FULL: Rule = Rule::raised("doctor_full");
/// A prescription line is never dispensed beyond its boxes.
pub const LINE_DISPENSED: Rule = Rule::raised("line_already_dispensed");
/// One open FIT kit per person.
pub const KIT_PER_PERSON: Rule = Rule::unique("fit_kits_one_open_per_person", "fit_kits.person");
/// A screening centre's event is stored once.
pub const SCREENING_EVENT_ONCE: Rule =
    Rule::unique("screening_events_once", "screening_events.client_id, screening_events.event_id");
/// A pagoPA notice code is never issued twice.
pub const NOTICE_CODE_ONCE: Rule = Rule::unique("payment_positions_notice_code_key", "payment_positions.notice_code");
/// Two on-duty turns of one pharmacy never overlap.
pub const ROTA_OVERLAP: Rule = Rule::raised("rota_overlap");
/// An IUV is never issued twice.
pub const IUV_ONCE: Rule = Rule::unique("payment_positions_iuv_key", "payment_positions.iuv");
