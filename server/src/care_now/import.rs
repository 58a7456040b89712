//! `server import-rota FILE.csv`: the pharmacies' on-duty rota an ASL
//! publishes (shape in `rota_csv`), into `pharmacy_rota`.
//!
//! All or nothing: a file with any bad row, an unknown pharmacy code or a
//! turn that overlaps one already stored imports nothing, and every problem
//! is named with its line. A file replaces the stored turns of its own
//! pharmacies that start within its period (first to last day of the file),
//! so an ASL that publishes a corrected month imports it again.

use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::AnyPool;

use super::rota_csv::{self, RotaError};
use super::LOCAL_MINUTES;
use crate::db::{self, rules::ROTA_OVERLAP};

/// What an import stored.
#[derive(Debug, PartialEq, Eq)]
pub struct Imported {
    pub turns: usize,
    pub pharmacies: usize,
    /// Stored turns the file replaced.
    pub replaced: u64,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

impl std::fmt::Display for Imported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "turni importati: {} per {} farmacie, dal {} al {} (sostituiti {} turni già registrati)",
            self.turns,
            self.pharmacies,
            self.first_day.format("%d/%m/%Y"),
            self.last_day.format("%d/%m/%Y"),
            self.replaced
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file's problems, each with its line; nothing was imported.
    #[error("{}\nnessun turno importato: correggi il file e importalo di nuovo", list(.0))]
    Rows(Vec<RotaError>),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
}

fn list(errors: &[RotaError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Imports `text` (the file's content); `source` (its name) is kept with
/// each turn.
pub async fn import_rota(pool: &AnyPool, text: &str, source: &str) -> Result<Imported, ImportError> {
    let entries = rota_csv::parse(text).map_err(ImportError::Rows)?;
    let pharmacies: HashMap<String, i64> =
        sqlx::query_as::<_, (String, i64)>("SELECT code, id FROM facilities WHERE kind = 'pharmacy'")
            .fetch_all(pool)
            .await?
            .into_iter()
            .collect();
    let unknown: Vec<RotaError> = entries
        .iter()
        .filter(|entry| !pharmacies.contains_key(&entry.pharmacy_code))
        .map(|entry| {
            RotaError::on_line(
                entry.line,
                format!(
                    "farmacia «{}» ({}) non trovata nell'anagrafe regionale delle farmacie: controlla il codice",
                    entry.pharmacy_code, entry.pharmacy_name
                ),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(ImportError::Rows(unknown));
    }
    // The file is not empty (rota_csv refuses an empty one).
    let first_day = entries.iter().map(|entry| entry.starts.date()).min().unwrap_or_default();
    let last_day = entries.iter().map(|entry| entry.starts.date()).max().unwrap_or_default();
    let mut ids: Vec<i64> = entries.iter().filter_map(|entry| pharmacies.get(&entry.pharmacy_code).copied()).collect();
    ids.sort_unstable();
    ids.dedup();

    let mut tx = db::begin(pool).await?;
    let mut replaced = 0;
    for id in &ids {
        replaced += sqlx::query(
            "DELETE FROM pharmacy_rota WHERE pharmacy_id = $1 AND starts_local >= $2 AND starts_local < $3",
        )
        .bind(id)
        .bind(format!("{first_day} 00:00"))
        .bind(format!("{} 00:00", last_day.succ_opt().unwrap_or(last_day)))
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    let mut refused = Vec::new();
    for entry in &entries {
        let Some(id) = pharmacies.get(&entry.pharmacy_code) else { continue };
        // The database refuses an overlap with a turn the file does not
        // replace; on PostgreSQL that ends the transaction, so the first
        // refusal is the one reported (the file's own overlaps were all
        // reported by `rota_csv`).
        let inserted = sqlx::query(
            "INSERT INTO pharmacy_rota (pharmacy_id, starts_local, ends_local, source) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(entry.starts.format(LOCAL_MINUTES).to_string())
        .bind(entry.ends.format(LOCAL_MINUTES).to_string())
        .bind(source)
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {}
            Err(error) if db::refused_by(&error, ROTA_OVERLAP) => {
                refused.push(RotaError::on_line(
                    entry.line,
                    format!(
                        "il turno della farmacia {} ({} – {}) si sovrappone a un turno già registrato fuori dal periodo del file",
                        entry.pharmacy_code,
                        entry.starts.format("%d/%m/%Y %H:%M"),
                        entry.ends.format("%d/%m/%Y %H:%M")
                    ),
                ));
                break;
            }
            Err(error) => return Err(error.into()),
        }
    }
    if !refused.is_empty() {
        tx.rollback().await?;
        return Err(ImportError::Rows(refused));
    }
    tx.commit().await?;
    Ok(Imported { turns: entries.len(), pharmacies: ids.len(), replaced, first_day, last_day })
}
