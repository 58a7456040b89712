//! The regional CUP in SQL. A booking is one `BEGIN IMMEDIATE`
//! transaction; double booking is impossible because of the partial unique
//! indexes of `bookings` (migration `20261123000004_cup.sql`): the insert
//! itself fails, there is no check-then-insert. Freed slots go to the
//! waiting list first (`waiting_list::match_offers`).

pub mod pdf;
pub mod routes;
pub mod waiting_list;

use app::cup::notice::CupNotice;
use app::notice::Notice;
use std::time::Duration;

use app::access_log::model::AccessAction;
use app::cup::model::{
    BookingCard, BookingsPage, Choice, NreProblem, Place, PrescriptionCard, SearchFilter, SearchOutcome, SearchResults,
    SlotOption, WaitingEntry,
};
use app::cup::port::{BookingError, Cup};
use app::domain::cup::{normalise_nre, Priority};
use app::domain::geo::distance_tenths_km;
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;
use async_trait::async_trait;
use chrono::{DateTime, Duration as Days, NaiveDate, Utc};
use sqlx::{SqliteConnection, SqlitePool};

use crate::access_log::AuditTrail;
use crate::clock::{rome_today, stored_instant, utc_to_rome};
use crate::db;

const CAPABILITY: &str = "prenotazioni";
/// Kinds of facility that run outpatient agendas.
pub(crate) const AGENDA_FACILITIES: &str = "('hub_hospital', 'hospital', 'outpatient')";

pub struct SqlCup {
    pool: SqlitePool,
    trail: AuditTrail,
    change_closes: Duration,
    offer_hold: Duration,
}

impl SqlCup {
    pub fn new(pool: SqlitePool, change_closes: Duration, offer_hold: Duration) -> SqlCup {
        SqlCup { trail: AuditTrail::new(pool.clone(), CAPABILITY), pool, change_closes, offer_hold }
    }

    async fn check(&self, principal: &Principal) -> Result<(), AccessError> {
        if principal.role != Role::Citizen {
            return Err(AccessError::NotAllowed);
        }
        if !principal.may(Capability::Prenotazioni) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(AccessError::NotAllowed);
        }
        Ok(())
    }

    /// Logs a refused attempt. When the record exists and is another
    /// person's, the entry goes to that person's log ("tentativo non
    /// autorizzato"), so the owner sees who tried; otherwise to the subject's.
    async fn log_refusal(&self, principal: &Principal, owner: Option<String>, record: &str) -> Result<(), AccessError> {
        match owner.filter(|owner| *owner != principal.subject.fiscal_code) {
            Some(owner) => self.trail.refused_on(principal, &owner, Some(record)).await,
            None => self.trail.record(principal, AccessAction::Refused, Some(record)).await,
        }
    }

    /// An offer that is not the subject's open offer: if it is another
    /// person's, their log shows the attempt.
    async fn refuse_offer(&self, principal: &Principal, offer_id: i64) -> Result<(), AccessError> {
        let owner = self
            .owner_of(
                principal,
                "SELECT w.person FROM slot_offers o JOIN waiting_list w ON w.id = o.entry_id WHERE o.id = ?1",
                &offer_id.to_string(),
            )
            .await?
            .filter(|owner| *owner != principal.subject.fiscal_code);
        match owner {
            Some(owner) => self.trail.refused_on(principal, &owner, Some(&format!("offerta:{offer_id}"))).await,
            None => Ok(()),
        }
    }

    /// Whose record `sql` (one `?1` parameter, one column) finds, if any.
    async fn owner_of(&self, principal: &Principal, sql: &str, key: &str) -> Result<Option<String>, AccessError> {
        sqlx::query_scalar::<_, String>(sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.trail.internal(principal, e))
    }

    async fn nre_owner(&self, principal: &Principal, nre: &str) -> Result<Option<String>, AccessError> {
        self.owner_of(principal, "SELECT person FROM prescriptions WHERE nre = ?1", nre).await
    }

    async fn booking_owner(&self, principal: &Principal, code: &str) -> Result<Option<String>, AccessError> {
        self.owner_of(principal, "SELECT person FROM bookings WHERE code = ?1", code).await
    }

    /// Whether a booking starting at `starts_at` can still be changed.
    fn changeable(&self, starts_at: &str, now: DateTime<Utc>) -> bool {
        instant(starts_at)
            .is_some_and(|start| start - now >= Days::from_std(self.change_closes).unwrap_or_else(|_| Days::hours(24)))
    }
}

/// An RFC 3339 instant as UTC.
pub(crate) fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// A slot's local start, as `(day, time)`. Slots are stored with the Rome
/// offset, so the text already is local time.
pub(crate) fn local_day_time(starts_at: &str) -> (String, String) {
    (starts_at.get(0..10).unwrap_or_default().to_string(), starts_at.get(11..16).unwrap_or_default().to_string())
}

/// The local "now" as a prefix that sorts against stored slot times.
pub(crate) fn local_now_prefix(now: DateTime<Utc>) -> String {
    utc_to_rome(now).format("%Y-%m-%dT%H:%M").to_string()
}

pub(crate) fn short_code(prefix: &str) -> String {
    let id = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    format!("{prefix}-{}", &id[..8])
}

/// A prescription with what booking needs of its service.
struct Prescription {
    card: PrescriptionCard,
    kind: String,
    valid_until: NaiveDate,
    ticket_cents: i64,
    preparation: String,
}

type PrescriptionRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

async fn prescription(
    connection: &mut SqliteConnection,
    subject: &str,
    nre: &str,
    today: NaiveDate,
) -> Result<Option<Prescription>, sqlx::Error> {
    let row: Option<PrescriptionRow> = sqlx::query_as(
        "SELECT p.nre, p.kind, p.service_code, s.name, p.priority, p.prescriber, p.issued_on, p.valid_until,
                s.is_diagnostic, s.ticket_cents, s.preparation,
                (SELECT b.code FROM bookings b WHERE b.nre = p.nre AND b.status = 'active'),
                (SELECT w.reference FROM waiting_list w WHERE w.nre = p.nre AND w.status IN ('waiting', 'offered'))
           FROM prescriptions p LEFT JOIN outpatient_services s ON s.code = p.service_code
          WHERE p.nre = ?1 AND p.person = ?2",
    )
    .bind(nre)
    .bind(subject)
    .fetch_optional(&mut *connection)
    .await?;
    Ok(row.map(
        |(
            nre,
            kind,
            service,
            name,
            priority,
            prescriber,
            issued_on,
            valid_until,
            diagnostic,
            ticket,
            preparation,
            booking,
            waiting,
        )| {
            let priority = priority.as_deref().and_then(Priority::from_code).unwrap_or(Priority::P);
            let diagnostic = diagnostic == Some(1);
            let deadline = today + Days::days(i64::from(priority.max_wait_days(diagnostic)));
            Prescription {
                card: PrescriptionCard {
                    nre,
                    service_code: service.unwrap_or_default(),
                    service_name: name.unwrap_or_default(),
                    priority,
                    prescriber,
                    issued_on,
                    valid_until: valid_until.clone(),
                    deadline: deadline.to_string(),
                    booking_code: booking,
                    waiting_reference: waiting,
                },
                kind,
                valid_until: NaiveDate::parse_from_str(&valid_until, "%Y-%m-%d").unwrap_or(today),
                ticket_cents: ticket.unwrap_or_default(),
                preparation: preparation.unwrap_or_default(),
            }
        },
    ))
}

/// Why a prescription cannot be booked now (moving its own booking aside).
fn problem(prescription: Option<&Prescription>, today: NaiveDate, moving: Option<&str>) -> Option<NreProblem> {
    let Some(prescription) = prescription else { return Some(NreProblem::NotYours) };
    if prescription.kind != "specialist" {
        return Some(NreProblem::NotBookable);
    }
    if prescription.valid_until < today {
        return Some(NreProblem::Expired);
    }
    match (&prescription.card.booking_code, moving) {
        (Some(code), Some(moving)) if code == moving => None,
        (Some(_), _) => Some(NreProblem::AlreadyBooked),
        (None, _) => None,
    }
}

fn refused(problem: NreProblem) -> Notice {
    match problem {
        NreProblem::AlreadyBooked => Notice::Cup(CupNotice::PrescriptionAlreadyBooked),
        _ => Notice::Cup(CupNotice::NreNotUsable),
    }
}

/// The subject's exemption valid today, if any (it zeroes the ticket):
/// registered by the ASL or self-certified by income (not withdrawn).
async fn exemption(
    connection: &mut SqliteConnection,
    subject: &str,
    today: NaiveDate,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT code FROM exemptions WHERE person = ?1 AND valid_from <= ?2 AND (valid_until IS NULL OR valid_until >= ?2)
         UNION ALL
         SELECT code FROM income_exemption_declarations
          WHERE person = ?1 AND withdrawn_at IS NULL AND valid_from <= ?2 AND valid_until >= ?2
          ORDER BY code LIMIT 1",
    )
    .bind(subject)
    .bind(today.to_string())
    .fetch_optional(&mut *connection)
    .await
}

pub(crate) type PlaceRow = (i64, String, String, String, String, String, String, f64, f64);

pub(crate) const SELECT_PLACE: &str =
    "SELECT f.id, f.name, f.address, m.name, a.name, f.phone, f.asl_code, m.latitude, m.longitude
      FROM facilities f JOIN municipalities m ON m.belfiore = f.municipality JOIN asl a ON a.code = f.asl_code";

pub(crate) fn place(row: &PlaceRow) -> Place {
    let (facility_id, facility, address, town, asl, phone, _, _, _) = row.clone();
    Place { facility_id, facility, address, town, asl, phone }
}

/// "Free": no live booking, no open waiting-list offer and no live
/// vaccination or screening appointment holds it.
pub(crate) const FREE_SLOT: &str =
    "NOT EXISTS (SELECT 1 FROM bookings b WHERE b.slot_id = s.id AND b.status = 'active')
       AND NOT EXISTS (SELECT 1 FROM slot_offers o WHERE o.slot_id = s.id AND o.outcome IS NULL)
       AND NOT EXISTS (SELECT 1 FROM prevention_appointments a WHERE a.slot_id = s.id AND a.status = 'active')";

/// The earliest free slot of `service` at each facility of `kinds` (an SQL
/// list of facility kinds), after `from`: the slot engine the CUP shares
/// with the vaccination and screening appointments.
pub(crate) async fn earliest_by_facility(
    pool: &SqlitePool,
    service: &str,
    from: &str,
    kinds: &str,
) -> Result<Vec<(i64, i64, String)>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, Option<String>)> = sqlx::query_as(&format!(
        "SELECT f.id, s.id, s.starts_at FROM facilities f
           JOIN slots s ON s.id = (SELECT s.id FROM slots s
                                   WHERE s.service_code = ?1 AND s.facility_id = f.id AND s.starts_at > ?2 AND {FREE_SLOT}
                                   ORDER BY s.starts_at LIMIT 1)
          WHERE f.kind IN {kinds}"
    ))
    .bind(service)
    .bind(from)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(|(facility, slot, starts_at)| Some((facility, slot?, starts_at?))).collect())
}

async fn booking_card(
    connection: &mut SqliteConnection,
    subject: &str,
    code: &str,
    change: impl Fn(&str) -> bool,
) -> Result<Option<BookingCard>, sqlx::Error> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        String,
        i64,
        Option<String>,
        String,
        i64,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT b.code, b.nre, sv.name, p.priority, s.starts_at, b.ticket_cents, b.exemption, sv.preparation, s.facility_id,
                (SELECT pp.notice_code FROM payment_positions pp WHERE pp.booking_id = b.id AND pp.status <> 'cancelled'),
                (SELECT pp.status FROM payment_positions pp WHERE pp.booking_id = b.id AND pp.status <> 'cancelled')
           FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN outpatient_services sv ON sv.code = s.service_code
           JOIN prescriptions p ON p.nre = b.nre
          WHERE b.code = ?1 AND b.person = ?2 AND b.status = 'active'",
    )
    .bind(code)
    .bind(subject)
    .fetch_optional(&mut *connection)
    .await?;
    let Some((
        code,
        nre,
        service_name,
        priority,
        starts_at,
        ticket_cents,
        exemption,
        preparation,
        facility,
        notice_code,
        payment_status,
    )) = row
    else {
        return Ok(None);
    };
    let place_row: PlaceRow =
        sqlx::query_as(&format!("{SELECT_PLACE} WHERE f.id = ?1")).bind(facility).fetch_one(&mut *connection).await?;
    let (day, time) = local_day_time(&starts_at);
    Ok(Some(BookingCard {
        code,
        nre,
        service_name,
        priority: priority.as_deref().and_then(Priority::from_code).unwrap_or(Priority::P),
        place: place(&place_row),
        day,
        time,
        changeable: change(&starts_at),
        starts_at,
        ticket_cents,
        exemption,
        preparation,
        notice_code,
        ticket_paid: payment_status.as_deref() == Some("paid"),
    }))
}

#[async_trait]
impl Cup for SqlCup {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn overview(&self, principal: &Principal) -> Result<BookingsPage, AccessError> {
        self.check(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let nres: Vec<String> = sqlx::query_scalar(
            "SELECT nre FROM prescriptions WHERE person = ?1 AND kind = 'specialist' AND valid_until >= ?2
              ORDER BY issued_on DESC, nre",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_all(&mut *connection)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let mut prescriptions = Vec::new();
        for nre in nres {
            if let Some(found) = prescription(&mut connection, subject, &nre, today)
                .await
                .map_err(|e| self.trail.internal(principal, e))?
            {
                prescriptions.push(found.card);
            }
        }
        let codes: Vec<String> = sqlx::query_scalar(
            "SELECT b.code FROM bookings b JOIN slots s ON s.id = b.slot_id
              WHERE b.person = ?1 AND b.status = 'active' AND s.starts_at >= ?2 ORDER BY s.starts_at",
        )
        .bind(subject)
        .bind(today.to_string())
        .fetch_all(&mut *connection)
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let mut bookings = Vec::new();
        for code in codes {
            let card = booking_card(&mut connection, subject, &code, |starts| self.changeable(starts, now))
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
            bookings.extend(card);
        }
        let waiting =
            waiting_list::entries(&mut connection, subject).await.map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        self.trail.record(principal, AccessAction::Read, None).await?;
        Ok(BookingsPage { prescriptions, bookings, waiting })
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn search(&self, principal: &Principal, filter: &SearchFilter) -> Result<SearchOutcome, AccessError> {
        self.check(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let Ok(nre) = normalise_nre(&filter.nre) else {
            return Ok(SearchOutcome::Refused(NreProblem::Malformed));
        };
        let today = rome_today();
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let found =
            prescription(&mut connection, subject, &nre, today).await.map_err(|e| self.trail.internal(principal, e))?;
        if let Some(problem) = problem(found.as_ref(), today, filter.moving.as_deref()) {
            drop(connection);
            let owner = if found.is_none() { self.nre_owner(principal, &nre).await? } else { None };
            self.log_refusal(principal, owner, &nre).await?;
            return Ok(SearchOutcome::Refused(problem));
        }
        let Some(prescription) = found else { return Ok(SearchOutcome::Refused(NreProblem::NotYours)) };
        let moving = match &filter.moving {
            Some(code) => booking_card(&mut connection, subject, code, |starts| self.changeable(starts, now))
                .await
                .map_err(|e| self.trail.internal(principal, e))?
                .filter(|booking| booking.nre == nre),
            None => None,
        };
        let exemption =
            exemption(&mut connection, subject, today).await.map_err(|e| self.trail.internal(principal, e))?;
        let places: Vec<PlaceRow> =
            sqlx::query_as(&format!("{SELECT_PLACE} WHERE f.kind IN {AGENDA_FACILITIES} ORDER BY f.name"))
                .fetch_all(&mut *connection)
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        let towns: Vec<(String, String, f64, f64)> =
            sqlx::query_as("SELECT belfiore, name, latitude, longitude FROM municipalities ORDER BY name")
                .fetch_all(&mut *connection)
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        let asls: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM asl ORDER BY code")
            .fetch_all(&mut *connection)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        let earliest = earliest_by_facility(
            &self.pool,
            &prescription.card.service_code,
            &local_now_prefix(now),
            AGENDA_FACILITIES,
        )
        .await
        .map_err(|e| self.trail.internal(principal, e))?;
        let deadline = prescription.card.deadline.clone();
        let any_in_time_regionwide = earliest.iter().any(|(_, _, starts)| local_day_time(starts).0 <= deadline);
        let from = filter.town.as_ref().and_then(|code| towns.iter().find(|t| &t.0 == code)).map(|t| (t.2, t.3));
        let mut slots: Vec<SlotOption> = earliest
            .into_iter()
            .filter_map(|(facility, slot_id, starts_at)| {
                let row = places.iter().find(|p| p.0 == facility)?;
                let distance = from.map(|from| distance_tenths_km(from, (row.7, row.8)));
                let keep = filter.asl.as_ref().is_none_or(|asl| &row.6 == asl)
                    && filter.facility.is_none_or(|id| id == facility)
                    && filter.max_km.zip(distance).is_none_or(|(km, tenths)| tenths <= i64::from(km) * 10);
                let (day, time) = local_day_time(&starts_at);
                keep.then(|| SlotOption {
                    slot_id,
                    place: place(row),
                    within_deadline: day <= deadline,
                    day,
                    time,
                    starts_at,
                    distance_tenths_km: distance,
                })
            })
            .collect();
        slots.sort_by(|a, b| (&a.starts_at, a.distance_tenths_km).cmp(&(&b.starts_at, b.distance_tenths_km)));
        self.trail.record(principal, AccessAction::Read, Some(&nre)).await?;
        Ok(SearchOutcome::Found {
            results: Box::new(SearchResults {
                ticket_cents: if exemption.is_some() { 0 } else { prescription.ticket_cents },
                exemption,
                preparation: prescription.preparation.clone(),
                prescription: prescription.card,
                slots,
                asls: asls.into_iter().map(|(value, label)| Choice { value, label }).collect(),
                facilities: places
                    .iter()
                    .map(|p| Choice { value: p.0.to_string(), label: format!("{} ({})", p.1, p.3) })
                    .collect(),
                towns: towns.into_iter().map(|(value, label, _, _)| Choice { value, label }).collect(),
                moving,
            }),
            any_in_time_regionwide,
        })
    }

    #[tracing::instrument(skip_all, fields(slot_id), err(Debug, level = "info"))]
    async fn book(
        &self,
        principal: &Principal,
        nre: &str,
        slot_id: i64,
        moving: Option<&str>,
    ) -> Result<String, BookingError> {
        self.check(principal).await?;
        let subject = &principal.subject.fiscal_code;
        let nre = normalise_nre(nre).map_err(|_| BookingError::Refused(Notice::Cup(CupNotice::NreNotUsable)))?;
        let today = rome_today();
        let now = Utc::now();
        let internal = |e| BookingError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let outcome = async {
            let found = prescription(&mut tx, subject, &nre, today).await.map_err(internal)?;
            if let Some(problem) = problem(found.as_ref(), today, moving) {
                return Err(BookingError::Refused(refused(problem)));
            }
            let Some(prescription) = found else { return Err(BookingError::Refused(Notice::Cup(CupNotice::NreNotUsable))) };
            // An open waiting-list offer holds the slot for its prescription only.
            let slot: Option<(i64, String, String, Option<i64>, Option<String>)> = sqlx::query_as(
                "SELECT s.facility_id, s.service_code, s.starts_at, o.id, w.nre
                   FROM slots s LEFT JOIN slot_offers o ON o.slot_id = s.id AND o.outcome IS NULL
                   LEFT JOIN waiting_list w ON w.id = o.entry_id
                  WHERE s.id = ?1",
            )
            .bind(slot_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(internal)?;
            let Some((facility, service, starts_at, offer, offered_to)) = slot else {
                return Err(BookingError::Refused(Notice::Cup(CupNotice::SlotNotFound)));
            };
            if service != prescription.card.service_code {
                return Err(BookingError::Refused(Notice::Cup(CupNotice::SlotWrongService)));
            }
            if instant(&starts_at).is_none_or(|start| start <= now) {
                return Err(BookingError::Refused(Notice::Cup(CupNotice::SlotInPast)));
            }
            match (offer, offered_to) {
                (Some(offer), Some(holder)) if holder == nre => {
                    waiting_list::decide(&mut tx, offer, "accepted", now).await.map_err(internal)?;
                }
                (Some(_), _) => return Err(BookingError::SlotTaken),
                _ => {}
            }
            let mut old_booking = None;
            if let Some(code) = moving {
                let old: Option<(i64, String)> = sqlx::query_as(
                    "SELECT b.id, s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id
                      WHERE b.code = ?1 AND b.person = ?2 AND b.nre = ?3 AND b.status = 'active'",
                )
                .bind(code)
                .bind(subject)
                .bind(&nre)
                .fetch_optional(&mut *tx)
                .await
                .map_err(internal)?;
                let Some((old_id, old_start)) = old else { return Err(BookingError::Refused(Notice::Cup(CupNotice::BookingNotFound))) };
                if !self.changeable(&old_start, now) {
                    return Err(BookingError::Refused(Notice::Cup(CupNotice::ChangeClosed)));
                }
                sqlx::query("UPDATE bookings SET status = 'moved', ended_at = ?2 WHERE id = ?1")
                    .bind(old_id)
                    .bind(stored_instant(now))
                    .execute(&mut *tx)
                    .await
                    .map_err(internal)?;
                old_booking = Some(old_id);
            }
            let exemption = exemption(&mut tx, subject, today).await.map_err(internal)?;
            let ticket = if exemption.is_some() { 0 } else { prescription.ticket_cents };
            let code = short_code("PR");
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO bookings (code, nre, person, slot_id, status, ticket_cents, exemption, booked_by)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?7) RETURNING id",
            )
            .bind(&code)
            .bind(&nre)
            .bind(subject)
            .bind(slot_id)
            .bind(ticket)
            .bind(&exemption)
            .bind(&principal.actor.fiscal_code)
            .fetch_one(&mut *tx)
            .await;
            let booking_id = match inserted {
                Ok(id) => id,
                Err(error) if db::violates_unique(&error, "bookings.slot_id") => return Err(BookingError::SlotTaken),
                Err(error) if db::violates_unique(&error, "bookings.nre") => {
                    return Err(BookingError::Refused(Notice::Cup(CupNotice::PrescriptionAlreadyBooked)))
                }
                Err(error) => return Err(internal(error)),
            };
            // The ticket follows a moved booking (paid or not; a payable one
            // gets the new due date); a new booking gets its position.
            let moved_position = match old_booking {
                Some(old) => sqlx::query(
                    "UPDATE payment_positions SET booking_id = ?1, due_on = CASE WHEN status = 'payable' THEN ?3 ELSE due_on END
                      WHERE booking_id = ?2 AND status <> 'cancelled'",
                )
                    .bind(booking_id)
                    .bind(old)
                    .bind(local_day_time(&starts_at).0)
                    .execute(&mut *tx)
                    .await
                    .map_err(internal)?
                    .rows_affected(),
                None => 0,
            };
            if ticket > 0 && moved_position == 0 {
                let asl: String = sqlx::query_scalar("SELECT asl_code FROM facilities WHERE id = ?1")
                    .bind(facility)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(internal)?;
                let reason = format!("Ticket {} — prenotazione {code}", prescription.card.service_name);
                let due_on = local_day_time(&starts_at).0;
                crate::payments::create_position(&mut tx, subject, Some(booking_id), &asl, &reason, ticket, &due_on)
                    .await
                    .map_err(internal)?;
            }
            let released = waiting_list::close_for_booking(&mut tx, &nre, booking_id, now).await.map_err(internal)?;
            // The audit line commits with the booking, or neither does.
            self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(&code)).await?;
            Ok((code, old_booking.is_some() || released))
        }
        .await;
        let (code, freed_a_slot) = match outcome {
            Ok(done) => done,
            Err(error) => {
                let _ = tx.rollback().await;
                match &error {
                    // Someone else's prescription, or someone else's booking
                    // to move: the attempt goes to its owner's log.
                    BookingError::Refused(Notice::Cup(CupNotice::NreNotUsable)) => {
                        let owner = self.nre_owner(principal, &nre).await?;
                        self.log_refusal(principal, owner, &nre).await?;
                    }
                    BookingError::Refused(Notice::Cup(CupNotice::BookingNotFound)) => {
                        let code = moving.unwrap_or_default();
                        let owner = self.booking_owner(principal, code).await?;
                        self.log_refusal(principal, owner, code).await?;
                    }
                    BookingError::Refused(_) | BookingError::SlotTaken => {
                        self.trail.record(principal, AccessAction::Refused, Some(&nre)).await?;
                    }
                    BookingError::Access(_) => {}
                }
                return Err(error);
            }
        };
        tx.commit().await.map_err(internal)?;
        if freed_a_slot {
            // A moved booking's old slot, or a slot offered to this person
            // for the same prescription, is free again: the waiting list first.
            if let Err(error) = waiting_list::match_offers(&self.pool, self.offer_hold).await {
                tracing::warn!(%error, "waiting list matching after a move failed");
            }
        }
        Ok(code)
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn booking(&self, principal: &Principal, code: &str) -> Result<BookingCard, AccessError> {
        self.check(principal).await?;
        let now = Utc::now();
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let card =
            booking_card(&mut connection, &principal.subject.fiscal_code, code, |starts| self.changeable(starts, now))
                .await
                .map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        match card {
            Some(card) => {
                self.trail.record(principal, AccessAction::Read, Some(code)).await?;
                Ok(card)
            }
            None => {
                let owner = self.booking_owner(principal, code).await?;
                self.log_refusal(principal, owner, code).await?;
                Err(AccessError::NotAllowed)
            }
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn cancel(&self, principal: &Principal, code: &str) -> Result<(), BookingError> {
        self.check(principal).await?;
        let now = Utc::now();
        let internal = |e| BookingError::Access(self.trail.internal(principal, e));
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let booking: Option<(i64, String)> = sqlx::query_as(
            "SELECT b.id, s.starts_at FROM bookings b JOIN slots s ON s.id = b.slot_id
              WHERE b.code = ?1 AND b.person = ?2 AND b.status = 'active'",
        )
        .bind(code)
        .bind(&principal.subject.fiscal_code)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        let refusal = match &booking {
            None => Some(Notice::Cup(CupNotice::BookingNotFound)),
            Some((_, starts_at)) if !self.changeable(starts_at, now) => Some(Notice::Cup(CupNotice::ChangeClosed)),
            Some(_) => None,
        };
        if let Some(notice) = refusal {
            let _ = tx.rollback().await;
            let owner = if booking.is_none() { self.booking_owner(principal, code).await? } else { None };
            self.log_refusal(principal, owner, code).await?;
            return Err(BookingError::Refused(notice));
        }
        let Some((id, _)) = booking else { return Err(BookingError::Refused(Notice::Cup(CupNotice::BookingNotFound))) };
        sqlx::query("UPDATE bookings SET status = 'cancelled', ended_at = ?2 WHERE id = ?1")
            .bind(id)
            .bind(stored_instant(now))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        sqlx::query("UPDATE payment_positions SET status = 'cancelled' WHERE booking_id = ?1 AND status = 'payable'")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        if let Err(error) = self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(code)).await {
            let _ = tx.rollback().await;
            return Err(error.into());
        }
        tx.commit().await.map_err(internal)?;
        if let Err(error) = waiting_list::match_offers(&self.pool, self.offer_hold).await {
            tracing::warn!(%error, "waiting list matching after a cancellation failed");
        }
        Ok(())
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn join_waiting_list(&self, principal: &Principal, nre: &str) -> Result<String, BookingError> {
        self.check(principal).await?;
        let nre = normalise_nre(nre).map_err(|_| BookingError::Refused(Notice::Cup(CupNotice::NreNotUsable)))?;
        match waiting_list::join(&self.pool, &self.trail, principal, &nre).await {
            Ok(reference) => Ok(reference),
            Err(BookingError::Refused(Notice::Cup(CupNotice::NreNotUsable))) => {
                let owner = self.nre_owner(principal, &nre).await?;
                self.log_refusal(principal, owner, &nre).await?;
                Err(BookingError::Refused(Notice::Cup(CupNotice::NreNotUsable)))
            }
            Err(error) => Err(error),
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn waiting_entry(&self, principal: &Principal, reference: &str) -> Result<WaitingEntry, AccessError> {
        self.check(principal).await?;
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let entries = waiting_list::entries(&mut connection, &principal.subject.fiscal_code)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        match entries.into_iter().find(|entry| entry.reference == reference) {
            Some(entry) => {
                self.trail.record(principal, AccessAction::Read, Some(reference)).await?;
                Ok(entry)
            }
            None => {
                let owner =
                    self.owner_of(principal, "SELECT person FROM waiting_list WHERE reference = ?1", reference).await?;
                self.log_refusal(principal, owner, reference).await?;
                Err(AccessError::NotAllowed)
            }
        }
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn accept_offer(&self, principal: &Principal, offer_id: i64) -> Result<String, BookingError> {
        self.check(principal).await?;
        let open = waiting_list::open_offer(&self.pool, &principal.subject.fiscal_code, offer_id)
            .await
            .map_err(|e| BookingError::Access(self.trail.internal(principal, e)))?;
        let Some((nre, slot_id)) = open else {
            self.refuse_offer(principal, offer_id).await?;
            return Err(BookingError::Refused(Notice::Cup(CupNotice::OfferExpired)));
        };
        // Booking the held slot closes the offer in the same transaction.
        self.book(principal, &nre, slot_id, None).await
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn decline_offer(&self, principal: &Principal, offer_id: i64) -> Result<(), BookingError> {
        self.check(principal).await?;
        let internal = |e| BookingError::Access(self.trail.internal(principal, e));
        if waiting_list::open_offer(&self.pool, &principal.subject.fiscal_code, offer_id)
            .await
            .map_err(internal)?
            .is_none()
        {
            self.refuse_offer(principal, offer_id).await?;
            return Err(BookingError::Refused(Notice::Cup(CupNotice::OfferExpired)));
        }
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        waiting_list::decide(&mut tx, offer_id, "declined", Utc::now()).await.map_err(internal)?;
        self.trail
            .record_in(&mut tx, principal, AccessAction::Write, Some(&format!("offerta:{offer_id}:rifiutata")))
            .await?;
        tx.commit().await.map_err(internal)?;
        waiting_list::match_offers(&self.pool, self.offer_hold).await.map_err(internal)?;
        Ok(())
    }
}
