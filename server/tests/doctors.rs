//! Choosing the family doctor or paediatrician: the page, the rules (area,
//! age, same doctor, who may choose for whom), the confirmation PDF, and
//! the massimale under a race of 100 concurrent choices.

mod common;

use app::doctors::notice::DoctorNotice;
use app::doctors::port::Doctors;
use app::identity::model::{Person, Principal, Relation, Role};
use app::notice::Notice;
use app::notice::WriteError;
use common::fake_idp::FakeAccount;
use common::{
    demo_citizens, leave_one_place, location, new_residents, spawn_app_with_idp, ADULT_WITHOUT_CHILDREN,
    PARENT_OF_A_MINOR,
};
use server::doctors::SqlDoctors;
use sqlx::AnyPool;

/// A minor child of `parent` and their current paediatrician.
async fn child_with_paediatrician(pool: &AnyPool, parent: &FakeAccount) -> (String, i64, i64) {
    sqlx::query_as(
        "SELECT c.fiscal_code, dc.doctor_id, d.care_area_id
           FROM guardianships g JOIN people c ON c.fiscal_code = g.child
           JOIN doctor_choices dc ON dc.person = c.fiscal_code AND dc.ended_on IS NULL
           JOIN doctors d ON d.id = dc.doctor_id
          WHERE g.parent = $1 AND d.kind = 'PLS' AND c.birth_date > date('now', '-13 years')
          ORDER BY c.fiscal_code LIMIT 1",
    )
    .bind(&parent.fiscal_code)
    .fetch_one(pool)
    .await
    .expect("a child with a paediatrician")
}

async fn other_doctor(pool: &AnyPool, kind: &str, area: i64, not: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM doctors WHERE kind = $1 AND care_area_id = $2 AND id <> $3 ORDER BY id LIMIT 1")
        .bind(kind)
        .bind(area)
        .bind(not)
        .fetch_one(pool)
        .await
        .expect("another doctor in the area")
}

async fn current_doctor(pool: &AnyPool, person: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT doctor_id FROM doctor_choices WHERE person = $1 AND ended_on IS NULL")
        .bind(person)
        .fetch_optional(pool)
        .await
        .expect("query")
}

async fn parent_with_child() -> (common::TestApp, common::fake_idp::FakeIdp, FakeAccount) {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let parent = demo_citizens(
        &app.db().await,
        &format!(
            "{PARENT_OF_A_MINOR} AND EXISTS (SELECT 1 FROM guardianships g JOIN people c ON c.fiscal_code = g.child
               JOIN doctor_choices dc ON dc.person = c.fiscal_code AND dc.ended_on IS NULL JOIN doctors d ON d.id = dc.doctor_id
              WHERE g.parent = p.fiscal_code AND d.kind = 'PLS' AND c.birth_date > date('now', '-13 years'))"
        ),
        1,
    )
    .await
    .remove(0);
    (app, idp, parent)
}

#[tokio::test]
async fn a_parent_changes_a_childs_paediatrician_and_downloads_the_confirmation() {
    let (app, idp, parent) = parent_with_child().await;
    let pool = app.db().await;
    let (child, old_doctor, area) = child_with_paediatrician(&pool, &parent).await;
    let new_doctor = other_doctor(&pool, "PLS", area, old_doctor).await;
    let browser = app.sign_in(&idp, &parent).await;
    let (status, page) = app.page_text(&browser, &format!("/medico?per={child}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Scegli un nuovo medico per"));

    let response = app
        .post_form_as(&browser, "/medico/scelta", &[("person", &child), ("doctor_id", &new_doctor.to_string())])
        .await;

    assert_eq!(location(&response), "/medico");
    assert_eq!(current_doctor(&pool, &child).await, Some(new_doctor));
    let (ended, chosen_by): (i64, String) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM doctor_choices WHERE person = $1 AND doctor_id = $2 AND ended_on IS NOT NULL),
                (SELECT chosen_by FROM doctor_choices WHERE person = $1 AND ended_on IS NULL)",
    )
    .bind(&child)
    .bind(old_doctor)
    .fetch_one(&pool)
    .await
    .expect("history");
    assert_eq!(
        (ended, chosen_by.as_str()),
        (1, parent.fiscal_code.as_str()),
        "old choice ended, new one by the parent"
    );
    let (_, page) = app.page_text(&browser, "/medico").await;
    assert!(page.contains("Scelta registrata"));
    let choice: i64 = sqlx::query_scalar("SELECT id FROM doctor_choices WHERE person = $1 AND ended_on IS NULL")
        .bind(&child)
        .fetch_one(&pool)
        .await
        .expect("choice");
    let pdf = browser.get(app.url(&format!("/medico/scelte/{choice}/conferma.pdf"))).send().await.expect("pdf");
    assert_eq!(pdf.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
    assert!(pdf.bytes().await.expect("body").starts_with(b"%PDF-"));
    let audit: Vec<(String, String)> = sqlx::query_as(
        "SELECT actor_role, action FROM audit_log WHERE subject = $1 AND capability = 'medico' AND action = 'write'",
    )
    .bind(&child)
    .fetch_all(&pool)
    .await
    .expect("audit");
    assert_eq!(audit, vec![("parent".to_string(), "write".to_string())]);
}

#[tokio::test]
async fn someone_elses_confirmation_is_not_found() {
    let (app, idp, parent) = parent_with_child().await;
    let pool = app.db().await;
    let stranger = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let (child, _, _) = child_with_paediatrician(&pool, &parent).await;
    let choice: i64 = sqlx::query_scalar("SELECT id FROM doctor_choices WHERE person = $1 AND ended_on IS NULL")
        .bind(&child)
        .fetch_one(&pool)
        .await
        .expect("choice");
    let browser = app.sign_in(&idp, &stranger).await;

    let response = browser.get(app.url(&format!("/medico/scelte/{choice}/conferma.pdf"))).send().await.expect("pdf");

    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn each_refused_choice_says_why_and_changes_nothing() {
    let (app, idp, parent) = parent_with_child().await;
    let pool = app.db().await;
    let (child, current, area) = child_with_paediatrician(&pool, &parent).await;
    let elsewhere: i64 = sqlx::query_scalar("SELECT id FROM doctors WHERE kind = 'PLS' AND care_area_id <> $1 LIMIT 1")
        .bind(area)
        .fetch_one(&pool)
        .await
        .expect("a doctor elsewhere");
    let stranger = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &parent).await;
    let cases = [
        (child.clone(), elsewhere, "non opera nell&#x27;ambito territoriale|non opera nell'ambito territoriale"),
        (child.clone(), current, "È già il medico attuale di questa persona"),
        (stranger.fiscal_code.clone(), current, "Puoi scegliere il medico solo per te"),
        (child.clone(), 999_999, "Medico non trovato"),
    ];

    for (person, doctor, message) in cases {
        let response = app
            .post_form_as(&browser, "/medico/scelta", &[("person", &person), ("doctor_id", &doctor.to_string())])
            .await;
        let (_, page) = app.page_text(&browser, &location(&response)).await;
        assert!(message.split('|').any(|m| page.contains(m)), "{message}");
    }
    assert_eq!(current_doctor(&pool, &child).await, Some(current));
    assert!(current_doctor(&pool, &stranger.fiscal_code).await.is_some(), "the stranger keeps their doctor");
}

#[tokio::test]
async fn an_adult_cannot_have_a_paediatrician_nor_a_small_child_a_family_doctor() {
    let (app, idp, parent) = parent_with_child().await;
    let pool = app.db().await;
    let (child, current, area) = child_with_paediatrician(&pool, &parent).await;
    let birth: String = sqlx::query_scalar("SELECT birth_date FROM people WHERE fiscal_code = $1")
        .bind(&child)
        .fetch_one(&pool)
        .await
        .expect("birth date");
    let birth = chrono::NaiveDate::parse_from_str(&birth, "%Y-%m-%d").expect("a day");
    let child_age = i64::from(server::clock::rome_today().years_since(birth).expect("born before today"));
    let parent_area: i64 = sqlx::query_scalar(
        "SELECT m.care_area_id FROM people p JOIN municipalities m ON m.belfiore = p.municipality WHERE p.fiscal_code = $1",
    )
    .bind(&parent.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("area");
    let paediatrician = other_doctor(&pool, "PLS", parent_area, -1).await;
    let browser = app.sign_in(&idp, &parent).await;

    let adult = app
        .post_form_as(
            &browser,
            "/medico/scelta",
            &[("person", &parent.fiscal_code), ("doctor_id", &paediatrician.to_string())],
        )
        .await;

    let (_, page) = app.page_text(&browser, &location(&adult)).await;
    assert!(page.contains("Dai 16 anni si sceglie un medico di medicina generale"));
    if child_age < 6 {
        let family_doctor = other_doctor(&pool, "MMG", area, -1).await;
        let small = app
            .post_form_as(&browser, "/medico/scelta", &[("person", &child), ("doctor_id", &family_doctor.to_string())])
            .await;
        let (_, page) = app.page_text(&browser, &location(&small)).await;
        assert!(page.contains("Fino a 6 anni è obbligatorio il pediatra"));
        assert_eq!(current_doctor(&pool, &child).await, Some(current));
    }
}

#[tokio::test]
async fn a_full_doctor_is_refused_with_the_doctors_that_still_have_places() {
    let (app, idp, parent) = parent_with_child().await;
    let pool = app.db().await;
    let (child, current, area) = child_with_paediatrician(&pool, &parent).await;
    let full = other_doctor(&pool, "PLS", area, current).await;
    sqlx::query(
        "UPDATE doctors SET max_patients = CASE WHEN c.taken > 1 THEN c.taken ELSE 1 END
           FROM (SELECT count(*) AS taken FROM doctor_choices WHERE doctor_id = $1 AND ended_on IS NULL) c
          WHERE id = $1",
    )
    .bind(full)
    .execute(&pool)
    .await
    .expect("fill the doctor");
    let taken: i64 =
        sqlx::query_scalar("SELECT count(*) FROM doctor_choices WHERE doctor_id = $1 AND ended_on IS NULL")
            .bind(full)
            .fetch_one(&pool)
            .await
            .expect("count");
    if taken == 0 {
        // Give the doctor a patient so that the one place is taken.
        let someone = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
        sqlx::query("UPDATE doctor_choices SET doctor_id = $1 WHERE person = $2 AND ended_on IS NULL")
            .bind(full)
            .bind(&someone.fiscal_code)
            .execute(&pool)
            .await
            .expect("move a patient");
    }
    let browser = app.sign_in(&idp, &parent).await;

    let response =
        app.post_form_as(&browser, "/medico/scelta", &[("person", &child), ("doctor_id", &full.to_string())]).await;

    let target = location(&response);
    assert!(target.contains("disponibili=1"), "{target}");
    let (_, page) = app.page_text(&browser, &target).await;
    assert!(page.contains("non ha più posti disponibili"));
    assert!(!page.contains("Nessun posto disponibile"), "only doctors with places are listed");
    assert_eq!(current_doctor(&pool, &child).await, Some(current), "the previous choice stays");
}

#[tokio::test]
async fn a_hundred_people_racing_for_the_last_place_leave_exactly_one_winner() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    // One MMG, one free place, a hundred new residents of the same town.
    let (doctor, municipality, area): (i64, String, i64) = sqlx::query_as(
        "SELECT d.id, d.municipality, d.care_area_id FROM doctors d WHERE d.kind = 'MMG' ORDER BY d.id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("a doctor");
    let town: String =
        sqlx::query_scalar("SELECT belfiore FROM municipalities WHERE care_area_id = $1 AND belfiore = $2")
            .bind(area)
            .bind(&municipality)
            .fetch_one(&pool)
            .await
            .expect("the doctor's town");
    let people: Vec<String> =
        new_residents(&pool, &town, "RCE", 900_000, 100).await.into_iter().map(|p| p.fiscal_code).collect();
    leave_one_place(&pool, doctor).await;
    let doctors = std::sync::Arc::new(SqlDoctors::new(server::db::connect(&app.database_url).await.expect("pool")));

    let tasks: Vec<_> = people
        .iter()
        .map(|code| {
            let doctors = doctors.clone();
            let person = Person { fiscal_code: code.clone(), given_name: "Corsa".into(), family_name: "Numero".into() };
            tokio::spawn(async move {
                let principal = Principal {
                    actor: person.clone(),
                    role: Role::Citizen,
                    pharmacy_id: None,
                    subject: person.clone(),
                    relation: Relation::Own,
                    ip: "127.0.0.1".into(),
                    request_id: "gara".into(),
                };
                doctors.choose(&principal, &person.fiscal_code, doctor).await
            })
        })
        .collect();
    let mut won = 0;
    let mut full = 0;
    for task in tasks {
        match task.await.expect("task") {
            Ok(_) => won += 1,
            Err(WriteError::Refused(Notice::Doctors(DoctorNotice::DoctorFull))) => full += 1,
            Err(other) => panic!("unexpected outcome: {other:?}"),
        }
    }

    println!("race: {} choices, {won} succeeded, {full} refused as full", people.len());
    assert_eq!(won, 1);
    assert_eq!(full, people.len() - 1);
    let (current, max): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM doctor_choices WHERE doctor_id = $1 AND ended_on IS NULL), max_patients FROM doctors WHERE id = $1",
    )
    .bind(doctor)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(current, max, "exactly at the massimale, never above");
}

#[tokio::test]
async fn a_household_member_may_join_a_full_doctor_who_already_has_the_family() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    // Two adults at one address; the first one's family doctor is full.
    let (first, second, doctor): (String, String, i64) = sqlx::query_as(
        "SELECT a.fiscal_code, b.fiscal_code, dc.doctor_id
           FROM people a JOIN people b ON b.address = a.address AND b.municipality = a.municipality AND b.fiscal_code > a.fiscal_code
           JOIN doctor_choices dc ON dc.person = a.fiscal_code AND dc.ended_on IS NULL
           JOIN doctors d ON d.id = dc.doctor_id AND d.kind = 'MMG'
           JOIN doctor_choices db ON db.person = b.fiscal_code AND db.ended_on IS NULL AND db.doctor_id <> dc.doctor_id
          WHERE a.birth_date <= date('now', '-18 years') AND b.birth_date <= date('now', '-18 years')
          ORDER BY a.fiscal_code LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("two adults of one household with different doctors");
    sqlx::query(
        "UPDATE doctors SET max_patients = (SELECT count(*) FROM doctor_choices WHERE doctor_id = $1 AND ended_on IS NULL)
          WHERE id = $1",
    )
    .bind(doctor)
    .execute(&pool)
    .await
    .expect("full doctor");
    let (given_name, family_name): (String, String) =
        sqlx::query_as("SELECT given_name, family_name FROM people WHERE fiscal_code = $1")
            .bind(&second)
            .fetch_one(&pool)
            .await
            .expect("name");
    let browser = app
        .sign_in(
            &idp,
            &FakeAccount { fiscal_code: second.clone(), given_name, family_name, role: "citizen", pharmacy_id: None },
        )
        .await;

    let response =
        app.post_form_as(&browser, "/medico/scelta", &[("person", &second), ("doctor_id", &doctor.to_string())]).await;

    assert_eq!(location(&response), "/medico", "'altro familiare in carico' allows going above the massimale");
    assert_eq!(current_doctor(&pool, &second).await, Some(doctor));
    assert_eq!(current_doctor(&pool, &first).await, Some(doctor), "the family member stays");
}

#[tokio::test]
async fn a_malformed_person_is_refused_clearly_and_never_reaches_the_redirect() {
    let (app, idp, parent) = parent_with_child().await;
    let pool = app.db().await;
    let (child, current, area) = child_with_paediatrician(&pool, &parent).await;
    let other = other_doctor(&pool, "PLS", area, current).await;
    let browser = app.sign_in(&idp, &parent).await;

    for person in [
        // A header break: once a 500 (the Location header could not be built).
        format!("{child}\r\nSet-Cookie: portale_sessione=rubata"),
        // Extra parameters and a fragment: once copied into the redirect.
        format!("{child}&disponibili=1&lingua=en#altrove"),
        "\u{202E}".to_string() + &child,
        String::new(),
    ] {
        let response = app
            .post_form_as(&browser, "/medico/scelta", &[("person", &person), ("doctor_id", &other.to_string())])
            .await;
        assert_eq!(response.status(), 303, "{person:?}");
        let target = location(&response);
        assert_eq!(target, "/medico#ricerca", "{person:?}");
        assert!(response.headers().get("set-cookie").is_none_or(|c| !c.to_str().unwrap_or("").contains("rubata")));
        let (_, page) = app.page_text(&browser, &target).await;
        assert!(page.contains("Puoi scegliere il medico solo per te"), "{person:?}");
    }
    assert_eq!(current_doctor(&pool, &child).await, Some(current), "nothing changed");

    // A well-formed code that is refused goes back to its search, encoded.
    let response =
        app.post_form_as(&browser, "/medico/scelta", &[("person", &child), ("doctor_id", &current.to_string())]).await;
    assert_eq!(location(&response), format!("/medico?per={child}#ricerca"));
}
