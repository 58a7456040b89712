//! A hospital operator consulting a patient's record: the look-up limit,
//! counted in the database so it holds across instances, and the consent
//! check.

use app::access_log::model::AccessAction;
use app::fse::model::{DocumentFilter, ProfessionalView};
use app::identity::model::{Capability, Principal, Role};
use app::identity::AccessError;

use crate::db::{self, window::SlidingWindow};

use super::SqlHealthRecord;

/// Record look-ups a hospital operator may make in [`LOOKUP_WINDOW_MINUTES`]
/// (`/professionisti/fascicolo`); beyond, 429 until the window moves on.
pub const LOOKUPS_PER_WINDOW: i64 = 30;
pub const LOOKUP_WINDOW_MINUTES: i64 = 10;

impl SqlHealthRecord {
    /// Counts one look-up by `professional` in the database (so the limit
    /// holds across instances), or refuses it when the window is full.
    async fn count_lookup(&self, professional: &Principal) -> Result<(), AccessError> {
        let internal = |e| self.trail.internal(professional, e);
        let operator = &professional.actor.fiscal_code;
        let window = SlidingWindow {
            table: "professional_lookups",
            key_column: "operator",
            limit: LOOKUPS_PER_WINDOW,
            window: std::time::Duration::from_secs(60 * LOOKUP_WINDOW_MINUTES.unsigned_abs()),
        };
        let mut tx = db::begin(&self.pool).await.map_err(internal)?;
        if window.take(&mut tx, operator).await.map_err(internal)?.is_err() {
            let _ = tx.rollback().await;
            tracing::warn!("record look-ups over the limit");
            return Err(AccessError::TooManyRequests);
        }
        tx.commit().await.map_err(internal)
    }
}

impl SqlHealthRecord {
    /// A hospital operator's look-up of a consenting patient's record
    /// (`/professionisti/fascicolo`): counted, logged on the patient's
    /// record, and the same answer for "not a resident" and "no consent".
    pub(super) async fn consult_patient(
        &self,
        professional: &Principal,
        patient: &str,
    ) -> Result<ProfessionalView, AccessError> {
        if professional.role != Role::HospitalOperator {
            // Someone without the role naming a patient: the patient's log shows it.
            let named = patient.trim().to_uppercase();
            crate::access_log::refused_on_named_person(
                &self.pool,
                professional,
                &named,
                Capability::Fascicolo.slug(),
                None,
            )
            .await
            .map_err(|e| self.trail.internal(professional, e))?;
            return Err(AccessError::NotAllowed);
        }
        // Every look-up counts, whoever the code belongs to: walking
        // through fiscal codes stops at the limit.
        self.count_lookup(professional).await?;
        let patient = patient.trim().to_uppercase();
        // "Not a resident" and "no consent" get the same answer: the
        // look-up never tells whether a fiscal code belongs to a resident.
        let Some((person, _, _)) = self.person(&patient).await.map_err(|e| self.trail.internal(professional, e))?
        else {
            return Ok(ProfessionalView::ConsentMissing);
        };
        // The audit entry belongs to the patient's record.
        let on_record = Principal { subject: person.clone(), ..professional.clone() };
        if !self.consent_given(&person.fiscal_code).await.map_err(|e| self.trail.internal(professional, e))? {
            self.trail.record(&on_record, AccessAction::Refused, Some("consenso-mancante")).await?;
            return Ok(ProfessionalView::ConsentMissing);
        }
        let documents = self
            .summaries(&on_record, &DocumentFilter::default(), Some((200, 0)), true)
            .await
            .map_err(|e| self.trail.internal(professional, e))?;
        self.trail.record(&on_record, AccessAction::Read, None).await?;
        Ok(ProfessionalView::Documents { patient: person, documents })
    }
}
