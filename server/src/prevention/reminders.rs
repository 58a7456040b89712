//! Reminders of vaccinations and screening due, in the notification inbox
//! (parents read their minor children's). A sweep over the registry finds
//! what is due with the same rules as the pages; `prevention_reminders`
//! remembers what was sent, so each dose, season or due date is reminded
//! once. E-mail will read the same `notifications` rows (`emailed_at`).

use app::domain::vaccination::Campaign;
use app::prevention::model::DueItem;
use app::prevention::texts::IT;
use chrono::NaiveDate;
use sqlx::AnyPool;

use super::facts::due_items;
use crate::clock::rome_today;
use crate::db;
use crate::notifications::notify;

/// People read per batch (each batch is a short transaction).
const BATCH: i64 = 500;

/// The reminder's topic (with the period, its key) and text.
fn reminder(item: &DueItem, name: &str) -> Option<(String, String)> {
    match item {
        DueItem::Vaccination { campaign, dose, .. } => {
            let vaccine = IT.campaign(*campaign).to_lowercase();
            let what = if *campaign == Campaign::Flu {
                format!("È aperta la campagna antinfluenzale: {name} può vaccinarsi gratuitamente")
            } else {
                format!("{name} può fare la dose {dose} della vaccinazione {vaccine}, gratuita")
            };
            Some((
                format!("vaccino-{}", campaign.code()),
                format!(
                    "{what}. Prenota dal portale, in un centro vaccinale{}.",
                    if campaign.at_pharmacies() { " o in farmacia" } else { "" }
                ),
            ))
        }
        DueItem::Screening { programme } => Some((
            format!("screening-{}", programme.code()),
            format!(
                "È il momento dello {} per {name}: è gratuito, {}.",
                IT.programme(*programme).to_lowercase(),
                if programme.first_level_service().is_some() {
                    "prenotalo dal portale"
                } else {
                    "richiedi il kit dal portale e ritiralo in farmacia"
                }
            ),
        )),
        // Sent when the result arrives, and when the kit is ready.
        DueItem::SecondLevel { .. } | DueItem::KitReady { .. } => None,
    }
}

/// Sends the reminders due on `today`; returns how many were sent.
pub async fn sweep(pool: &AnyPool, today: NaiveDate) -> Result<u64, sqlx::Error> {
    let mut after = String::new();
    let mut sent = 0;
    loop {
        let people: Vec<String> =
            sqlx::query_scalar("SELECT fiscal_code FROM people WHERE fiscal_code > $1 ORDER BY fiscal_code LIMIT $2")
                .bind(&after)
                .bind(BATCH)
                .fetch_all(pool)
                .await?;
        let Some(last) = people.last().cloned() else { return Ok(sent) };
        let mut due = Vec::new();
        let mut connection = pool.acquire().await?;
        for person in &people {
            if let Some((facts, items)) = due_items(&mut connection, person, today).await? {
                for (item, period) in items {
                    if let Some((topic, text)) = reminder(&item, &facts.name) {
                        due.push((person.clone(), topic, period, text, item.href()));
                    }
                }
            }
        }
        drop(connection);
        let mut tx = db::begin(pool).await?;
        for (person, topic, period, text, link) in due {
            let new = sqlx::query(
                "INSERT INTO prevention_reminders (person, topic, period) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(&person)
            .bind(&topic)
            .bind(&period)
            .execute(&mut *tx)
            .await?;
            if new.rows_affected() == 1 {
                notify(&mut tx, &person, "promemoria-prevenzione", &text, &link).await?;
                sent += 1;
            }
        }
        tx.commit().await?;
        after = last;
    }
}

/// One sweep for today (the job `prevention-reminders`, see `jobs`).
pub async fn remind_once(pool: AnyPool) {
    match sweep(&pool, rome_today()).await {
        Ok(sent) => tracing::info!(sent, "prevention reminders sent"),
        Err(error) => tracing::error!(%error, "prevention reminders failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::screening::Programme;

    #[test]
    fn reminders_name_the_person_and_say_what_to_do() {
        let flu = DueItem::Vaccination { campaign: Campaign::Flu, dose: 1, late: false };
        let (topic, text) = reminder(&flu, "Anna Rossi").expect("reminded");
        assert_eq!(topic, "vaccino-influenza");
        assert!(text.contains("Anna Rossi") && text.contains("o in farmacia"), "{text}");
        let kit = DueItem::Screening { programme: Programme::Colorectal };
        assert!(reminder(&kit, "Anna").expect("reminded").1.contains("richiedi il kit"));
        assert!(reminder(&DueItem::KitReady { pharmacy: "x".into() }, "Anna").is_none());
    }
}
