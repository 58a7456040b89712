//! "Dove andare adesso": the public page at a chosen moment (pharmacies on
//! duty, guardia medica, holidays), a citizen's own town first, the rota
//! import (whole or nothing, every bad line named) and the database's
//! refusal of overlapping turns under concurrent writers.

mod common;

use chrono::{Duration, NaiveDate};
use common::{spawn_app_with, spawn_app_with_idp, TestApp};
use server::care_now::import::{import_rota, ImportError};
use server::clock::rome_today;
use server::db;

/// A portal on a fresh database with the demo region.
async fn demo_app() -> TestApp {
    spawn_app_with(|settings| settings.demo_data = true).await
}

async fn page(app: &TestApp, query: &str) -> String {
    let response = reqwest::get(app.url(&format!("/dove-andare{query}"))).await.expect("page");
    assert_eq!(response.status(), 200, "{query}");
    response.text().await.expect("page")
}

/// The `<li>` of a place, from its `data-care-place` to its end.
fn card<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("data-care-place=\"{name}\""))?;
    let end = html[start..].find("</li>").map_or(html.len(), |end| start + end);
    Some(&html[start..end])
}

/// The ASL4 pharmacies as (code, name), and the one on duty at 23:00 of `day`.
async fn asl4_pharmacies(app: &TestApp, day: NaiveDate) -> (Vec<(String, String)>, String) {
    let pool = app.db().await;
    let pharmacies: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM facilities WHERE kind = 'pharmacy' AND asl_code = 'ASL4' ORDER BY code")
            .fetch_all(&pool)
            .await
            .expect("pharmacies");
    let night = format!("{day} 23:00");
    let on_duty: String = sqlx::query_scalar(
        "SELECT f.name FROM pharmacy_rota r JOIN facilities f ON f.id = r.pharmacy_id
          WHERE f.asl_code = 'ASL4' AND r.starts_local <= $1 AND r.ends_local > $1",
    )
    .bind(&night)
    .fetch_one(&pool)
    .await
    .expect("one pharmacy on duty");
    (pharmacies, on_duty)
}

#[tokio::test]
async fn at_night_only_the_pharmacy_on_duty_is_listed_open() {
    let app = demo_app().await;
    let tomorrow = rome_today() + Duration::days(1);
    let (pharmacies, on_duty) = asl4_pharmacies(&app, tomorrow).await;
    assert_eq!(pharmacies.len(), 2, "the demo region has two ASL4 pharmacies");

    let night = page(&app, &format!("?vicino=Chiavari&giorno={tomorrow}&ora=23:00")).await;
    let duty = card(&night, &on_duty).expect("the pharmacy on duty is listed");
    assert!(duty.contains("data-open=\"true\""), "{duty}");
    assert!(duty.contains("Di turno fino a"), "it says until when it is on duty: {duty}");
    for (_, name) in pharmacies.iter().filter(|(_, name)| *name != on_duty) {
        assert!(card(&night, name).is_none(), "{name} is closed at 23:00 and not listed");
    }
    assert!(night.contains("farmacie chiuse a quest&#x27;ora") || night.contains("farmacie chiuse a quest'ora"));
    assert!(night.contains("Dal più vicino a Chiavari"));
    // The guardia medica is open at night, on every day of the week.
    let guardia = card(&night, "Guardia medica Tigullio").expect("the ASL4 guardia medica is listed");
    assert!(guardia.contains("data-open=\"true\""), "{guardia}");
}

#[tokio::test]
async fn on_a_weekday_morning_the_regular_hours_open_every_pharmacy() {
    let app = demo_app().await;
    // The next Wednesday that is not a holiday (no Wednesday national
    // holiday falls two weeks in a row).
    let mut day = rome_today() + Duration::days(1);
    while day.format("%u").to_string() != "3" || server::care_now::holidays::holiday(day, None).is_some() {
        day += Duration::days(1);
    }
    let (pharmacies, _) = asl4_pharmacies(&app, day).await;
    let morning = page(&app, &format!("?asl=ASL4&giorno={day}&ora=10:00")).await;
    for (_, name) in &pharmacies {
        let open = card(&morning, name).unwrap_or_else(|| panic!("{name} is open at 10:00"));
        assert!(open.contains("data-open=\"true\""), "{open}");
    }
    let guardia = morning.find("data-care=\"guardia-medica\"").map(|at| &morning[at..]).expect("guardia list");
    assert!(guardia.contains("data-open=\"false\""), "the guardia medica is closed on a weekday morning");
}

#[tokio::test]
async fn a_patron_saints_day_is_a_holiday_in_its_town_only() {
    let app = demo_app().await;
    let year = rome_today().format("%Y").to_string();
    let genova = page(&app, &format!("?vicino=Genova&giorno={year}-06-24&ora=11:00")).await;
    assert!(genova.contains("Giorno festivo: San Giovanni Battista"), "{genova}");
    let chiavari = page(&app, &format!("?vicino=Chiavari&giorno={year}-06-24&ora=11:00")).await;
    assert!(!chiavari.contains("Giorno festivo"));
}

#[tokio::test]
async fn an_unknown_town_or_moment_is_said_and_the_rest_still_answers() {
    let app = demo_app().await;
    let unknown = page(&app, "?vicino=Atlantide").await;
    assert!(unknown.contains("Comune non trovato tra quelli della Liguria"));
    assert!(unknown.contains("116117"), "the number is there whatever the filters");
    let bad_time = page(&app, "?giorno=2026-02-31&ora=25:99").await;
    assert!(bad_time.contains("Giorno o ora non validi"));
    assert!(bad_time.contains("Aperto adesso"), "it falls back to now");
}

#[tokio::test]
async fn a_signed_in_citizen_sees_their_own_town_first() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = common::demo_citizens(&pool, "p.municipality = 'C621'", 1).await;
    let town: String = sqlx::query_scalar("SELECT name FROM municipalities WHERE belfiore = 'C621'")
        .fetch_one(&pool)
        .await
        .expect("town");
    let browser = app.sign_in(&idp, &people[0]).await;
    let html = browser.get(app.url("/dove-andare")).send().await.expect("page").text().await.expect("page");
    assert!(html.contains(&format!("Dal più vicino a {town}")), "sorted from {town}");
}

const GOOD_ROTA: &str = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;FAR-ASL4-1;Farmacia Comunale 1;Chiavari;08:30;08:30
02/03/2027;FAR-ASL4-2;Farmacia Comunale 2;Lavagna;08:30;08:30
03/03/2027;FAR-ASL4-1;Farmacia Comunale 1;Chiavari;20:00;08:30
";

async fn turns(pool: &sqlx::AnyPool, source: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM pharmacy_rota WHERE source = $1")
        .bind(source)
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_rota_file_is_imported_whole_or_not_at_all() {
    let app = demo_app().await;
    let pool = app.db().await;
    let all_before: i64 = sqlx::query_scalar("SELECT count(*) FROM pharmacy_rota").fetch_one(&pool).await.expect("n");

    let imported = import_rota(&pool, GOOD_ROTA, "turni-marzo.csv").await.expect("imported");
    assert_eq!((imported.turns, imported.pharmacies), (3, 2));
    assert!(imported.replaced >= 3, "the demo turns of those days were replaced: {imported}");
    assert_eq!(turns(&pool, "turni-marzo.csv").await, 3);
    // The same month again (corrected): replaces, never duplicates.
    let again = import_rota(&pool, GOOD_ROTA, "turni-marzo-v2.csv").await.expect("imported again");
    assert_eq!(again.replaced, 3);
    assert_eq!((turns(&pool, "turni-marzo.csv").await, turns(&pool, "turni-marzo-v2.csv").await), (0, 3));

    let bad = "data;codice_farmacia;farmacia;comune;dalle;alle
04/03/2027;FAR-ASL4-1;Farmacia Comunale 1;Chiavari;08:30;08:30
31/02/2027;FAR-ASL4-2;Farmacia Comunale 2;Lavagna;08:30;08:30
05/03/2027;FAR-ASL4-2;Farmacia Comunale 2;Lavagna;25:00;08:30
";
    let Err(ImportError::Rows(errors)) = import_rota(&pool, bad, "sbagliato.csv").await else { panic!("refused") };
    let lines: Vec<Option<usize>> = errors.iter().map(|error| error.line).collect();
    assert_eq!(lines, [Some(3), Some(4)], "{errors:?}");
    assert!(errors[0].to_string().starts_with("riga 3: "), "{}", errors[0]);

    let unknown = "data;codice_farmacia;farmacia;comune;dalle;alle
04/03/2027;FAR-ASL9-9;Farmacia Inesistente;Chiavari;08:30;08:30
";
    let Err(error) = import_rota(&pool, unknown, "sconosciuta.csv").await else { panic!("refused") };
    assert!(error.to_string().contains("riga 2: farmacia «FAR-ASL9-9»"), "{error}");

    // A turn of the file overlapping a stored one outside its own period.
    let overlapping = "data;codice_farmacia;farmacia;comune;dalle;alle
02/03/2027;FAR-ASL4-1;Farmacia Comunale 1;Chiavari;21:00;20:30
";
    let Err(error) = import_rota(&pool, overlapping, "sovrapposto.csv").await else { panic!("refused") };
    assert!(error.to_string().contains("riga 2: il turno della farmacia FAR-ASL4-1"), "{error}");

    let all_after: i64 = sqlx::query_scalar("SELECT count(*) FROM pharmacy_rota").fetch_one(&pool).await.expect("n");
    let replaced_demo_turns = i64::try_from(imported.replaced).expect("count");
    assert_eq!(all_after, all_before - replaced_demo_turns + 3, "refused files changed nothing");
    assert_eq!(turns(&pool, "turni-marzo-v2.csv").await, 3);
}

#[tokio::test]
async fn concurrent_overlapping_turns_of_one_pharmacy_store_exactly_one() {
    let app = demo_app().await;
    let pool = app.db().await;
    let pharmacy: i64 = sqlx::query_scalar("SELECT id FROM facilities WHERE code = 'FAR-ASL4-1'")
        .fetch_one(&pool)
        .await
        .expect("pharmacy");
    let writers = (0..40).map(|minute| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut tx = db::begin(&pool).await.expect("begin");
            let stored = sqlx::query(
                "INSERT INTO pharmacy_rota (pharmacy_id, starts_local, ends_local, source) VALUES ($1, $2, $3, 'gara')",
            )
            .bind(pharmacy)
            .bind(format!("2028-01-10 08:{minute:02}"))
            .bind(format!("2028-01-11 08:{minute:02}"))
            .execute(&mut *tx)
            .await;
            match stored {
                Ok(_) => {
                    tx.commit().await.expect("commit");
                    true
                }
                Err(error) => {
                    assert!(db::refused_by(&error, db::rules::ROTA_OVERLAP), "{error}");
                    false
                }
            }
        })
    });
    let mut won = 0;
    for writer in writers {
        won += usize::from(writer.await.expect("writer"));
    }
    assert_eq!(won, 1, "exactly one of 40 overlapping turns is stored");
    assert_eq!(turns(&pool, "gara").await, 1);
}

#[tokio::test]
async fn the_rota_changes_hands_at_half_past_eight() {
    let app = demo_app().await;
    let tomorrow = rome_today() + Duration::days(1);
    let pool = app.db().await;
    let on_duty_at = |at: String| {
        let pool = pool.clone();
        async move {
            let name: String = sqlx::query_scalar(
                "SELECT f.name FROM pharmacy_rota r JOIN facilities f ON f.id = r.pharmacy_id
                  WHERE f.asl_code = 'ASL4' AND r.starts_local <= $1 AND r.ends_local > $1",
            )
            .bind(at)
            .fetch_one(&pool)
            .await
            .expect("one pharmacy on duty");
            name
        }
    };
    let (night, day) = (on_duty_at(format!("{tomorrow} 08:29")).await, on_duty_at(format!("{tomorrow} 08:30")).await);
    assert_ne!(night, day, "the demo rota hands over every morning");

    let before = page(&app, &format!("?asl=ASL4&giorno={tomorrow}&ora=08:29")).await;
    let leaving = card(&before, &night).expect("the night's pharmacy is still open at 08:29");
    assert!(leaving.contains("Di turno fino a 08:30"), "{leaving}");
    let after = page(&app, &format!("?asl=ASL4&giorno={tomorrow}&ora=08:30")).await;
    let arriving = card(&after, &day).expect("the day's pharmacy is open at 08:30");
    assert!(arriving.contains("Di turno fino a"), "{arriving}");
    if let Some(left) = card(&after, &night) {
        assert!(!left.contains("Di turno"), "at 08:30 the night's turn is over: {left}");
    }
}
