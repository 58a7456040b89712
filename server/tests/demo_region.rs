//! The demo region generator, run against a real database.

mod common;

use server::demo::{self, Scale};

#[tokio::test]
async fn the_first_start_fills_the_demo_region() {
    let app = common::spawn_app_with(|settings| settings.demo_data = true).await;
    let pool = server::db::connect(&app.database_url).await.expect("database");

    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect("count") }
    };

    assert_eq!(count("SELECT count(*) FROM asl").await, 5);
    assert!(count("SELECT count(*) FROM people").await >= 60);
    assert!(count("SELECT count(*) FROM outpatient_services").await >= 40);
    assert!(count("SELECT count(*) FROM er_units").await >= 20);
    assert!(count("SELECT count(*) FROM guardianships").await >= 10);
    assert!(count("SELECT count(*) FROM doctors WHERE kind = 'PLS'").await >= 1);
    assert!(count("SELECT count(*) FROM fse_documents").await > 100);
    assert!(count("SELECT count(*) FROM prescriptions WHERE colour = 'white'").await >= 1);
    assert!(count("SELECT count(*) FROM vaccinations").await > 50);
    assert!(count("SELECT count(*) FROM screening_tests").await >= 5);
    // Agendas cover the next 120 days, and not beyond.
    assert!(count("SELECT count(*) FROM slots").await > 10_000);
    assert!(count("SELECT count(*) FROM slots WHERE date(starts_at) > date('now', '+121 days')").await == 0);
    assert!(count("SELECT count(*) FROM slots WHERE date(starts_at) > date('now', '+100 days')").await > 0);
    // Everyone has exactly one current doctor.
    assert_eq!(count("SELECT count(*) FROM people WHERE fiscal_code NOT IN (SELECT person FROM doctor_choices WHERE ended_on IS NULL)").await, 0);
}

#[tokio::test]
async fn seeding_twice_is_refused_and_keeps_the_data() {
    let folder = tempfile::tempdir().expect("folder");
    let url = common::fresh_database(folder.path(), "twice.db").await;
    let pool = server::db::connect(&url).await.expect("database");
    let first = demo::seed(&pool, Scale::Demo).await.expect("first seed");

    let second = demo::seed(&pool, Scale::Demo).await;

    assert!(matches!(second, Err(demo::DemoError::NotEmpty(n)) if n as u64 == first.people));
}

#[tokio::test]
async fn the_same_seed_gives_the_same_people() {
    let people = |name: &'static str| async move {
        let folder = tempfile::tempdir().expect("folder");
        let url = common::fresh_database(folder.path(), name).await;
        let pool = server::db::connect(&url).await.expect("database");
        demo::seed(&pool, Scale::Demo).await.expect("seed");
        sqlx::query_scalar::<_, String>("SELECT fiscal_code FROM people ORDER BY fiscal_code")
            .fetch_all(&pool)
            .await
            .expect("people")
    };

    assert_eq!(people("a.db").await, people("b.db").await);
}

#[tokio::test]
async fn a_regional_scale_seed_adds_synthetic_residents() {
    let folder = tempfile::tempdir().expect("folder");
    let url = common::fresh_database(folder.path(), "regional.db").await;
    let pool = server::db::connect(&url).await.expect("database");

    let report = demo::seed(&pool, Scale::Regional(3_000)).await.expect("seed");

    assert_eq!(report.people, 3_000);
    let children: i64 = sqlx::query_scalar("SELECT count(*) FROM guardianships").fetch_one(&pool).await.expect("count");
    assert!(children > 100, "synthetic households include minors ({children})");
    assert!(report.slots > 0);
}
