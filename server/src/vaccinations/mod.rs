//! The regional vaccination registry and the campaigns, in SQL: history,
//! campaign statuses (rules in `app::domain::vaccination`, applied with
//! dates in `prevention::facts`), live appointments and the certificate.

pub mod certificate;
pub mod routes;

use std::time::Duration;

use app::access_log::model::AccessAction;
use app::domain::vaccination::Campaign;
use app::identity::model::{Capability, Principal};
use app::identity::AccessError;
use app::prevention::model::Purpose;
use app::vaccinations::model::{CampaignCard, VaccinationRecord, VaccinationsPage};
use app::vaccinations::port::Vaccinations;
use async_trait::async_trait;
use sqlx::AnyPool;

use crate::clock::rome_today;
use crate::prevention::appointments::{live_appointments, Trails};
use crate::prevention::facts;

pub struct SqlVaccinations {
    pool: AnyPool,
    trails: Trails,
    change_closes: Duration,
}

impl SqlVaccinations {
    pub fn new(pool: AnyPool, change_closes: Duration) -> SqlVaccinations {
        SqlVaccinations { trails: Trails::new(&pool), pool, change_closes }
    }
}

#[derive(sqlx::FromRow)]
struct VaccinationRow {
    vaccine: String,
    dose: i64,
    administered_on: String,
    facility: String,
    town: String,
    lot: String,
}

#[async_trait]
impl Vaccinations for SqlVaccinations {
    #[tracing::instrument(skip_all, err(Debug, level = "info"))]
    async fn overview(&self, principal: &Principal) -> Result<VaccinationsPage, AccessError> {
        self.trails.check(principal, Capability::Vaccinazioni).await?;
        let trail = &self.trails.vaccinations;
        let subject = &principal.subject.fiscal_code;
        let today = rome_today();
        let internal = |e| trail.internal(principal, e);
        let mut connection = self.pool.acquire().await.map_err(internal)?;
        let Some(facts) = facts::facts(&mut connection, subject).await.map_err(internal)? else {
            return Err(AccessError::NotAllowed);
        };
        let rows: Vec<VaccinationRow> = sqlx::query_as(
            "SELECT v.vaccine, v.dose, v.administered_on, f.name AS facility, m.name AS town, v.lot
               FROM vaccinations v JOIN facilities f ON f.id = v.facility_id
               JOIN municipalities m ON m.belfiore = f.municipality
              WHERE v.person = $1 ORDER BY v.administered_on DESC, v.id DESC",
        )
        .bind(subject)
        .fetch_all(&mut *connection)
        .await
        .map_err(internal)?;
        let records = rows
            .into_iter()
            .map(|VaccinationRow { vaccine, dose, administered_on: day, facility, town, lot }| VaccinationRecord {
                vaccine,
                dose,
                day,
                place: format!("{facility}, {town}"),
                lot,
            })
            .collect();
        let doses = facts::doses(&mut connection, subject).await.map_err(internal)?;
        let appointments = live_appointments(&mut connection, subject, self.change_closes).await.map_err(internal)?;
        drop(connection);
        let campaigns = Campaign::ALL
            .into_iter()
            .map(|campaign| CampaignCard {
                campaign,
                status: facts::campaign_status(campaign, &facts, &doses, today),
                appointment: appointments
                    .iter()
                    .find(|appointment| appointment.purpose == Purpose::Vaccination(campaign))
                    .cloned(),
            })
            .collect();
        trail.record(principal, AccessAction::Read, None).await?;
        Ok(VaccinationsPage {
            subject_name: facts.name.clone(),
            age_years: facts.age_years(today),
            at_risk: facts.at_risk,
            records,
            campaigns,
        })
    }
}
