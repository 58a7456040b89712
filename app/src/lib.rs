//! Portale Salute — the Leptos application shared by the server (SSR) and the
//! browser (islands). One folder per capability; `domain/` holds the rules
//! that must run identically in the browser and on the server.

// Deeply nested view types (the family-doctor page) need more than the
// default 128 levels of type queries in release builds.
#![recursion_limit = "256"]

/// For `form_post!`, which names its field constants with `paste`.
#[doc(hidden)]
pub use paste as __paste;

pub mod access_log;
pub mod care_now;
pub mod cup;
pub mod delegations;
pub mod doctors;
pub mod domain;
pub mod emergency;
pub mod errors;
pub mod fse;
pub mod home;
pub mod i18n;
pub mod identity;
pub mod info;
pub mod layout;
pub mod notice;
pub mod notifications;
pub mod payments;
pub mod pharmacy;
pub mod prevention;
pub mod screening;
pub mod security;
pub mod services;
pub mod surgery;
pub mod ui;
pub mod vaccinations;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Meta, Title};
use leptos_router::{
    components::{FlatRoutes, Route, Router},
    path, SsrMode,
};

use crate::errors::pages::{ErrorFallback, NotFound};
use crate::i18n::use_texts;
use crate::layout::pages::Layout;

/// The whole HTML document, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    security::apply_page_policy();
    let lang = i18n::current_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0066cc" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link
                    rel="preload"
                    href="/fonts/titillium-web-latin-400-normal.woff2"
                    r#as="font"
                    r#type="font/woff2"
                    crossorigin=""
                />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options=options islands=true islands_router=true />
                <leptos_meta::MetaTags />
            </head>
            <body class="min-h-screen bg-white text-ink antialiased">
                <App />
            </body>
        </html>
    }
}

/// The application: providers, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_texts();
    let t = use_texts();

    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { t.site_name.to_string() } else { format!("{page} — {}", t.site_name) }
        } />
        <Meta name="description" content=t.site_description />
        <Router>
            <Layout>
                <ErrorBoundary fallback=|errors| view! { <ErrorFallback errors /> }>
                    <FlatRoutes fallback=NotFound>
                        <Route path=path!("/") view=home::pages::HomePage ssr=SsrMode::Async />
                        <Route path=path!("/accessibilita") view=info::pages::AccessibilityPage />
                        <Route path=path!("/privacy") view=info::pages::PrivacyPage />
                        // Pages with personal data render whole before sending
                        // (SsrMode::Async): they work without JavaScript.
                        <Route path=path!("/accessi") view=access_log::pages::AccessLogPage ssr=SsrMode::Async />
                        <Route path=path!("/deleghe") view=delegations::pages::DelegationsPage ssr=SsrMode::Async />
                        <Route path=path!("/medico") view=doctors::pages::DoctorsPageView ssr=SsrMode::Async />
                        <Route path=path!("/fascicolo") view=fse::pages::DocumentsPageView ssr=SsrMode::Async />
                        <Route path=path!("/fascicolo/documenti/:id") view=fse::pages::DocumentPageView ssr=SsrMode::Async />
                        <Route path=path!("/fascicolo/profilo") view=fse::pages::SummaryPageView ssr=SsrMode::Async />
                        <Route path=path!("/fascicolo/andamenti") view=fse::pages::TrendsPageView ssr=SsrMode::Async />
                        <Route path=path!("/fascicolo/consensi") view=fse::pages::ConsentsPageView ssr=SsrMode::Async />
                        <Route path=path!("/fascicolo/taccuino") view=fse::pages::NotebookPageView ssr=SsrMode::Async />
                        <Route path=path!("/prenotazioni") view=cup::pages::BookingsPageView ssr=SsrMode::Async />
                        <Route path=path!("/prenotazioni/cerca") view=cup::pages::SearchPageView ssr=SsrMode::Async />
                        <Route path=path!("/prenotazioni/:code") view=cup::pages::BookingPageView ssr=SsrMode::Async />
                        <Route path=path!("/pronto-soccorso") view=emergency::pages::ErBoardPage ssr=SsrMode::Async />
                        <Route path=path!("/dove-andare") view=care_now::pages::CareNowPage ssr=SsrMode::Async />
                        <Route path=path!("/interventi") view=surgery::pages::SurgeryPage ssr=SsrMode::Async />
                        <Route path=path!("/interventi/:id") view=surgery::pages::SurgeryCasePage ssr=SsrMode::Async />
                        <Route path=path!("/vaccinazioni") view=vaccinations::pages::VaccinationsPageView ssr=SsrMode::Async />
                        <Route path=path!("/vaccinazioni/prenota") view=prevention::pages::AppointmentSearchPage ssr=SsrMode::Async />
                        <Route path=path!("/screening") view=screening::pages::ScreeningPageView ssr=SsrMode::Async />
                        <Route path=path!("/screening/prenota") view=prevention::pages::AppointmentSearchPage ssr=SsrMode::Async />
                        <Route path=path!("/regione/screening") view=screening::pages::AdherencePageView ssr=SsrMode::Async />
                        <Route path=path!("/notifiche") view=notifications::pages::InboxPage ssr=SsrMode::Async />
                        <Route path=path!("/pagamenti") view=payments::pages::PaymentsPage ssr=SsrMode::Async />
                        <Route path=path!("/pagamenti/avviso") view=payments::pages::NoticePage ssr=SsrMode::Async />
                        <Route path=path!("/pagamenti/esito/:id") view=payments::pages::CheckoutPage ssr=SsrMode::Async />
                        <Route path=path!("/pagamenti/esenzioni") view=payments::pages::ExemptionsPage ssr=SsrMode::Async />
                        <Route path=path!("/ricette") view=pharmacy::pages::MyPrescriptionsPage ssr=SsrMode::Async />
                        <Route path=path!("/farmacia") view=pharmacy::pages::CounterPage ssr=SsrMode::Async />
                        <Route path=path!("/professionisti/fascicolo") view=fse::pages::ConsultPageView ssr=SsrMode::Async />
                        <Route path=path!("/sessione-scaduta") view=identity::pages::SessionExpiredPage />
                        <Route path=path!("/accesso-non-riuscito") view=identity::pages::SignInFailedPage />
                    </FlatRoutes>
                </ErrorBoundary>
            </Layout>
        </Router>
    }
}
