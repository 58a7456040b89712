//! The inbox: a parent reads their own and their minor children's
//! notifications, never anyone else's; the header counts the unread ones;
//! opening marks read and follows only portal paths; mark all as read.

mod common;

use common::{demo_citizens, location, spawn_app_with_idp, ADULT_WITHOUT_CHILDREN, PARENT_OF_A_MINOR};
use sqlx::AnyPool;

async fn notify(pool: &AnyPool, person: &str, message: &str, link: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO notifications (person, kind, message, link) VALUES ($1, 'prova', $2, $3) RETURNING id",
    )
    .bind(person)
    .bind(message)
    .bind(link)
    .fetch_one(pool)
    .await
    .expect("notification")
}

async fn is_read(pool: &AnyPool, id: i64) -> bool {
    sqlx::query_scalar::<_, Option<String>>("SELECT read_at FROM notifications WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("notification")
        .is_some()
}

#[tokio::test]
async fn a_parent_reads_their_own_and_their_childrens_notifications_only() {
    let (app, idp) = spawn_app_with_idp(|_| {}).await;
    let pool = app.db().await;
    let parent = demo_citizens(&pool, PARENT_OF_A_MINOR, 1).await.remove(0);
    let (child, child_name): (String, String) = sqlx::query_as(
        "SELECT c.fiscal_code, c.given_name FROM guardianships g JOIN people c ON c.fiscal_code = g.child
          WHERE g.parent = $1 AND c.birth_date > date('now', '-17 years') ORDER BY c.fiscal_code LIMIT 1",
    )
    .bind(&parent.fiscal_code)
    .fetch_one(&pool)
    .await
    .expect("a minor child");
    let stranger = demo_citizens(&pool, ADULT_WITHOUT_CHILDREN, 1).await.remove(0);
    let own = notify(&pool, &parent.fiscal_code, "Messaggio per il genitore", "/pagamenti").await;
    let childs = notify(&pool, &child, "Messaggio per il figlio", "/prenotazioni").await;
    let others = notify(&pool, &stranger.fiscal_code, "Messaggio per un estraneo", "/prenotazioni").await;

    let browser = app.sign_in(&idp, &parent).await;
    let (_, home) = app.page_text(&browser, "/").await;
    assert!(home.contains(r#"href="/notifiche""#) && home.contains(">2</span>"), "header counts 2 unread");
    let (status, inbox) = app.page_text(&browser, "/notifiche").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("Messaggio per il genitore") && inbox.contains("Messaggio per il figlio"));
    assert!(inbox.contains(&format!("Per {child_name}")));
    assert!(!inbox.contains("Messaggio per un estraneo"));

    // Someone else's notification: not opened, not marked.
    let response = app.post_form_as(&browser, &format!("/notifiche/{others}/apri"), &[]).await;
    assert_eq!(location(&response), "/notifiche");
    app.post_form_as(&browser, &format!("/notifiche/{others}/letta"), &[]).await;
    assert!(!is_read(&pool, others).await);

    let response = app.post_form_as(&browser, &format!("/notifiche/{own}/apri"), &[]).await;
    assert_eq!(location(&response), "/pagamenti");
    assert!(is_read(&pool, own).await);
    app.post_form_as(&browser, &format!("/notifiche/{childs}/letta"), &[]).await;
    assert!(is_read(&pool, childs).await);
    let (_, home) = app.page_text(&browser, "/").await;
    assert!(!home.contains("da leggere"), "nothing unread");

    // A stored link off the portal is never followed; "mark all" marks all.
    let odd = notify(&pool, &parent.fiscal_code, "Collegamento strano", "//evil.example/").await;
    notify(&pool, &child, "Altro messaggio", "/prenotazioni").await;
    let response = app.post_form_as(&browser, &format!("/notifiche/{odd}/apri"), &[]).await;
    assert_eq!(location(&response), "/notifiche");
    app.post_form_as(&browser, "/notifiche/lette", &[]).await;
    let unread: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE read_at IS NULL AND person IN ($1, $2)")
            .bind(&parent.fiscal_code)
            .bind(&child)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(unread, 0);
    assert!(!is_read(&pool, others).await, "the stranger's stays unread");

    // Signed out: the inbox asks to sign in.
    let (status, _) = app.page_text(&common::browser(), "/notifiche").await;
    assert_eq!(status, 303);
}
