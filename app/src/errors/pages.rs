//! Pages for "not found" and "something went wrong".

use leptos::prelude::*;
use leptos_meta::Title;

use crate::errors::status::set_response_status;
use crate::i18n::use_texts;
use crate::ui::PageHeading;

/// The 404 page: says what happened and how to go on.
#[component]
pub fn NotFound() -> impl IntoView {
    set_response_status(404);
    let t = use_texts();
    view! { <MessagePage title=t.not_found_title body=t.not_found_body /> }
}

/// Shown by the error boundary: a friendly message for the person, the
/// cause for the logs (never on screen: it may hold internal details).
#[component]
pub fn ErrorFallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    set_response_status(500);
    log_errors(&errors);
    let t = use_texts();
    view! { <MessagePage title=t.error_title body=t.error_body /> }
}

/// What happened, what to do, and the way back home.
#[component]
fn MessagePage(title: &'static str, body: &'static str) -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text=title />
        <PageHeading title=title lead=body />
        <p class="mt-8">
            <a class="button-primary" href="/">{t.back_home}</a>
        </p>
    }
}

#[cfg(feature = "ssr")]
fn log_errors(errors: &ArcRwSignal<Errors>) {
    for (_, error) in errors.get_untracked() {
        tracing::error!(%error, "page failed to render");
    }
}

#[cfg(not(feature = "ssr"))]
fn log_errors(errors: &ArcRwSignal<Errors>) {
    for (_, error) in errors.get_untracked() {
        leptos::logging::error!("page failed to render: {error}");
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[derive(Debug, Clone)]
    struct DatabaseDown;

    impl std::fmt::Display for DatabaseDown {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("connection refused: postgres://portale:secret@db")
        }
    }
    impl std::error::Error for DatabaseDown {}

    #[test]
    fn the_error_page_is_friendly_and_never_shows_the_cause() {
        let owner = Owner::new();
        let html = owner.with(|| {
            leptos_meta::provide_meta_context();
            let errors = ArcRwSignal::new(Errors::default());
            errors.update(|errors| errors.insert_with_default_key(DatabaseDown));
            view! { <ErrorFallback errors /> }.to_html()
        });
        assert!(html.contains("Si è verificato un problema"), "{html}");
        assert!(html.contains("Torna alla pagina iniziale"));
        assert!(!html.contains("secret"), "the cause stays in the logs: {html}");
    }
}
