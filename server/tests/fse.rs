//! The Electronic Health Record: reading and filtering, one citizen never
//! reaching another's documents (pages, server functions, downloads,
//! changes), consent and obscuring as professionals see them, the
//! notebook's upload checks, and the FHIR export.

mod common;

use app::fse::model::ProfessionalView;
use app::fse::port::HealthRecord;
use app::identity::model::{Person, Principal, Relation, Role};
use common::fake_idp::FakeAccount;
use common::{demo_citizens, location, spawn_app_with_idp, TestApp, ADULT_WITHOUT_CHILDREN};
use server::fse::SqlHealthRecord;
use sqlx::AnyPool;

const LAB_REPORT: &str = "11502-2";

async fn document_ids(pool: &AnyPool, person: &str, loinc: Option<&str>) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT id FROM fse_documents WHERE person = $1 AND ($2 IS NULL OR loinc_code = $2) ORDER BY issued_at DESC",
    )
    .bind(person)
    .bind(loinc)
    .fetch_all(pool)
    .await
    .expect("documents")
}

async fn audit_count(pool: &AnyPool, subject: &str, action: &str, role: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE subject = $1 AND capability = 'fascicolo' AND action = $2 AND actor_role = $3",
    )
    .bind(subject)
    .bind(action)
    .bind(role)
    .fetch_one(pool)
    .await
    .expect("audit")
}

/// Two adults with lab reports.
async fn two_adults(app: &TestApp) -> Vec<FakeAccount> {
    demo_citizens(
        &app.db().await,
        &format!("{ADULT_WITHOUT_CHILDREN} AND EXISTS (SELECT 1 FROM fse_documents d WHERE d.person = p.fiscal_code AND d.loinc_code = '{LAB_REPORT}')"),
        2,
    )
    .await
}

fn principal(account: &FakeAccount, role: Role) -> Principal {
    let person = Person {
        fiscal_code: account.fiscal_code.clone(),
        given_name: account.given_name.clone(),
        family_name: account.family_name.clone(),
    };
    Principal {
        actor: person.clone(),
        role,
        pharmacy_id: None,
        subject: person,
        relation: Relation::Own,
        ip: "127.0.0.1".into(),
        request_id: "test".into(),
    }
}

#[tokio::test]
async fn a_citizen_filters_the_list_opens_a_lab_report_and_downloads_its_pdf() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let citizen = two_adults(&app).await.remove(0);
    let pool = app.db().await;
    let browser = app.sign_in(&idp, &citizen).await;
    let all = document_ids(&pool, &citizen.fiscal_code, None).await;
    let labs = document_ids(&pool, &citizen.fiscal_code, Some(LAB_REPORT)).await;

    let (status, page) = app.page_text(&browser, "/fascicolo").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("Documenti trovati: {}", all.len())), "{page}");
    assert!(page.contains(&format!("Documenti nuovi, non ancora aperti: {}", all.len())));

    let (_, filtered) = app.page_text(&browser, "/fascicolo?tipo=laboratorio").await;
    assert!(filtered.contains(&format!("Documenti trovati: {}", labs.len())));
    assert!(!filtered.contains("Verbale di Pronto Soccorso"));
    let (_, none) = app.page_text(&browser, "/fascicolo?dal=2099-01-01").await;
    assert!(none.contains("Documenti trovati: 0") && none.contains("Nessun documento corrisponde ai filtri"));

    let (status, report) = app.page_text(&browser, &format!("/fascicolo/documenti/{}", labs[0])).await;
    assert_eq!(status, 200);
    assert!(report.contains("Valori di riferimento") && report.contains("Glucosio") && report.contains("mg/dL"));
    let (_, list) = app.page_text(&browser, "/fascicolo").await;
    assert!(list.contains(&format!("Documenti nuovi, non ancora aperti: {}", all.len() - 1)), "opened: no longer new");

    let pdf =
        browser.get(app.url(&format!("/fascicolo/documenti/{}/documento.pdf", labs[0]))).send().await.expect("pdf");
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(String::from_utf8_lossy(&bytes).contains("(Glucosio)"));
    assert!(audit_count(&pool, &citizen.fiscal_code, "read", "self").await >= 4);
}

#[tokio::test]
async fn nobody_reaches_another_citizens_document_by_id() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = two_adults(&app).await;
    let (me, other) = (&people[0], &people[1]);
    let pool = app.db().await;
    let theirs = document_ids(&pool, &other.fiscal_code, Some(LAB_REPORT)).await[0];
    let their_note: i64 = sqlx::query_scalar(
        "INSERT INTO notebook_entries (person, title, file_name, media_type, size_bytes, content, uploaded_by)
         VALUES ($1, 'Referto privato', 'r.pdf', 'application/pdf', 9, $2, $1) RETURNING id",
    )
    .bind(&other.fiscal_code)
    .bind(b"%PDF-1.7\n".to_vec())
    .fetch_one(&pool)
    .await
    .expect("their note");
    let browser = app.sign_in(&idp, me).await;

    let (_, page) = app.page_text(&browser, &format!("/fascicolo/documenti/{theirs}")).await;
    assert!(page.contains("Documento non trovato"), "{page}");
    assert!(!page.contains(&other.fiscal_code));

    // The server function itself, called directly.
    let response = app.post_form_as(&browser, "/api/fse_document", &[("id", &theirs.to_string())]).await;
    assert_eq!(response.status(), 403, "a refusal, not a server failure");
    let body = response.text().await.expect("body");
    assert!(body.contains("NotAllowed") && !body.contains("Glucosio"), "{body}");

    for path in
        [format!("/fascicolo/documenti/{theirs}/documento.pdf"), format!("/fascicolo/taccuino/{their_note}/file")]
    {
        let response = browser.get(app.url(&path)).send().await.expect("download");
        assert_eq!(response.status(), 404, "{path}");
    }

    let obscure =
        app.post_form_as(&browser, &format!("/fascicolo/documenti/{theirs}/oscuramento"), &[("obscured", "1")]).await;
    assert_eq!(location(&obscure), "/fascicolo");
    let delete = app.post_form_as(&browser, &format!("/fascicolo/taccuino/{their_note}/elimina"), &[]).await;
    assert_eq!(location(&delete), "/fascicolo/taccuino");
    let obscured: i64 = sqlx::query_scalar("SELECT obscured FROM fse_documents WHERE id = $1")
        .bind(theirs)
        .fetch_one(&pool)
        .await
        .expect("doc");
    assert_eq!(obscured, 0, "their document is unchanged");
    let notes: i64 = sqlx::query_scalar("SELECT count(*) FROM notebook_entries WHERE id = $1")
        .bind(their_note)
        .fetch_one(&pool)
        .await
        .expect("notes");
    assert_eq!(notes, 1, "their note is still there");

    // The other person's summary never shows up in mine.
    let (_, summary) = app.page_text(&browser, "/fascicolo/profilo").await;
    assert!(summary.contains(&me.fiscal_code) && !summary.contains(&other.fiscal_code));
    // Every attempt is in the owner's log as refused, with who tried; none
    // in mine (issue 27: the owner must see that someone tried).
    assert!(audit_count(&pool, &other.fiscal_code, "refused", "self").await >= 6);
    assert_eq!(audit_count(&pool, &me.fiscal_code, "refused", "self").await, 0);
    let tried: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT actor FROM audit_log WHERE subject = $1 AND action = 'refused'")
            .bind(&other.fiscal_code)
            .fetch_all(&pool)
            .await
            .expect("log");
    assert_eq!(tried, vec![me.fiscal_code.clone()]);
    let owner = app.sign_in(&idp, other).await;
    let (_, accesses) = app.page_text(&owner, "/accessi?chi=altri").await;
    assert!(accesses.contains("Tentativo non autorizzato"), "{accesses}");
    assert!(accesses.contains(&me.fiscal_code) && accesses.contains(&format!("{} {}", me.given_name, me.family_name)));
    assert!(accesses.contains("Nessuna autorizzazione") && accesses.contains(&theirs.to_string()));
}

#[tokio::test]
async fn server_functions_answer_refusals_and_bad_arguments_with_their_own_status() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = two_adults(&app).await;
    let pool = app.db().await;
    let mine = document_ids(&pool, &people[0].fiscal_code, None).await[0];
    let theirs = document_ids(&pool, &people[1].fiscal_code, None).await[0];

    let signed_out = app.post_form("/api/fse_document", &[("id", &mine.to_string())]).await;
    assert_eq!(signed_out.status(), 401);
    let browser = app.sign_in(&idp, &people[0]).await;
    let allowed = app.post_form_as(&browser, "/api/fse_document", &[("id", &mine.to_string())]).await;
    assert_eq!(allowed.status(), 200);
    let wrong_person = app.post_form_as(&browser, "/api/fse_document", &[("id", &theirs.to_string())]).await;
    assert_eq!(wrong_person.status(), 403);
    let citizen_as_operator =
        app.post_form_as(&browser, "/api/fse_consult", &[("patient", &people[1].fiscal_code)]).await;
    assert_eq!(citizen_as_operator.status(), 403);

    let bad_arguments: [&[(&str, &str)]; 3] = [&[("id", "abc")], &[], &[("id", "99999999999999999999999")]];
    for form in bad_arguments {
        let response = app.post_form_as(&browser, "/api/fse_document", form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let body = response.text().await.expect("body");
        assert!(body.contains("dati della richiesta mancanti o non validi"), "{body}");
        for decoder_text in ["invalid", "missing field", "digit", "number", "Args", "deserializ"] {
            assert!(!body.contains(decoder_text), "the decoder's text is not echoed: {body}");
        }
    }
}

#[tokio::test]
async fn the_operators_look_up_says_the_same_for_strangers_and_refusals_and_is_rate_limited() {
    use app::identity::AccessError;
    use server::fse::consult::{LOOKUPS_PER_WINDOW, LOOKUP_WINDOW_MINUTES};

    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = two_adults(&app).await;
    let (patient, colleague) = (&people[0], &people[1]);
    let pool = app.db().await;
    let port = SqlHealthRecord::new(pool.clone());
    let operator = principal(colleague, Role::HospitalOperator);
    let not_a_resident = "RSSMRA80A01H501U";
    let registered: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE fiscal_code = $1")
        .bind(not_a_resident)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(registered, 0);

    // Not a resident and no consent: one answer.
    let stranger = port.consult(&operator, not_a_resident).await;
    let refused = port.consult(&operator, &patient.fiscal_code).await;
    assert_eq!(stranger, Ok(ProfessionalView::ConsentMissing));
    assert_eq!(refused, stranger);
    let operator_account = FakeAccount { role: "hospital_operator", ..colleague.clone() };
    let browser = app.sign_in(&idp, &operator_account).await;
    let (_, unknown_page) = app.page_text(&browser, &format!("/professionisti/fascicolo?cf={not_a_resident}")).await;
    let (_, refused_page) =
        app.page_text(&browser, &format!("/professionisti/fascicolo?cf={}", patient.fiscal_code)).await;
    let neutral = "Nessun documento da mostrare per questo codice fiscale";
    assert!(unknown_page.contains(neutral) && refused_page.contains(neutral), "{unknown_page}");
    assert!(!unknown_page.contains("Nessun assistito") && !refused_page.contains(&patient.family_name));

    // Counted in the database per operator: beyond the limit, 429.
    let done: i64 = sqlx::query_scalar("SELECT count(*) FROM professional_lookups WHERE operator = $1")
        .bind(&colleague.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert!(done >= 4, "every look-up counts, resident or not: {done}");
    for _ in done..LOOKUPS_PER_WINDOW {
        assert!(port.consult(&operator, not_a_resident).await.is_ok());
    }
    assert_eq!(port.consult(&operator, &patient.fiscal_code).await, Err(AccessError::TooManyRequests));
    let response = app.post_form_as(&browser, "/api/fse_consult", &[("patient", &patient.fiscal_code)]).await;
    assert_eq!(response.status(), 429);
    let (_, page) = app.page_text(&browser, &format!("/professionisti/fascicolo?cf={}", patient.fiscal_code)).await;
    assert!(page.contains("Troppe richieste"), "{page}");
    // Another operator is not affected; the window moves on.
    assert!(port.consult(&principal(patient, Role::HospitalOperator), not_a_resident).await.is_ok());
    sqlx::query("UPDATE professional_lookups SET at = $1")
        .bind(server::clock::stored_instant(chrono::Utc::now() - chrono::Duration::minutes(LOOKUP_WINDOW_MINUTES + 1)))
        .execute(&pool)
        .await
        .expect("older");
    assert!(port.consult(&operator, not_a_resident).await.is_ok());
}

#[tokio::test]
async fn professionals_need_consent_and_never_see_obscured_documents() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = two_adults(&app).await;
    let (patient, colleague) = (&people[0], &people[1]);
    let pool = app.db().await;
    let port = SqlHealthRecord::new(pool.clone());
    let operator = principal(colleague, Role::HospitalOperator);
    let hidden = document_ids(&pool, &patient.fiscal_code, Some(LAB_REPORT)).await[0];

    assert_eq!(port.consult(&operator, &patient.fiscal_code).await, Ok(ProfessionalView::ConsentMissing));
    assert_eq!(audit_count(&pool, &patient.fiscal_code, "refused", "operator").await, 1);

    let browser = app.sign_in(&idp, patient).await;
    let given = app.post_form_as(&browser, "/fascicolo/consenso", &[("given", "1")]).await;
    assert_eq!(location(&given), "/fascicolo/consensi");
    let (_, consents) = app.page_text(&browser, "/fascicolo/consensi").await;
    assert!(consents.contains("Consenso registrato") && consents.contains("Consenso alla consultazione: dato."));

    let Ok(ProfessionalView::Documents { documents, .. }) = port.consult(&operator, &patient.fiscal_code).await else {
        panic!("with consent the professional sees the record");
    };
    assert!(documents.iter().any(|d| d.id == hidden));

    let obscure =
        app.post_form_as(&browser, &format!("/fascicolo/documenti/{hidden}/oscuramento"), &[("obscured", "1")]).await;
    assert_eq!(location(&obscure), format!("/fascicolo/documenti/{hidden}"));
    let Ok(ProfessionalView::Documents { documents: after, .. }) = port.consult(&operator, &patient.fiscal_code).await
    else {
        panic!("still consented");
    };
    assert!(!after.iter().any(|d| d.id == hidden), "obscured: hidden from professionals");
    assert_eq!(after.len(), documents.len() - 1);
    // The citizen still sees it, marked.
    let (_, mine) = app.page_text(&browser, &format!("/fascicolo/documenti/{hidden}")).await;
    assert!(mine.contains("Questo documento è oscurato") && mine.contains("Rendi di nuovo visibile"));

    // The professional's page shows the same thing to a signed-in operator.
    let operator_account = FakeAccount { role: "hospital_operator", ..colleague.clone() };
    let operator_browser = app.sign_in(&idp, &operator_account).await;
    let (status, page) =
        app.page_text(&operator_browser, &format!("/professionisti/fascicolo?cf={}", patient.fiscal_code)).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("Documenti di {} {}", patient.given_name, patient.family_name)), "{page}");

    app.post_form_as(&browser, &format!("/fascicolo/documenti/{hidden}/oscuramento"), &[("obscured", "0")]).await;
    app.post_form_as(&browser, "/fascicolo/consenso", &[("given", "0")]).await;
    assert_eq!(port.consult(&operator, &patient.fiscal_code).await, Ok(ProfessionalView::ConsentMissing));
    let (_, refused) =
        app.page_text(&operator_browser, &format!("/professionisti/fascicolo?cf={}", patient.fiscal_code)).await;
    assert!(refused.contains("non ha dato il consenso alla consultazione") && !refused.contains("Documenti di"));
    // A citizen is not a professional.
    let (_, citizen_tries) =
        app.page_text(&browser, &format!("/professionisti/fascicolo?cf={}", colleague.fiscal_code)).await;
    assert!(citizen_tries.contains("Operazione non consentita"));

    let events: Vec<i64> = sqlx::query_scalar("SELECT given FROM fse_consent_events WHERE person = $1 ORDER BY id")
        .bind(&patient.fiscal_code)
        .fetch_all(&pool)
        .await
        .expect("events");
    assert_eq!(events, [1, 0]);
    let writes: Vec<String> = sqlx::query_scalar(
        "SELECT record_id FROM audit_log WHERE subject = $1 AND action = 'write' AND capability = 'fascicolo' ORDER BY id",
    )
    .bind(&patient.fiscal_code)
    .fetch_all(&pool)
    .await
    .expect("writes");
    assert_eq!(
        writes,
        ["consenso:dato", format!("{hidden}:P99").as_str(), format!("{hidden}:P00").as_str(), "consenso:revocato"]
    );
}

fn upload_form(title: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("title", title.to_string())
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()))
}

async fn upload(app: &TestApp, browser: &reqwest::Client, form: reqwest::multipart::Form) -> reqwest::Response {
    browser
        .post(app.url("/fascicolo/taccuino"))
        .header("origin", &app.address)
        .header("sec-fetch-site", "same-origin")
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

#[tokio::test]
async fn bad_uploads_are_refused_with_a_clear_message_and_store_nothing() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let citizen = two_adults(&app).await.remove(0);
    let pool = app.db().await;
    let browser = app.sign_in(&idp, &citizen).await;
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let mut too_large = png.clone();
    too_large.resize(5 * 1024 * 1024 + 1, 0);

    for (form, message) in [
        (upload_form("Script", "referto.pdf", b"#!/bin/sh\necho ciao".to_vec()), "non è un PDF, un JPEG o un PNG"),
        (
            upload_form("Pagina", "pagina.png", b"<html><script>alert(1)</script>".to_vec()),
            "non è un PDF, un JPEG o un PNG",
        ),
        (upload_form("Vuoto", "vuoto.pdf", vec![]), "Scegli un file da caricare"),
        (upload_form("   ", "foto.png", png.clone()), "Scrivi un titolo"),
        (upload_form(&"x".repeat(121), "foto.png", png.clone()), "Scrivi un titolo"),
        (upload_form("Grande", "grande.png", too_large), "Il file supera 5 MB"),
    ] {
        let response = upload(&app, &browser, form).await;
        assert_eq!(location(&response), "/fascicolo/taccuino", "{message}");
        let (status, page) = app.page_text(&browser, "/fascicolo/taccuino").await;
        assert!(
            page.contains(message) && page.to_lowercase().contains("non è stato salvato nulla"),
            "{message}: status {status}: {page}"
        );
        let stored: i64 =
            sqlx::query_scalar("SELECT count(*) FROM notebook_entries").fetch_one(&pool).await.expect("count");
        assert_eq!(stored, 0, "{message}: nothing stored");
    }

    let response = upload(&app, &browser, upload_form("Radiografia privata", "../../RX torace.png", png.clone())).await;
    assert_eq!(location(&response), "/fascicolo/taccuino");
    let (_, page) = app.page_text(&browser, "/fascicolo/taccuino").await;
    assert!(
        page.contains("Documento aggiunto al taccuino")
            && page.contains("Radiografia privata")
            && page.contains("RX torace.png")
    );
    let id: i64 = sqlx::query_scalar("SELECT id FROM notebook_entries").fetch_one(&pool).await.expect("stored");
    let file = browser.get(app.url(&format!("/fascicolo/taccuino/{id}/file"))).send().await.expect("file");
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert_eq!(file.bytes().await.expect("bytes").to_vec(), png);

    let deleted = app.post_form_as(&browser, &format!("/fascicolo/taccuino/{id}/elimina"), &[]).await;
    assert_eq!(location(&deleted), "/fascicolo/taccuino");
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notebook_entries").fetch_one(&pool).await.expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn a_delegate_consults_but_does_not_change_the_record() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = two_adults(&app).await;
    let (delegator, delegate) = (&people[0], &people[1]);
    let pool = app.db().await;
    sqlx::query(
        "INSERT INTO delegations (delegator, delegate, scopes, valid_until) VALUES ($1, $2, 'fascicolo', '2099-12-31')",
    )
    .bind(&delegator.fiscal_code)
    .bind(&delegate.fiscal_code)
    .execute(&pool)
    .await
    .expect("delegation");
    let browser = app.sign_in(&idp, delegate).await;
    app.post_form_as(&browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/fascicolo")]).await;

    let (_, summary) = app.page_text(&browser, "/fascicolo/profilo").await;
    assert!(summary.contains(&delegator.fiscal_code));
    let refused = app.post_form_as(&browser, "/fascicolo/consenso", &[("given", "1")]).await;
    assert_eq!(location(&refused), "/fascicolo/consensi");
    let (_, page) = app.page_text(&browser, "/fascicolo/consensi").await;
    assert!(page.contains("Solo la persona interessata"));
    let events: i64 =
        sqlx::query_scalar("SELECT count(*) FROM fse_consent_events").fetch_one(&pool).await.expect("events");
    assert_eq!(events, 0);
    assert!(audit_count(&pool, &delegator.fiscal_code, "read", "delegate").await >= 1);
}

#[tokio::test]
async fn the_fhir_export_is_a_bundle_of_the_whole_record() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let citizen = two_adults(&app).await.remove(0);
    let pool = app.db().await;
    let browser = app.sign_in(&idp, &citizen).await;

    let response = browser.get(app.url("/fascicolo/esporta/fhir.json")).send().await.expect("export");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/fhir+json");
    assert!(response.headers()["content-disposition"].to_str().expect("ascii").contains(&citizen.fiscal_code));
    let bundle: serde_json::Value = response.json().await.expect("valid JSON");
    assert_eq!(bundle["resourceType"], "Bundle");
    let entries = bundle["entry"].as_array().expect("entries");
    let of_type = |kind: &str| entries.iter().filter(|e| e["resource"]["resourceType"] == kind).count();
    assert_eq!(of_type("Patient"), 1);
    assert_eq!(of_type("DocumentReference"), document_ids(&pool, &citizen.fiscal_code, None).await.len());
    assert!(of_type("Observation") >= 6, "lab values as observations");
    let vaccinations: i64 = sqlx::query_scalar("SELECT count(*) FROM vaccinations WHERE person = $1")
        .bind(&citizen.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("vaccinations");
    assert_eq!(of_type("Immunization") as i64, vaccinations);
    assert_eq!(entries[0]["resource"]["identifier"][0]["value"], citizen.fiscal_code.as_str());
}
