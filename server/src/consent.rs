//! The citizen's two consent ledgers, each an append-only history whose
//! newest row is what holds: letting professionals consult the FSE
//! (`fse_consent_events`), and letting a pharmacist read the prescriptions
//! from the health card (`prescription_consent_events`). The only writer of
//! both tables.

use sqlx::{AnyConnection, AnyExecutor};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentLedger {
    /// Consultation of the FSE by the professionals who treat the person.
    FseConsultation,
    /// Dispensing from the health card, without the prescription's number.
    PrescriptionsByCard,
}

impl ConsentLedger {
    fn table(self) -> &'static str {
        match self {
            ConsentLedger::FseConsultation => "fse_consent_events",
            ConsentLedger::PrescriptionsByCard => "prescription_consent_events",
        }
    }

    /// Whether `person`'s consent holds now (never given: it does not).
    pub async fn given<'e>(self, executor: impl AnyExecutor<'e>, person: &str) -> Result<bool, sqlx::Error> {
        let given: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT given FROM {} WHERE person = $1 ORDER BY id DESC LIMIT 1",
            self.table()
        ))
        .bind(person)
        .fetch_optional(executor)
        .await?;
        Ok(given == Some(1))
    }

    /// Records that `actor` gave (or withdrew) `person`'s consent, in the
    /// caller's transaction. Saying again what holds already adds nothing
    /// to the history; the answer says whether anything changed.
    pub async fn record(
        self,
        tx: &mut AnyConnection,
        person: &str,
        given: bool,
        actor: &str,
    ) -> Result<bool, sqlx::Error> {
        if self.given(&mut *tx, person).await? == given {
            return Ok(false);
        }
        sqlx::query(&format!("INSERT INTO {} (person, given, actor) VALUES ($1, $2, $3)", self.table()))
            .bind(person)
            .bind(i64::from(given))
            .bind(actor)
            .execute(&mut *tx)
            .await?;
        Ok(true)
    }
}
