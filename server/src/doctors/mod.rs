//! Family doctor (MMG) and paediatrician (PLS) in SQL: who may see and
//! choose for whom, the search in the territorial area, and the choice —
//! one transaction that ends the previous choice and inserts the new one,
//! with the massimale enforced by the database (migration
//! `20261123000002_doctor_choice.sql`).

pub mod pdf;
pub mod routes;

use app::access_log::model::AccessAction;
use app::doctors::model::{ChoiceConfirmation, DoctorCard, DoctorFilter, DoctorsPage, ForWhom, PersonDoctor};
use app::doctors::notice::DoctorNotice;
use app::doctors::port::Doctors;
use app::domain::family_doctor::{availability, check_kind, kinds_for_age, Availability, DoctorKind, KindRefusal};
use app::domain::geo::distance_tenths_km;
use app::identity::model::{Capability, Person, Principal, Relation};
use app::identity::AccessError;
use app::notice::Notice;
use app::notice::WriteError;
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::AnyPool;

use crate::access_log;
use crate::clock::rome_today;
use crate::db::{self, rules};
use crate::identity::acting::{self, adult_born_on_or_before};

pub struct SqlDoctors {
    pool: AnyPool,
}

impl SqlDoctors {
    pub fn new(pool: AnyPool) -> SqlDoctors {
        SqlDoctors { pool }
    }
}

/// A resident as the doctor rules need them.
#[derive(Clone, Debug)]
struct Resident {
    person: Person,
    birth: NaiveDate,
    care_area_id: i64,
    care_area: String,
    latitude: f64,
    longitude: f64,
}

/// A resident, with their care area's id and name and their town's position.
#[derive(sqlx::FromRow)]
struct ResidentRow {
    fiscal_code: String,
    given_name: String,
    family_name: String,
    birth_date: String,
    id: i64,
    name: String,
    latitude: f64,
    longitude: f64,
}

const SELECT_RESIDENT: &str = "
    SELECT p.fiscal_code, p.given_name, p.family_name, p.birth_date, ca.id, ca.name, m.latitude, m.longitude
      FROM people p
      JOIN municipalities m ON m.belfiore = p.municipality
      JOIN care_areas ca ON ca.id = m.care_area_id";

fn resident(row: ResidentRow) -> Resident {
    let ResidentRow {
        fiscal_code,
        given_name,
        family_name,
        birth_date: birth,
        id: care_area_id,
        name: care_area,
        latitude,
        longitude,
    } = row;
    Resident {
        person: Person { fiscal_code, given_name, family_name },
        birth: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or_default(),
        care_area_id,
        care_area,
        latitude,
        longitude,
    }
}

/// Age in whole years as the doctor rules take it.
fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    u32::try_from(acting::age_on(birth, day)).unwrap_or(0)
}

fn internal(principal: &Principal, error: sqlx::Error) -> AccessError {
    crate::db::failure::query_failed(principal, "family doctor", error)
}

/// The principal as seen from a child's record (a parent acting for them).
fn for_person(principal: &Principal, person: &Person, for_whom: ForWhom) -> Principal {
    match for_whom {
        ForWhom::Subject => principal.clone(),
        ForWhom::Child => Principal { subject: person.clone(), relation: Relation::Parent, ..principal.clone() },
    }
}

/// A doctor, with their town's position and how many people chose them.
#[derive(sqlx::FromRow)]
struct DoctorRow {
    id: i64,
    kind: String,
    name: String,
    surgery_address: String,
    town: String,
    phone: String,
    hours: String,
    languages: String,
    latitude: f64,
    longitude: f64,
    max_patients: i64,
    current_patients: i64,
}

const SELECT_DOCTOR: &str = "
    SELECT d.id, d.kind, d.given_name || ' ' || d.family_name AS name, d.surgery_address, m.name AS town, d.phone,
           d.hours, d.languages, m.latitude, m.longitude, d.max_patients,
           (SELECT count(*) FROM doctor_choices c WHERE c.doctor_id = d.id AND c.ended_on IS NULL) AS current_patients
      FROM doctors d JOIN municipalities m ON m.belfiore = d.municipality";

fn doctor_card(row: DoctorRow, from: (f64, f64)) -> DoctorCard {
    let DoctorRow {
        id,
        kind,
        name,
        surgery_address: address,
        town,
        phone,
        hours,
        languages,
        latitude,
        longitude,
        max_patients,
        current_patients: current,
    } = row;
    DoctorCard {
        id,
        kind: DoctorKind::from_code(&kind).unwrap_or(DoctorKind::Mmg),
        name,
        address,
        town,
        phone,
        hours,
        languages: languages.split(',').map(|code| code.trim().to_string()).filter(|c| !c.is_empty()).collect(),
        availability: availability(current, max_patients),
        distance_tenths_km: distance_tenths_km(from, (latitude, longitude)),
    }
}

impl SqlDoctors {
    /// The people whose doctor `principal` may see and choose: the subject
    /// (with the "Medico di famiglia" right), and — acting for oneself —
    /// one's minor children.
    async fn people(&self, principal: &Principal) -> Result<Vec<(Resident, ForWhom)>, sqlx::Error> {
        let mut people = Vec::new();
        if principal.may(Capability::Medico) {
            let subject: Option<ResidentRow> = sqlx::query_as(&format!("{SELECT_RESIDENT} WHERE p.fiscal_code = $1"))
                .bind(&principal.subject.fiscal_code)
                .fetch_optional(&self.pool)
                .await?;
            people.extend(subject.map(|row| (resident(row), ForWhom::Subject)));
        }
        if principal.acts_for_self() {
            let children: Vec<ResidentRow> = sqlx::query_as(&format!(
                "{SELECT_RESIDENT} JOIN guardianships g ON g.child = p.fiscal_code
                  WHERE g.parent = $1 AND p.birth_date > $2 ORDER BY p.birth_date"
            ))
            .bind(&principal.actor.fiscal_code)
            .bind(adult_born_on_or_before(rome_today()).to_string())
            .fetch_all(&self.pool)
            .await?;
            people.extend(children.into_iter().map(|row| (resident(row), ForWhom::Child)));
        }
        Ok(people)
    }

    async fn current(&self, resident: &Resident) -> Result<Option<(i64, String, DoctorCard)>, sqlx::Error> {
        let choice: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, doctor_id, started_on FROM doctor_choices WHERE person = $1 AND ended_on IS NULL",
        )
        .bind(&resident.person.fiscal_code)
        .fetch_optional(&self.pool)
        .await?;
        let Some((choice_id, doctor_id, since)) = choice else {
            return Ok(None);
        };
        let doctor: DoctorRow =
            sqlx::query_as(&format!("{SELECT_DOCTOR} WHERE d.id = $1")).bind(doctor_id).fetch_one(&self.pool).await?;
        Ok(Some((choice_id, since, doctor_card(doctor, (resident.latitude, resident.longitude)))))
    }

    async fn person_doctor(&self, resident: &Resident, for_whom: ForWhom) -> Result<PersonDoctor, sqlx::Error> {
        let age = age_on(resident.birth, rome_today());
        let current = self.current(resident).await?;
        Ok(PersonDoctor {
            person: resident.person.clone(),
            for_whom,
            age,
            care_area: resident.care_area.clone(),
            choice_id: current.as_ref().map(|(id, _, _)| *id),
            since: current.as_ref().map(|(_, since, _)| since.clone()),
            current: current.map(|(_, _, doctor)| doctor),
            allowed_kinds: kinds_for_age(age).to_vec(),
        })
    }

    /// Doctors of the resident's area of one kind: with places first, then
    /// nearest, then by name.
    async fn area_doctors(&self, resident: &Resident, kind: DoctorKind) -> Result<Vec<DoctorCard>, sqlx::Error> {
        let rows: Vec<DoctorRow> =
            sqlx::query_as(&format!("{SELECT_DOCTOR} WHERE d.care_area_id = $1 AND d.kind = $2"))
                .bind(resident.care_area_id)
                .bind(kind.code())
                .fetch_all(&self.pool)
                .await?;
        let mut doctors: Vec<DoctorCard> =
            rows.into_iter().map(|row| doctor_card(row, (resident.latitude, resident.longitude))).collect();
        doctors.sort_by(|a, b| {
            (a.availability == Availability::Full, a.distance_tenths_km, &a.name).cmp(&(
                b.availability == Availability::Full,
                b.distance_tenths_km,
                &b.name,
            ))
        });
        Ok(doctors)
    }

    /// An entry about the principal's subject; a read is logged before it
    /// is answered, and a failed log fails the read.
    async fn record(
        &self,
        principal: &Principal,
        action: AccessAction,
        record_id: Option<&str>,
    ) -> Result<(), AccessError> {
        access_log::record(&self.pool, principal, Capability::Medico.slug(), action, record_id)
            .await
            .map_err(|e| internal(principal, e))
    }
}

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    person: String,
    doctor_id: i64,
    started_on: String,
    chosen_by: Option<String>,
}

#[async_trait]
impl Doctors for SqlDoctors {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn page(&self, principal: &Principal, filter: &DoctorFilter) -> Result<DoctorsPage, AccessError> {
        let people = self.people(principal).await.map_err(|e| internal(principal, e))?;
        if people.is_empty() {
            self.record(principal, AccessAction::Refused, None).await?;
            return Err(AccessError::NotAllowed);
        }
        let named = filter.person.as_deref().filter(|code| !code.is_empty());
        let searching_for = named.and_then(|code| people.iter().position(|(r, _)| r.person.fiscal_code == code));
        if let (Some(code), None) = (named, searching_for) {
            // A search for someone the actor may not act for: their log shows it.
            access_log::refused_on_named_person(&self.pool, principal, code, Capability::Medico.slug(), None)
                .await
                .map_err(|e| internal(principal, e))?;
            return Err(AccessError::NotAllowed);
        }
        let searching_for = searching_for.unwrap_or(0);
        let mut shown = Vec::with_capacity(people.len());
        for (resident, for_whom) in &people {
            shown.push(self.person_doctor(resident, *for_whom).await.map_err(|e| internal(principal, e))?);
            // Someone else's doctor seen by a parent or delegate is recorded.
            let seen_as = for_person(principal, &resident.person, *for_whom);
            if !seen_as.acts_for_self() {
                self.record(&seen_as, AccessAction::Read, None).await?;
            }
        }
        let (resident, _) = &people[searching_for];
        let searched = &shown[searching_for];
        let kind = filter
            .kind
            .filter(|kind| searched.allowed_kinds.contains(kind))
            .or(searched.current.as_ref().map(|doctor| doctor.kind).filter(|k| searched.allowed_kinds.contains(k)))
            .or(searched.allowed_kinds.first().copied());
        let mut results = match kind {
            Some(kind) => self.area_doctors(resident, kind).await.map_err(|e| internal(principal, e))?,
            None => Vec::new(),
        };
        let mut languages: Vec<String> = results.iter().flat_map(|d| d.languages.clone()).collect();
        languages.sort();
        languages.dedup();
        if filter.only_available {
            results.retain(|doctor| doctor.availability != Availability::Full);
        }
        if let Some(language) = &filter.language {
            results.retain(|doctor| doctor.languages.contains(language));
        }
        Ok(DoctorsPage { people: shown, searching_for, kind, results, languages })
    }

    #[tracing::instrument(skip_all, fields(doctor = doctor_id), err(Debug, level = "info"))]
    async fn choose(&self, principal: &Principal, person: &str, doctor_id: i64) -> Result<i64, WriteError> {
        let people = self.people(principal).await.map_err(|e| internal(principal, e))?;
        let Some((resident, for_whom)) = people.into_iter().find(|(r, _)| r.person.fiscal_code == person) else {
            tracing::warn!("doctor choice for a person the actor may not act for");
            access_log::refused_on_named_person(&self.pool, principal, person, Capability::Medico.slug(), None)
                .await
                .map_err(|e| internal(principal, e))?;
            return Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorNotAllowed)));
        };
        let acting = for_person(principal, &resident.person, for_whom);
        let doctor: Option<(String, i64)> = sqlx::query_as("SELECT kind, care_area_id FROM doctors WHERE id = $1")
            .bind(doctor_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| internal(principal, e))?;
        let Some((kind, care_area_id)) = doctor else {
            return Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorNotFound)));
        };
        if care_area_id != resident.care_area_id {
            return Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorOutOfArea)));
        }
        let kind =
            DoctorKind::from_code(&kind).ok_or(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorNotFound)))?;
        check_kind(kind, age_on(resident.birth, rome_today())).map_err(|refusal| {
            WriteError::Refused(match refusal {
                KindRefusal::TooYoungForMmg => Notice::Doctors(DoctorNotice::DoctorTooYoungForMmg),
                KindRefusal::TooOldForPls => Notice::Doctors(DoctorNotice::DoctorTooOldForPls),
            })
        })?;
        let today = rome_today().to_string();
        // IMMEDIATE: take the write lock first, so concurrent choices queue
        // instead of failing to upgrade a read lock.
        let mut tx = db::begin(&self.pool).await.map_err(|e| internal(principal, e))?;
        let current: Option<i64> =
            sqlx::query_scalar("SELECT doctor_id FROM doctor_choices WHERE person = $1 AND ended_on IS NULL")
                .bind(person)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| internal(principal, e))?;
        if current == Some(doctor_id) {
            // Roll back now: a dropped transaction would keep the write
            // lock until its connection is next used.
            let _ = tx.rollback().await;
            return Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorSame)));
        }
        sqlx::query("UPDATE doctor_choices SET ended_on = $2 WHERE person = $1 AND ended_on IS NULL")
            .bind(person)
            .bind(&today)
            .execute(&mut *tx)
            .await
            .map_err(|e| internal(principal, e))?;
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO doctor_choices (person, doctor_id, started_on, chosen_by) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(person)
        .bind(doctor_id)
        .bind(&today)
        .bind(&principal.actor.fiscal_code)
        .fetch_one(&mut *tx)
        .await;
        let choice_id = match inserted {
            Ok(id) => id,
            Err(error) if db::refused_by(&error, rules::DOCTOR_FULL) => {
                // The rollback undoes the revocation too.
                let _ = tx.rollback().await;
                return Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorFull)));
            }
            Err(error) => {
                let _ = tx.rollback().await;
                return Err(internal(principal, error).into());
            }
        };
        // The audit line commits with the choice, or neither does.
        let record = format!("scelta-{choice_id}");
        let subject = &acting.subject.fiscal_code;
        if let Err(error) = access_log::record_in(
            &mut *tx,
            &acting,
            subject,
            Capability::Medico.slug(),
            AccessAction::Write,
            Some(&record),
        )
        .await
        {
            let _ = tx.rollback().await;
            return Err(internal(principal, error).into());
        }
        tx.commit().await.map_err(|e| internal(principal, e))?;
        tracing::info!(choice = choice_id, "family doctor chosen");
        Ok(choice_id)
    }

    #[tracing::instrument(skip_all, fields(choice = choice_id), err(Debug, level = "info"))]
    async fn confirmation(&self, principal: &Principal, choice_id: i64) -> Result<ChoiceConfirmation, AccessError> {
        let choice: Option<ChoiceRow> =
            sqlx::query_as("SELECT person, doctor_id, started_on, chosen_by FROM doctor_choices WHERE id = $1")
                .bind(choice_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| internal(principal, e))?;
        let Some(ChoiceRow { person, doctor_id, started_on: since, chosen_by }) = choice else {
            return Err(AccessError::NotAllowed);
        };
        let people = self.people(principal).await.map_err(|e| internal(principal, e))?;
        let Some((resident, for_whom)) = people.into_iter().find(|(r, _)| r.person.fiscal_code == person) else {
            // Another person's choice: the attempt goes to their log.
            let record = format!("scelta-{choice_id}");
            access_log::record_in(
                &self.pool,
                principal,
                &person,
                Capability::Medico.slug(),
                AccessAction::Refused,
                Some(&record),
            )
            .await
            .map_err(|e| internal(principal, e))?;
            return Err(AccessError::NotAllowed);
        };
        let doctor: DoctorRow = sqlx::query_as(&format!("{SELECT_DOCTOR} WHERE d.id = $1"))
            .bind(doctor_id)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| internal(principal, e))?;
        let asl: String = sqlx::query_scalar(
            "SELECT a.name FROM care_areas ca JOIN districts d ON d.id = ca.district_id JOIN asl a ON a.code = d.asl_code
              WHERE ca.id = $1",
        )
        .bind(resident.care_area_id)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| internal(principal, e))?;
        let chooser: Option<(String, String, String)> =
            sqlx::query_as("SELECT fiscal_code, given_name, family_name FROM people WHERE fiscal_code = $1")
                .bind(chosen_by.as_deref().unwrap_or_default())
                .fetch_optional(&self.pool)
                .await
                .map_err(|e| internal(principal, e))?;
        self.record(
            &for_person(principal, &resident.person, for_whom),
            AccessAction::Read,
            Some(&format!("scelta-{choice_id}")),
        )
        .await?;
        Ok(ChoiceConfirmation {
            choice_id,
            doctor: doctor_card(doctor, (resident.latitude, resident.longitude)),
            care_area: resident.care_area.clone(),
            asl,
            since,
            chosen_by: chooser.map(|(fiscal_code, given_name, family_name)| Person {
                fiscal_code,
                given_name,
                family_name,
            }),
            person: resident.person,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_great_circle_tenths_of_a_kilometre() {
        let genova = (44.4056, 8.9463);
        let chiavari = (44.3168, 9.3220);
        assert_eq!(distance_tenths_km(genova, genova), 0);
        let tenths = distance_tenths_km(genova, chiavari);
        assert!((300..330).contains(&tenths), "{tenths}");
    }

    #[test]
    fn ages_count_completed_years() {
        let birth = NaiveDate::from_ymd_opt(2020, 6, 15).expect("date");
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 6, 14).expect("date")), 5);
        assert_eq!(age_on(birth, NaiveDate::from_ymd_opt(2026, 6, 15).expect("date")), 6);
    }
}
