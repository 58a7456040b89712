//! Sign-in (OpenID Connect code + PKCE + state + nonce), sessions, CSRF,
//! acting for children and delegators, the audit log and machine tokens,
//! against the real server and a fake identity provider.

mod common;

use std::time::Duration;

use common::fake_idp::FakeAccount;
use common::{browser, demo_citizens, location, spawn_app_with_idp, ADULT_WITHOUT_CHILDREN, PARENT_OF_A_MINOR};

/// The `Set-Cookie` header of one cookie (empty when absent).
fn set_cookie(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|cookie| cookie.starts_with(&format!("{name}=")))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn signing_in_uses_pkce_state_and_nonce_and_comes_back_to_the_page() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = browser();

    let request = app.begin_sign_in(&browser, "/accessi").await;
    assert_eq!(request.code_challenge_method, "S256");
    assert_eq!(request.code_challenge.len(), 43, "a base64url SHA-256 challenge");
    assert!(request.state.len() >= 16 && request.nonce.len() >= 16);
    assert_eq!(request.redirect_uri, app.url("/auth/callback"));
    assert!(request.scope.split(' ').any(|s| s == "openid"));
    let code = idp.issue_code(&person, &request, None);
    let response = app.callback(&browser, &code, &request.state).await;

    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/accessi");
    let cookie = set_cookie(&response, "portale_sessione");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain-http localhost relaxes Secure: {cookie}");
    assert!(cookie.contains("Max-Age=900"), "15 minutes idle: {cookie}");
    assert!(set_cookie(&response, "portale_accesso").contains("HttpOnly"));
    let (status, page) = app.page_text(&browser, "/accessi").await;
    assert_eq!(status, 200);
    assert!(page.contains(&person.given_name) && page.contains("Accesso effettuato."), "signed-in page");
}

#[tokio::test]
async fn over_https_the_cookies_are_host_only_and_secure() {
    let (app, idp) = spawn_app_with_idp(|settings| settings.https = true).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    // reqwest keeps Secure cookies away from http://: carry them by hand.
    let login = app.client.get(app.url("/auth/login?return_to=/")).send().await.expect("login");
    let pending = set_cookie(&login, "__Host-portale_sessione");
    assert!(pending.contains("Secure") && pending.contains("Path=/") && !pending.contains("Domain"), "{pending}");
    let request = common::fake_idp::AuthorizationRequest::from_url(&location(&login));
    let code = idp.issue_code(&person, &request, None);
    let session = pending.split(';').next().expect("pair").to_string();
    let response = app
        .client
        .get(app.url("/auth/callback"))
        .query(&[("code", code.as_str()), ("state", request.state.as_str())])
        .header("cookie", session)
        .send()
        .await
        .expect("callback");
    assert_eq!(location(&response), "/");
    let cookie = set_cookie(&response, "__Host-portale_sessione");
    assert!(cookie.contains("Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"), "{cookie}");
    let marker = set_cookie(&response, "__Host-portale_accesso");
    assert!(marker.contains("Secure") && marker.contains("Path=/"), "{marker}");
    assert!(set_cookie(&response, "portale_sessione").is_empty(), "no unprefixed cookie over HTTPS");
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_audit_log_records_the_clients_address() {
    for (trusted, expected) in [(true, "203.0.113.9"), (false, "127.0.0.1")] {
        let (app, idp) = spawn_app_with_idp(|settings| {
            if trusted {
                settings.trusted_proxies = vec!["127.0.0.1".parse().expect("address")];
            }
        })
        .await;
        let pool = app.db().await;
        let person = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
        let browser = app.sign_in(&idp, &person).await;
        // The client forges an address; the proxy appends the real one.
        let response = browser
            .get(app.url("/fascicolo"))
            .header("x-forwarded-for", "198.51.100.66, 203.0.113.9")
            .send()
            .await
            .expect("page");
        assert_eq!(response.status(), 200);
        let addresses: Vec<String> = sqlx::query_scalar("SELECT DISTINCT ip FROM audit_log WHERE subject = $1")
            .bind(&person.fiscal_code)
            .fetch_all(&pool)
            .await
            .expect("log");
        assert_eq!(addresses, [expected], "trusted proxy: {trusted}");
    }
}

#[tokio::test]
async fn signing_in_gives_a_new_session_id() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = browser();
    let login = browser.get(app.url("/auth/login?return_to=/")).send().await.expect("login");
    let before = set_cookie(&login, "portale_sessione");
    let request = common::fake_idp::AuthorizationRequest::from_url(&location(&login));

    let code = idp.issue_code(&person, &request, None);
    let response = app.callback(&browser, &code, &request.state).await;

    let after = set_cookie(&response, "portale_sessione");
    let id = |cookie: &str| cookie.split(';').next().unwrap_or_default().to_string();
    assert!(!id(&before).is_empty() && !id(&after).is_empty());
    assert_ne!(id(&before), id(&after), "the pre-login session id must not survive sign-in");
}

#[tokio::test]
async fn a_tampered_state_is_refused_and_signs_nobody_in() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = browser();
    let request = app.begin_sign_in(&browser, "/accessi").await;
    let code = idp.issue_code(&person, &request, None);

    let response = app.callback(&browser, &code, &format!("{}x", request.state)).await;

    assert_eq!(location(&response), "/accesso-non-riuscito?motivo=non-valido");
    let page = browser.get(app.url("/accessi")).send().await.expect("page");
    assert!(location(&page).starts_with("/auth/login"), "still signed out");
}

#[tokio::test]
async fn a_replayed_callback_or_code_is_refused() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = browser();
    let request = app.begin_sign_in(&browser, "/").await;
    let code = idp.issue_code(&person, &request, None);
    assert_eq!(location(&app.callback(&browser, &code, &request.state).await), "/");

    // The same callback again, in another browser: no pending sign-in there.
    let attacker = common::browser();
    let replayed = app.callback(&attacker, &code, &request.state).await;
    assert_eq!(location(&replayed), "/accesso-non-riuscito?motivo=scaduto");
    // A fresh sign-in that presents the already used code: the provider refuses it.
    let second = app.begin_sign_in(&attacker, "/").await;
    let reused = app.callback(&attacker, &code, &second.state).await;
    assert_eq!(location(&reused), "/accesso-non-riuscito?motivo=non-valido");
    let page = attacker.get(app.url("/deleghe")).send().await.expect("page");
    assert!(location(&page).starts_with("/auth/login"), "the attacker is not signed in");
}

#[tokio::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = browser();
    let request = app.begin_sign_in(&browser, "/").await;
    let code = idp.issue_code(&person, &request, Some("un-altro-nonce"));

    let response = app.callback(&browser, &code, &request.state).await;

    assert_eq!(location(&response), "/accesso-non-riuscito?motivo=non-valido");
}

#[tokio::test]
async fn cancelling_at_the_provider_says_so() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;
    let browser = browser();
    let request = app.begin_sign_in(&browser, "/").await;

    let response = browser
        .get(app.url("/auth/callback"))
        .query(&[("error", "access_denied"), ("state", request.state.as_str())])
        .send()
        .await
        .expect("callback");

    assert_eq!(location(&response), "/accesso-non-riuscito?motivo=annullato");
    let (_, page) = app.page_text(&browser, "/accesso-non-riuscito?motivo=annullato").await;
    assert!(page.contains("Hai annullato l&#x27;accesso") || page.contains("Hai annullato l'accesso"));
}

#[tokio::test]
async fn a_return_path_off_site_is_ignored() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    for off_site in ["https://evil.example/", "//evil.example", "/\\evil.example"] {
        let browser = browser();
        let request = app.begin_sign_in(&browser, &common_encode(off_site)).await;
        let code = idp.issue_code(&person, &request, None);

        let response = app.callback(&browser, &code, &request.state).await;

        assert_eq!(location(&response), "/", "{off_site}");
    }
}

fn common_encode(text: &str) -> String {
    app::ui::links::percent_encode(text)
}

#[tokio::test]
async fn a_signed_out_visit_to_a_personal_page_goes_to_sign_in_and_back() {
    let (app, _idp) = spawn_app_with_idp(|_| {}).await;

    let response = browser().get(app.url("/accessi?chi=altri")).send().await.expect("page");

    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/auth/login?return_to=/accessi%3Fchi%3Daltri");
}

#[tokio::test]
async fn an_idle_session_expires_with_a_clear_message() {
    let (app, idp) = spawn_app_with_idp(|settings| settings.session_idle = Duration::from_secs(1)).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &person).await;

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let response = browser.get(app.url("/accessi")).send().await.expect("page");

    assert_eq!(location(&response), "/sessione-scaduta?return_to=/accessi");
    let (status, page) = app.page_text(&browser, "/sessione-scaduta?return_to=/accessi").await;
    assert_eq!(status, 200);
    assert!(page.contains("Sessione scaduta"));
    assert!(page.contains("/auth/login?return_to=/accessi"), "offers to sign in again and come back");
}

#[tokio::test]
async fn a_session_ends_after_the_absolute_limit_even_when_active() {
    let (app, idp) = spawn_app_with_idp(|settings| settings.session_absolute = Duration::from_secs(1)).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &person).await;
    assert_eq!(browser.get(app.url("/accessi")).send().await.expect("page").status(), 200);

    tokio::time::sleep(Duration::from_millis(2200)).await;
    let response = browser.get(app.url("/accessi")).send().await.expect("page");

    assert_eq!(location(&response), "/sessione-scaduta?return_to=/accessi");
}

#[tokio::test]
async fn cross_site_writes_are_refused_and_change_nothing() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let browser = app.sign_in(&idp, &people[0]).await;
    let form = [("delegate", people[1].fiscal_code.as_str()), ("scopes", "fascicolo"), ("valid_until", "2099-01-01")];

    for path in ["/deleghe", "/agisci-per", "/auth/logout", "/deleghe/1/revoca", "/lingua"] {
        let by_origin = browser
            .post(app.url(path))
            .header("origin", "https://evil.example")
            .form(&form)
            .send()
            .await
            .expect("post");
        let by_fetch_metadata =
            browser.post(app.url(path)).header("sec-fetch-site", "cross-site").form(&form).send().await.expect("post");
        assert_eq!(by_origin.status(), 403, "{path}");
        assert_eq!(by_fetch_metadata.status(), 403, "{path}");
    }
    let delegations: i64 =
        sqlx::query_scalar("SELECT count(*) FROM delegations").fetch_one(&pool).await.expect("count");
    assert_eq!(delegations, 0);
    assert_eq!(browser.get(app.url("/accessi")).send().await.expect("page").status(), 200, "still signed in");
}

#[tokio::test]
async fn sign_out_ends_the_session_and_the_providers() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &person).await;

    let before = set_cookie(&browser.get(app.url("/")).send().await.expect("page"), "portale_sessione");

    let response = app.post_form_as(&browser, "/auth/logout", &[]).await;

    assert_eq!(response.status(), 303);
    let after = set_cookie(&response, "portale_sessione");
    let id = |cookie: &str| cookie.split(';').next().unwrap_or_default().to_string();
    assert_ne!(id(&before), id(&after), "the signed-in session id is gone");
    assert!(set_cookie(&response, "portale_accesso").contains("Max-Age=0"));
    let target = location(&response);
    assert!(target.starts_with(&format!("{}/session/end?", idp.issuer)), "{target}");
    assert!(target.contains("id_token_hint=") && target.contains("post_logout_redirect_uri="), "{target}");
    let (_, home) = app.page_text(&browser, "/").await;
    assert!(home.contains("Sei uscito dal Portale Salute."));
    let page = browser.get(app.url("/accessi")).send().await.expect("page");
    assert!(location(&page).starts_with("/auth/login"), "signed out");
    assert_eq!(browser.get(app.url("/auth/logout")).send().await.expect("get").status(), 405, "no sign-out on GET");
}

#[tokio::test]
async fn personal_pages_are_never_cached() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &person).await;

    let response = browser.get(app.url("/accessi")).send().await.expect("page");

    assert_eq!(response.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
}

#[tokio::test]
async fn a_parent_acts_for_a_minor_child_and_the_child_sees_it_in_the_log() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let parent = demo_citizens(&pool, PARENT_OF_A_MINOR, 1).await.remove(0);
    let child: (String, String) = sqlx::query_as(
        "SELECT c.fiscal_code, c.given_name FROM guardianships g JOIN people c ON c.fiscal_code = g.child
          WHERE g.parent = $1 AND c.birth_date > date('now', '-17 years') ORDER BY c.fiscal_code LIMIT 1",
    )
    .bind(&parent.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("a minor child");
    let browser = app.sign_in(&idp, &parent).await;

    let response = app.post_form_as(&browser, "/agisci-per", &[("per", &child.0), ("return_to", "/accessi")]).await;

    assert_eq!(location(&response), "/accessi");
    let (_, page) = app.page_text(&browser, "/accessi").await;
    assert!(page.contains("Ora stai agendo per la persona scelta."));
    assert!(page.contains("Stai consultando i dati di") && page.contains(&child.1), "banner with the child");
    let entries: Vec<(String, String)> = sqlx::query_as("SELECT actor, actor_role FROM audit_log WHERE subject = $1")
        .bind(&child.0)
        .fetch_all(&pool)
        .await
        .expect("log");
    assert_eq!(entries, vec![(parent.fiscal_code.clone(), "parent".to_string())]);
}

#[tokio::test]
async fn nobody_acts_for_a_stranger() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let people = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 2).await;
    let browser = app.sign_in(&idp, &people[0]).await;

    app.post_form_as(&browser, "/agisci-per", &[("per", &people[1].fiscal_code), ("return_to", "/accessi")]).await;

    let (_, page) = app.page_text(&browser, "/accessi").await;
    assert!(page.contains("Non puoi agire per questa persona"));
    assert!(!page.contains("Stai consultando i dati di"), "still acting for themselves");
}

async fn give_delegation(
    app: &common::TestApp,
    browser: &reqwest::Client,
    delegate: &FakeAccount,
    scopes: &[&str],
    valid_until: &str,
) -> reqwest::Response {
    let mut form = vec![
        ("delegate", delegate.fiscal_code.as_str()),
        ("delegate_given_name", delegate.given_name.as_str()),
        ("delegate_family_name", delegate.family_name.as_str()),
        ("valid_until", valid_until),
    ];
    form.extend(scopes.iter().map(|scope| ("scopes", *scope)));
    app.post_form_as(browser, "/deleghe", &form).await
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

#[tokio::test]
async fn a_delegate_acts_within_the_scope_and_the_delegator_sees_every_access() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let (delegator, delegate) = (&people[0], &people[1]);
    let delegator_browser = app.sign_in(&idp, delegator).await;
    let given = give_delegation(&app, &delegator_browser, delegate, &["accessi", "fascicolo"], &in_days(30)).await;
    assert_eq!(location(&given), "/deleghe");
    let delegate_browser = app.sign_in(&idp, delegate).await;

    app.post_form_as(&delegate_browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/accessi")])
        .await;
    let (status, page) = app.page_text(&delegate_browser, "/accessi").await;

    assert_eq!(status, 200);
    assert!(page.contains("Stai consultando i dati di") && page.contains(&delegator.family_name));
    let (_, delegator_view) = app.page_text(&delegator_browser, "/accessi?chi=altri").await;
    assert!(delegator_view.contains(&delegate.fiscal_code) && delegator_view.contains("Delegato"));
    let (_, only_me) = app.page_text(&delegator_browser, "/accessi?chi=io").await;
    assert!(!only_me.contains(&delegate.fiscal_code), "the 'only me' filter hides the delegate");
}

#[tokio::test]
async fn a_delegate_without_the_scope_is_refused_and_the_refusal_is_logged() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let (delegator, delegate) = (&people[0], &people[1]);
    let delegator_browser = app.sign_in(&idp, delegator).await;
    give_delegation(&app, &delegator_browser, delegate, &["fascicolo"], &in_days(30)).await;
    let delegate_browser = app.sign_in(&idp, delegate).await;
    app.post_form_as(&delegate_browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/")]).await;

    let (_, page) = app.page_text(&delegate_browser, "/accessi").await;

    assert!(page.contains("Operazione non consentita"));
    let log: Vec<(String, String, String)> =
        sqlx::query_as("SELECT actor, capability, action FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(&delegator.fiscal_code)
            .fetch_all(&pool)
            .await
            .expect("log");
    // The delegation given (with its audit line), then the delegate's refusal.
    assert_eq!(
        log,
        vec![
            (delegator.fiscal_code.clone(), "deleghe".to_string(), "write".to_string()),
            (delegate.fiscal_code.clone(), "accessi".to_string(), "refused".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_delegation_past_its_expiry_is_refused() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let (delegator, delegate) = (&people[0], &people[1]);
    sqlx::query("INSERT INTO delegations (delegator, delegate, scopes, valid_until) VALUES ($1, $2, 'accessi', $3)")
        .bind(&delegator.fiscal_code)
        .bind(&delegate.fiscal_code)
        .bind(in_days(-2))
        .execute(&pool)
        .await
        .expect("expired delegation");
    let browser = app.sign_in(&idp, delegate).await;

    app.post_form_as(&browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/accessi")]).await;

    let (_, page) = app.page_text(&browser, "/accessi").await;
    assert!(page.contains("Non puoi agire per questa persona"));
    assert!(!page.contains("Stai consultando i dati di"));
}

#[tokio::test]
async fn a_revoked_delegation_stops_working_on_the_next_request() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let (delegator, delegate) = (&people[0], &people[1]);
    let delegator_browser = app.sign_in(&idp, delegator).await;
    give_delegation(&app, &delegator_browser, delegate, &["accessi"], &in_days(30)).await;
    let delegate_browser = app.sign_in(&idp, delegate).await;
    app.post_form_as(&delegate_browser, "/agisci-per", &[("per", &delegator.fiscal_code), ("return_to", "/")]).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM delegations").fetch_one(&pool).await.expect("id");

    let revoked = app.post_form_as(&delegator_browser, &format!("/deleghe/{id}/revoca"), &[]).await;

    assert_eq!(location(&revoked), "/deleghe");
    let (_, page) = app.page_text(&delegate_browser, "/accessi").await;
    assert!(page.contains("La delega con cui agivi non è più valida"));
    assert!(!page.contains("Stai consultando i dati di"));
    // The delegate cannot revoke (or re-revoke) what is not theirs.
    app.post_form_as(&delegate_browser, &format!("/deleghe/{id}/revoca"), &[]).await;
    let (_, page) = app.page_text(&delegate_browser, "/deleghe").await;
    assert!(page.contains("Delega non trovata o già revocata."));
}

#[tokio::test]
async fn a_bad_delegation_form_gets_its_own_message_and_stores_nothing() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let browser = app.sign_in(&idp, &people[0]).await;
    let wrong_check_letter = {
        let mut code = people[1].fiscal_code.clone();
        let last = if code.ends_with('A') { "B" } else { "A" };
        code.replace_range(15.., last);
        code
    };
    let cases: [(&str, &[&str], String, &str); 4] = [
        (
            wrong_check_letter.as_str(),
            &["accessi"],
            in_days(30),
            "Il codice fiscale della persona da delegare non è valido",
        ),
        (people[0].fiscal_code.as_str(), &["accessi"], in_days(30), "Non puoi delegare te stesso/a."),
        (people[1].fiscal_code.as_str(), &[], in_days(30), "Scegli almeno un servizio da delegare."),
        (
            people[1].fiscal_code.as_str(),
            &["accessi"],
            in_days(400),
            "La data di scadenza deve essere tra domani e un anno da oggi.",
        ),
    ];

    for (code, scopes, until, message) in cases {
        let delegate = FakeAccount { fiscal_code: code.to_string(), ..people[1].clone() };
        give_delegation(&app, &browser, &delegate, scopes, &until).await;
        let (_, page) = app.page_text(&browser, "/deleghe").await;
        assert!(page.contains(message), "{message}");
    }
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM delegations").fetch_one(&pool).await.expect("count");
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn giving_a_delegation_never_tells_whose_a_fiscal_code_is() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let people = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 2).await;
    let (delegator, delegate) = (&people[0], &people[1]);
    let browser = app.sign_in(&idp, delegator).await;
    let neutral = "Codice fiscale, nome e cognome non corrispondono a un assistito del Servizio sanitario ligure";
    // A valid fiscal code of nobody in the registry, and a resident's code
    // with another name: the same answer, and the resident's name is never shown.
    let nobody = FakeAccount { fiscal_code: "RSSMRA80A01H501U".into(), ..delegate.clone() };
    let wrong_name = FakeAccount { given_name: "Nomeacaso".into(), ..delegate.clone() };
    let no_name = FakeAccount { given_name: " ".into(), ..delegate.clone() };
    let mut pages = Vec::new();
    for attempt in [&nobody, &wrong_name] {
        give_delegation(&app, &browser, attempt, &["accessi"], &in_days(30)).await;
        let (_, page) = app.page_text(&browser, "/deleghe").await;
        assert!(page.contains(neutral), "{page}");
        assert!(!page.contains(&delegate.family_name), "the registry's name is never revealed");
        pages.push(page);
    }
    give_delegation(&app, &browser, &no_name, &["accessi"], &in_days(30)).await;
    let (_, page) = app.page_text(&browser, "/deleghe").await;
    assert!(page.contains("Scrivi il nome e il cognome della persona da delegare"));
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM delegations").fetch_one(&pool).await.expect("count");
    assert_eq!(stored, 0);

    // The right name, whatever its case and spacing, is accepted.
    let typed = FakeAccount {
        given_name: format!("  {}", delegate.given_name.to_lowercase()),
        family_name: delegate.family_name.to_uppercase(),
        ..delegate.clone()
    };
    let given = give_delegation(&app, &browser, &typed, &["accessi"], &in_days(30)).await;
    assert_eq!(location(&given), "/deleghe");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM delegations").fetch_one(&pool).await.expect("count");
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn the_audit_log_is_append_only_in_the_database() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let parent = demo_citizens(&pool, PARENT_OF_A_MINOR, 1).await.remove(0);
    let child: String = sqlx::query_scalar("SELECT child FROM guardianships WHERE parent = $1 LIMIT 1")
        .bind(&parent.fiscal_code)
        .fetch_one(&pool)
        .await
        .expect("child");
    let browser = app.sign_in(&idp, &parent).await;
    app.post_form_as(&browser, "/agisci-per", &[("per", &child), ("return_to", "/accessi")]).await;
    app.page_text(&browser, "/accessi").await;

    let update = sqlx::query("UPDATE audit_log SET actor = 'X'").execute(&pool).await;
    let delete = sqlx::query("DELETE FROM audit_log").execute(&pool).await;

    assert!(update.is_err() && delete.is_err());
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log").fetch_one(&pool).await.expect("count");
    assert!(kept >= 1);
}

#[tokio::test]
async fn machine_calls_need_an_active_token_with_the_right_scope() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let client = reqwest::Client::new();
    let call = |path: &'static str, token: Option<String>| {
        let mut request = client.get(app.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };

    let missing = call("/ingest/v1/emergency/whoami", None).await.expect("call");
    let unknown = call("/ingest/v1/emergency/whoami", Some("inventato".into())).await.expect("call");
    let wrong_scope = call("/ingest/v1/surgery/whoami", Some(idp.machine_token("ospedale-gaslini", "emergency:write")))
        .await
        .expect("call");
    let right = call("/ingest/v1/emergency/whoami", Some(idp.machine_token("ospedale-gaslini", "emergency:write")))
        .await
        .expect("call");

    assert_eq!(missing.status(), 401);
    assert!(missing.headers().get("www-authenticate").is_some());
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong_scope.status(), 403);
    let body: serde_json::Value = wrong_scope.json().await.expect("json");
    assert_eq!(body["error"], "insufficient_scope");
    assert_eq!(right.status(), 200);
    let body: serde_json::Value = right.json().await.expect("json");
    assert_eq!(body["client_id"], "ospedale-gaslini");
}

#[tokio::test]
async fn without_the_identity_provider_public_pages_work_and_sign_in_explains() {
    let app = common::spawn_app_with(|settings| settings.oidc_issuer = "http://127.0.0.1:9".into()).await;

    let home = app.get("/").await;
    let login = app.get("/auth/login?return_to=/accessi").await;

    assert_eq!(home.status(), 200);
    assert_eq!(location(&login), "/accesso-non-riuscito?motivo=non-disponibile");
}

#[tokio::test]
async fn the_development_provider_gets_adult_residents_and_staff_as_pure_json() {
    let folder = tempfile::tempdir().expect("folder");
    let database_url = common::fresh_database(folder.path(), "portale.db").await;

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("idp-accounts")
        .env("PORTALE_DATABASE_URL", &database_url)
        .env("PORTALE_LOG", "info")
        .output()
        .expect("server idp-accounts runs");

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let accounts: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("stdout is only JSON");
    let role = |r: &str| accounts.iter().filter(|a| a["role"] == r).count();
    assert!(role("citizen") >= 30, "the adult demo residents");
    assert_eq!(role("pharmacist"), 2);
    assert_eq!(role("hospital_operator"), 1);
    assert!(accounts[0]["description"].as_str().unwrap_or_default().contains("genitore di"), "parents first");
    let pool = sqlx::AnyPool::connect(&database_url).await.expect("database");
    for account in accounts.iter().filter(|a| a["role"] == "citizen") {
        let code = account["fiscal_code"].as_str().unwrap_or_default();
        assert!(app::domain::fiscal_code::FiscalCode::parse(code).is_ok(), "{code}");
        let adult: server::db::Flag =
            sqlx::query_scalar("SELECT birth_date <= date('now', '-18 years') FROM people WHERE fiscal_code = $1")
                .bind(code)
                .fetch_one(&pool)
                .await
                .expect("a resident");
        assert!(adult.0, "{code} is an adult resident");
    }
    for account in accounts.iter().filter(|a| a["role"] == "pharmacist") {
        assert!(account["pharmacy_id"].is_string());
    }
}

/// The stored expiry of every session.
async fn session_expiries(app: &common::TestApp) -> Vec<String> {
    let sql = if common::on_postgres().is_some() {
        "SELECT CAST(expiry_date AS TEXT) FROM tower_sessions.session ORDER BY id"
    } else {
        "SELECT expiry_date FROM tower_sessions ORDER BY id"
    };
    sqlx::query_scalar(sql).fetch_all(&app.db().await).await.expect("sessions")
}

#[tokio::test]
async fn reading_pages_signed_in_does_not_write_the_session() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &person).await;
    // The first page after sign-in renews the idle expiry once.
    assert_eq!(app.page_text(&browser, "/").await.0, 200);
    let renewed = session_expiries(&app).await;
    assert_eq!(renewed.len(), 1);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    for path in ["/", "/accessi", "/fascicolo", "/"] {
        assert_eq!(app.page_text(&browser, path).await.0, 200, "{path}");
    }
    assert_eq!(session_expiries(&app).await, renewed, "reads within the minute leave the session as it was");
}

#[tokio::test]
async fn an_active_session_is_still_renewed() {
    // A 15-second idle timeout is renewed at most every second.
    let (app, idp) = spawn_app_with_idp(|settings| settings.session_idle = Duration::from_secs(15)).await;
    let person = demo_citizens(&app.db().await, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let browser = app.sign_in(&idp, &person).await;
    assert_eq!(app.page_text(&browser, "/").await.0, 200);
    let before = session_expiries(&app).await;

    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(app.page_text(&browser, "/").await.0, 200);
    let after = session_expiries(&app).await;
    assert!(after[0] > before[0], "the idle expiry moved on: {before:?} → {after:?}");
}
