//! Home page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_texts;
use crate::layout::pages::{Icon, PageHeading};
use crate::services::model::Service;

#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text="" />
        <PageHeading title=t.home_title lead=t.home_intro />
        <p class="mt-4 inline-block rounded bg-danger-50 px-3 py-2 font-semibold text-danger">
            {t.home_emergency_note}
        </p>
        <section aria-labelledby="home-services" class="mt-10">
            <h2 id="home-services" class="text-2xl font-bold">{t.home_services_heading}</h2>
            <ul class="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {Service::ALL.into_iter().map(|service| view! { <ServiceTile service /> }).collect_view()}
            </ul>
        </section>
    }
}

/// A whole-card link: name, icon and what the service is for.
#[component]
fn ServiceTile(service: Service) -> impl IntoView {
    let text = use_texts().service(service);
    view! {
        <li class="tile">
            <a href=service.href() class="tile-link flex h-full gap-4 rounded-lg border border-line p-5">
                <Icon path=service.icon_path() class="h-8 w-8 shrink-0 text-primary" />
                <span>
                    <span class="block text-lg font-bold text-primary-dark">{text.name}</span>
                    <span class="mt-1 block">{text.summary}</span>
                </span>
            </a>
        </li>
    }
}
