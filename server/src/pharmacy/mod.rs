//! Dematerialised drug prescriptions in SQL. Citizens see theirs and switch
//! the consent to retrieval by health card; a pharmacist (role and pharmacy
//! from the identity provider) looks a citizen up by card, and sees only
//! "consent missing" without it; dispensing is one `BEGIN IMMEDIATE`
//! transaction guarded by a trigger (migration `20261123000005_pharmacy.sql`).
//! Every lookup and dispensation lands in the citizen's access log.

pub mod routes;

use app::access_log::model::AccessAction;
use app::domain::fiscal_code::FiscalCode;
use app::domain::health_card::normalise_card_number;
use app::identity::model::{Capability, Person, Principal, Relation, Role};
use app::identity::AccessError;
use app::notice::Notice;
use app::pharmacy::model::{CardLookup, Dispensation, DrugPrescription, Line, MyPrescriptions, PrescriptionStatus};
use app::pharmacy::notice::PharmacyNotice;
use app::pharmacy::port::{DispenseError, Prescriptions};
use async_trait::async_trait;
use chrono::{Duration, NaiveDate, Utc};
use sqlx::{AnyConnection, AnyPool};

use crate::access_log::AuditTrail;
use crate::clock::{rome_today, stored_as_rome_minutes, stored_instant};
use crate::consent::ConsentLedger;
use crate::db::{self, rules};

const CAPABILITY: &str = "ricette";
/// How long a card stays at the pharmacist's counter.
const COUNTER_MINUTES: i64 = 15;

pub struct SqlPrescriptions {
    pool: AnyPool,
    trail: AuditTrail,
}

#[derive(sqlx::FromRow)]
struct CardHolderRow {
    fiscal_code: String,
    given_name: String,
    family_name: String,
    health_card_number: String,
    health_card_expiry: String,
}

impl SqlPrescriptions {
    pub fn new(pool: AnyPool) -> SqlPrescriptions {
        SqlPrescriptions { trail: AuditTrail::new(pool.clone(), CAPABILITY), pool }
    }

    fn pharmacy(pharmacist: &Principal) -> Result<i64, AccessError> {
        match (pharmacist.role, pharmacist.pharmacy_id.as_deref().and_then(|id| id.parse().ok())) {
            (Role::Pharmacist, Some(id)) => Ok(id),
            _ => Err(AccessError::NotAllowed),
        }
    }

    async fn consent_given(&self, person: &str) -> Result<bool, sqlx::Error> {
        ConsentLedger::PrescriptionsByCard.given(&self.pool, person).await
    }

    /// Checks the card against the registry: the patient, or why not.
    async fn card_holder(
        &self,
        fiscal_code: &str,
        card_number: &str,
        today: NaiveDate,
    ) -> Result<Result<Person, CardLookup>, sqlx::Error> {
        let Ok(code) = FiscalCode::parse(fiscal_code) else { return Ok(Err(CardLookup::BadFiscalCode)) };
        let Some(card) = normalise_card_number(card_number) else { return Ok(Err(CardLookup::BadCardNumber)) };
        let row: Option<CardHolderRow> = sqlx::query_as(
            "SELECT fiscal_code, given_name, family_name, health_card_number, health_card_expiry FROM people WHERE fiscal_code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(&self.pool)
        .await?;
        // An unknown person and a wrong card get the same answer.
        let Some(CardHolderRow { fiscal_code, given_name, family_name, health_card_expiry: expiry, .. }) =
            row.filter(|row| row.health_card_number == card)
        else {
            return Ok(Err(CardLookup::CardMismatch));
        };
        if NaiveDate::parse_from_str(&expiry, "%Y-%m-%d").is_ok_and(|day| day < today) {
            return Ok(Err(CardLookup::CardExpired(expiry)));
        }
        Ok(Ok(Person { fiscal_code, given_name, family_name }))
    }

    /// Card and consent checked, the patient's valid or dispensed
    /// prescriptions; audited on the patient's record.
    async fn serve(
        &self,
        pharmacist: &Principal,
        fiscal_code: &str,
        card_number: &str,
    ) -> Result<CardLookup, AccessError> {
        let today = rome_today();
        let patient = match self
            .card_holder(fiscal_code, card_number, today)
            .await
            .map_err(|e| self.trail.internal(pharmacist, e))?
        {
            Ok(patient) => patient,
            Err(refusal) => return Ok(refusal),
        };
        let on_record = Principal { subject: patient.clone(), relation: Relation::Own, ..pharmacist.clone() };
        if !self.consent_given(&patient.fiscal_code).await.map_err(|e| self.trail.internal(pharmacist, e))? {
            self.trail.record(&on_record, AccessAction::Refused, Some("consenso-tessera-mancante")).await?;
            return Ok(CardLookup::ConsentMissing);
        }
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(pharmacist, e))?;
        let prescriptions = prescriptions_of(&mut connection, &patient.fiscal_code, today)
            .await
            .map_err(|e| self.trail.internal(pharmacist, e))?
            .into_iter()
            .filter(|p| p.status != PrescriptionStatus::Expired)
            .collect();
        drop(connection);
        self.trail.record(&on_record, AccessAction::Read, Some("tessera-sanitaria")).await?;
        Ok(CardLookup::Prescriptions { patient, prescriptions })
    }

    async fn counter_card(&self, pharmacist: &Principal) -> Result<Option<(String, String)>, sqlx::Error> {
        let since = stored_instant(Utc::now() - Duration::minutes(COUNTER_MINUTES));
        sqlx::query_as(
            "SELECT fiscal_code, card_number FROM pharmacy_counter WHERE pharmacist = $1 AND looked_up_at > $2",
        )
        .bind(&pharmacist.actor.fiscal_code)
        .bind(since)
        .fetch_optional(&self.pool)
        .await
    }
}

async fn dispensations(connection: &mut AnyConnection, line: i64) -> Result<Vec<Dispensation>, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT f.name, d.dispensed_at, d.boxes FROM dispensations d JOIN facilities f ON f.id = d.pharmacy_id
          WHERE d.line_id = $1 ORDER BY d.id",
    )
    .bind(line)
    .fetch_all(&mut *connection)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(pharmacy, at, boxes)| Dispensation { pharmacy, at_local: stored_as_rome_minutes(&at), boxes })
        .collect())
}

#[derive(sqlx::FromRow)]
struct PrescriptionRow {
    nre: String,
    colour: String,
    prescriber: String,
    issued_on: String,
    valid_until: String,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    drug: String,
    dosage: String,
    boxes: i64,
}

/// A person's drug prescriptions, newest first, with lines and dispensations.
async fn prescriptions_of(
    connection: &mut AnyConnection,
    person: &str,
    today: NaiveDate,
) -> Result<Vec<DrugPrescription>, sqlx::Error> {
    let rows: Vec<PrescriptionRow> = sqlx::query_as(
        "SELECT nre, colour, prescriber, issued_on, valid_until FROM prescriptions
          WHERE person = $1 AND kind = 'pharmaceutical' ORDER BY issued_on DESC, nre",
    )
    .bind(person)
    .fetch_all(&mut *connection)
    .await?;
    let mut prescriptions = Vec::with_capacity(rows.len());
    for PrescriptionRow { nre, colour, prescriber, issued_on, valid_until } in rows {
        let line_rows: Vec<LineRow> =
            sqlx::query_as("SELECT id, drug, dosage, boxes FROM prescription_lines WHERE nre = $1 ORDER BY id")
                .bind(&nre)
                .fetch_all(&mut *connection)
                .await?;
        let mut lines = Vec::with_capacity(line_rows.len());
        for LineRow { id, drug, dosage, boxes } in line_rows {
            let dispensations = dispensations(connection, id).await?;
            let dispensed_boxes = dispensations.iter().map(|d| d.boxes).sum();
            lines.push(Line { id, drug, dosage, boxes, dispensed_boxes, dispensations });
        }
        let valid = NaiveDate::parse_from_str(&valid_until, "%Y-%m-%d").is_ok_and(|day| day >= today);
        let (prescribed, dispensed) =
            lines.iter().fold((0, 0), |(p, d), line| (p + line.boxes, d + line.dispensed_boxes));
        prescriptions.push(DrugPrescription {
            nre,
            red: colour == "red",
            prescriber,
            issued_on,
            valid_until,
            status: PrescriptionStatus::of(prescribed, dispensed, valid),
            lines,
        });
    }
    Ok(prescriptions)
}

#[async_trait]
impl Prescriptions for SqlPrescriptions {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn mine(&self, principal: &Principal) -> Result<MyPrescriptions, AccessError> {
        if principal.role != Role::Citizen {
            return Err(AccessError::NotAllowed);
        }
        if !principal.may(Capability::Ricette) {
            self.trail.record(principal, AccessAction::Refused, None).await?;
            return Err(AccessError::NotAllowed);
        }
        let subject = &principal.subject.fiscal_code;
        let mut connection = self.pool.acquire().await.map_err(|e| self.trail.internal(principal, e))?;
        let prescriptions = prescriptions_of(&mut connection, subject, rome_today())
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        drop(connection);
        let consent_given = self.consent_given(subject).await.map_err(|e| self.trail.internal(principal, e))?;
        self.trail.record(principal, AccessAction::Read, None).await?;
        Ok(MyPrescriptions {
            prescriptions,
            consent_given,
            can_change: matches!(principal.relation, Relation::Own | Relation::Parent),
        })
    }

    #[tracing::instrument(skip_all, fields(given), err(Debug, level = "info"))]
    async fn set_consent(&self, principal: &Principal, given: bool) -> Result<(), AccessError> {
        if principal.role != Role::Citizen || !matches!(principal.relation, Relation::Own | Relation::Parent) {
            self.trail.record(principal, AccessAction::Refused, Some("consenso-tessera")).await?;
            return Err(AccessError::NotAllowed);
        }
        let subject = &principal.subject.fiscal_code;
        let mut tx = db::begin(&self.pool).await.map_err(|e| self.trail.internal(principal, e))?;
        ConsentLedger::PrescriptionsByCard
            .record(&mut tx, subject, given, &principal.actor.fiscal_code)
            .await
            .map_err(|e| self.trail.internal(principal, e))?;
        let record = if given { "consenso-tessera:dato" } else { "consenso-tessera:revocato" };
        // The audit line commits with the consent, or neither does.
        self.trail.record_in(&mut tx, principal, AccessAction::Write, Some(record)).await?;
        tx.commit().await.map_err(|e| self.trail.internal(principal, e))
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn lookup(
        &self,
        pharmacist: &Principal,
        fiscal_code: &str,
        card_number: &str,
    ) -> Result<CardLookup, AccessError> {
        Self::pharmacy(pharmacist)?;
        let fiscal_code = fiscal_code.trim().to_uppercase();
        let card_number: String = card_number.chars().filter(|c| !c.is_whitespace()).collect();
        let found = self.serve(pharmacist, &fiscal_code, &card_number).await?;
        match &found {
            CardLookup::ConsentMissing | CardLookup::Prescriptions { .. } => {
                sqlx::query(
                    "INSERT INTO pharmacy_counter (pharmacist, fiscal_code, card_number) VALUES ($1, $2, $3)
                     ON CONFLICT (pharmacist) DO UPDATE SET fiscal_code = $2, card_number = $3,
                        looked_up_at = excluded.looked_up_at",
                )
                .bind(&pharmacist.actor.fiscal_code)
                .bind(&fiscal_code)
                .bind(&card_number)
                .execute(&self.pool)
                .await
                .map_err(|e| self.trail.internal(pharmacist, e))?;
            }
            _ => {
                self.close_counter(pharmacist).await?;
            }
        }
        Ok(found)
    }

    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn counter(&self, pharmacist: &Principal) -> Result<CardLookup, AccessError> {
        Self::pharmacy(pharmacist)?;
        match self.counter_card(pharmacist).await.map_err(|e| self.trail.internal(pharmacist, e))? {
            Some((fiscal_code, card_number)) => self.serve(pharmacist, &fiscal_code, &card_number).await,
            None => Ok(CardLookup::NoCard),
        }
    }

    async fn close_counter(&self, pharmacist: &Principal) -> Result<(), AccessError> {
        sqlx::query("DELETE FROM pharmacy_counter WHERE pharmacist = $1")
            .bind(&pharmacist.actor.fiscal_code)
            .execute(&self.pool)
            .await
            .map_err(|e| self.trail.internal(pharmacist, e))?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(line_id, boxes), err(Debug, level = "info"))]
    async fn dispense(&self, pharmacist: &Principal, line_id: i64, boxes: i64) -> Result<(), DispenseError> {
        let pharmacy = Self::pharmacy(pharmacist)?;
        let internal = |e| DispenseError::Access(self.trail.internal(pharmacist, e));
        let Some((fiscal_code, card_number)) = self.counter_card(pharmacist).await.map_err(internal)? else {
            return Err(DispenseError::Lookup(CardLookup::NoCard));
        };
        // Card and consent again: the citizen may have withdrawn it meanwhile.
        let patient = match self.serve(pharmacist, &fiscal_code, &card_number).await? {
            CardLookup::Prescriptions { patient, .. } => patient,
            other => return Err(DispenseError::Lookup(other)),
        };
        if boxes < 1 {
            return Err(DispenseError::Refused(Notice::Pharmacy(PharmacyNotice::DispenseBadBoxes)));
        }
        let on_record = Principal { subject: patient.clone(), relation: Relation::Own, ..pharmacist.clone() };
        let today = rome_today();
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        let line: Option<(i64, String)> = sqlx::query_as(
            "SELECT CAST(l.boxes - coalesce((SELECT sum(d.boxes) FROM dispensations d WHERE d.line_id = l.id), 0) AS BIGINT), p.valid_until
               FROM prescription_lines l JOIN prescriptions p ON p.nre = l.nre
              WHERE l.id = $1 AND p.person = $2 AND p.kind = 'pharmaceutical'",
        )
        .bind(line_id)
        .bind(&patient.fiscal_code)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        let refusal = match &line {
            None => Some(Notice::Pharmacy(PharmacyNotice::LineNotFound)),
            Some((_, valid_until)) if NaiveDate::parse_from_str(valid_until, "%Y-%m-%d").is_ok_and(|d| d < today) => {
                Some(Notice::Pharmacy(PharmacyNotice::PrescriptionExpired))
            }
            Some((remaining, _)) if *remaining > 0 && boxes > *remaining => {
                Some(Notice::Pharmacy(PharmacyNotice::DispenseTooManyBoxes))
            }
            _ => None,
        };
        if let Some(notice) = refusal {
            let _ = tx.rollback().await;
            if line.is_none() {
                // A line of another person's prescription: the attempt goes
                // to that person's log.
                let owner: Option<String> = sqlx::query_scalar(
                    "SELECT p.person FROM prescription_lines l JOIN prescriptions p ON p.nre = l.nre WHERE l.id = $1",
                )
                .bind(line_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(internal)?;
                if let Some(owner) = owner.filter(|owner| *owner != patient.fiscal_code) {
                    self.trail.refused_on(pharmacist, &owner, Some(&format!("riga:{line_id}"))).await?;
                }
            }
            return Err(DispenseError::Refused(notice));
        }
        let inserted =
            sqlx::query("INSERT INTO dispensations (line_id, pharmacy_id, pharmacist, boxes) VALUES ($1, $2, $3, $4)")
                .bind(line_id)
                .bind(pharmacy)
                .bind(&pharmacist.actor.fiscal_code)
                .bind(boxes)
                .execute(&mut *tx)
                .await;
        match inserted {
            Ok(_) => {
                // The audit line commits with the dispensation, or neither does.
                let record = format!("riga:{line_id}:{boxes}");
                if let Err(error) = self.trail.record_in(&mut tx, &on_record, AccessAction::Write, Some(&record)).await
                {
                    let _ = tx.rollback().await;
                    return Err(error.into());
                }
                tx.commit().await.map_err(internal)?;
                Ok(())
            }
            Err(error) if db::refused_by(&error, rules::LINE_DISPENSED) => {
                let _ = tx.rollback().await;
                let mut connection = self.pool.acquire().await.map_err(internal)?;
                let last = dispensations(&mut connection, line_id).await.map_err(internal)?.pop();
                drop(connection);
                self.trail
                    .record(&on_record, AccessAction::Refused, Some(&format!("riga:{line_id}:gia-dispensata")))
                    .await?;
                let (pharmacy, at_local) = last.map(|d| (d.pharmacy, d.at_local)).unwrap_or_default();
                Err(DispenseError::AlreadyDispensed { pharmacy, at_local })
            }
            Err(error) => {
                let _ = tx.rollback().await;
                Err(internal(error))
            }
        }
    }
}
