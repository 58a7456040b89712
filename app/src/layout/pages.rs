//! Header, footer and small building blocks reused by every page.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::forms::ChooseLanguage;
use crate::i18n::{current_lang, use_texts, Lang};
use crate::identity::pages::{AccountBar, StatusMessages};
use crate::layout::menu::MenuToggle;
use crate::services::model::Service;

/// Id of the `<main>` element, target of the skip link.
pub const MAIN_ID: &str = "contenuto";
/// Id of the footer's list of every service: where "Menu" leads on phones
/// without JavaScript.
pub const ALL_SERVICES_ID: &str = "elenco-servizi";
/// Id of the service navigation, controlled by the phone menu button.
pub const NAV_ID: &str = "menu-servizi";

/// The frame around every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let t = use_texts();
    view! {
        // target="_self" keeps the islands router away from this in-page link.
        <a href=format!("#{MAIN_ID}") target="_self" class="skip-link">{t.skip_to_content}</a>
        <Header />
        <main id=MAIN_ID tabindex="-1" class="mx-auto w-full max-w-6xl flex-1 px-4 py-8 focus:outline-none">
            <StatusMessages />
            {children()}
        </main>
        <Footer />
    }
}

#[component]
fn Header() -> impl IntoView {
    let t = use_texts();
    view! {
        <header>
            <div class="bg-primary-dark text-white">
                <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-2 text-sm">
                    <span class="font-semibold">{t.region_name}</span>
                    <LanguageSwitch />
                </div>
            </div>
            <div class="bg-primary text-white">
                <div class="mx-auto flex max-w-6xl items-center justify-between gap-4 px-4 py-4">
                    <a href="/" class="brand flex items-center gap-3 rounded">
                        <svg aria-hidden="true" viewBox="0 0 40 40" class="h-10 w-10 shrink-0">
                            <rect width="40" height="40" rx="8" fill="#ffffff" />
                            <path d="M16 8h8v8h8v8h-8v8h-8v-8H8v-8h8z" fill="#0066cc" />
                        </svg>
                        <span class="flex flex-col leading-tight">
                            <span class="text-xl font-bold sm:text-2xl">{t.site_name}</span>
                            <span class="text-sm">{t.health_service}</span>
                        </span>
                        <span class="sr-only">{format!(" — {}", t.home_link)}</span>
                    </a>
                    <MenuToggle label=t.menu.to_string() controls=NAV_ID.to_string() list=ALL_SERVICES_ID.to_string() />
                </div>
            </div>
            // Closed on phones from the server (nothing moves when the menu
            // island wakes up), and closed again by every page the islands
            // router brings in (it overwrites this attribute).
            <nav
                id=NAV_ID
                data-menu="closed"
                aria-label=t.nav_label
                class="service-nav bg-primary text-white md:border-t md:border-white/20"
            >
                <ul class="mx-auto flex max-w-6xl flex-col px-2 pb-3 md:flex-row md:flex-wrap md:pb-0">
                    {Service::ALL
                        .into_iter()
                        .map(|service| view! { <NavLink service /> })
                        .collect_view()}
                </ul>
            </nav>
            <AccountBar />
        </header>
    }
}

#[component]
fn NavLink(service: Service) -> impl IntoView {
    let t = use_texts();
    let location = use_location();
    let href = service.href();
    let is_current = {
        let href = href.clone();
        move || location.pathname.with(|path| path == &href || path.starts_with(&format!("{href}/")))
    };
    view! {
        <li>
            <a
                href=href
                class="nav-link block rounded px-3 py-2 font-semibold"
                // Always present ("false" when not current): the islands router
                // only overwrites attributes, it never removes one.
                aria-current=move || if is_current() { "page" } else { "false" }
            >
                {t.service(service).name}
            </a>
        </li>
    }
}

/// One small form per language: works without JavaScript (POST, then back
/// to the same page) and, with the islands router, swaps the text in place.
/// Every language renders the same markup, with `aria-current` marking the
/// active one, so the router's page diff only has text and attributes to
/// update.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let t = use_texts();
    let current = current_lang();
    let location = use_location();
    view! {
        <div class="flex items-center gap-1" role="group" aria-label=t.language_label>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <form method="post" action=ChooseLanguage::ACTION>
                            <input type="hidden" name=ChooseLanguage::LANG value=lang.code() />
                            <input type="hidden" name=ChooseLanguage::RETURN_TO value=move || location.pathname.get() />
                            <button
                                type="submit"
                                class="lang-button rounded px-2 py-1"
                                lang=lang.code()
                                aria-current=if lang == current { "true" } else { "false" }
                            >
                                {lang.endonym()}
                            </button>
                        </form>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let t = use_texts();
    view! {
        <footer class="mt-12 bg-primary-dark text-white">
            <div class="mx-auto grid max-w-6xl gap-6 px-4 py-8 md:grid-cols-2">
                <div>
                    <p class="text-lg font-bold">{t.site_name}</p>
                    <p class="mt-2 max-w-prose">{t.footer_about}</p>
                    <p class="mt-2 font-semibold">{t.home_emergency_note}</p>
                </div>
                <nav id=ALL_SERVICES_ID aria-label=t.all_services_label tabindex="-1" class="md:hidden">
                    <p class="text-lg font-bold">{t.all_services_label}</p>
                    <ul class="mt-2 flex flex-col gap-1">
                        {Service::ALL
                            .into_iter()
                            .map(|service| {
                                view! {
                                    <li>
                                        <a class="footer-link inline-block py-1" href=service.href()>
                                            {t.service(service).name}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                <nav aria-label=t.footer_nav_label>
                    <ul class="flex flex-col gap-2 md:items-end">
                        <li><a class="footer-link" href="/accessibilita">{t.accessibility_link}</a></li>
                        <li><a class="footer-link" href="/privacy">{t.privacy_link}</a></li>
                    </ul>
                </nav>
            </div>
            <div class="border-t border-white/20">
                <p class="mx-auto max-w-6xl px-4 py-3 text-sm">{t.region_name} " — " {t.health_service}</p>
            </div>
        </footer>
    }
}
