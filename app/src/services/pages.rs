//! The page of a service that is listed in the navigation but not online
//! yet: it says so plainly and points to the channels that work today.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::errors::pages::NotFound;
use crate::i18n::use_texts;
use crate::layout::pages::{Icon, PageHeading};
use crate::services::model::Service;

/// `/{servizio}`: a known service's page, or the 404 page.
#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let service = params.with_untracked(|p| p.get("servizio").and_then(|slug| Service::from_slug(&slug)));
    match service {
        Some(service) => view! { <ServiceNotOnline service /> }.into_any(),
        None => view! { <NotFound /> }.into_any(),
    }
}

#[component]
fn ServiceNotOnline(service: Service) -> impl IntoView {
    let t = use_texts();
    let text = t.service(service);
    view! {
        <Title text=text.name />
        <PageHeading title=text.name lead=text.summary />
        <section
            aria-labelledby="service-status"
            class="mt-6 rounded-lg border-l-4 border-primary bg-primary-50 p-5"
        >
            <div class="flex items-start gap-3">
                <Icon path=service.icon_path() class="mt-1 h-6 w-6 shrink-0 text-primary" />
                <div>
                    <h2 id="service-status" class="text-xl font-semibold">
                        {t.service_not_online_title}
                    </h2>
                    <p class="mt-2">{t.service_not_online_body}</p>
                    <p class="mt-2">{t.service_meanwhile}</p>
                </div>
            </div>
        </section>
        <p class="mt-8">
            <a class="link" href="/">{t.back_home}</a>
        </p>
    }
}
